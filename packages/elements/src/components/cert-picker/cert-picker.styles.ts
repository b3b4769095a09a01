import { css } from 'lit';

/** The certificates as selectable boxes, with badges for the medium and notes on validity. */
export const certPickerStyles = css`
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 8px;
  }
  legend {
    font-weight: 600;
    margin-bottom: 4px;
    padding: 0;
  }
  label.unusable {
    cursor: not-allowed;
    color: var(--_muted);
  }
  input {
    grid-row: span 3;
    margin-top: 5px;
  }
  .name {
    font-weight: 600;
  }
  .meta {
    font-size: 0.87em;
    color: var(--_muted);
  }
  .badge {
    font-size: 0.8em;
    font-weight: 500;
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 8px;
    margin-left: 6px;
    color: var(--_primary);
  }
  .warn {
    color: var(--_warning);
    font-size: 0.87em;
  }
  .bad {
    color: var(--_danger);
    font-size: 0.87em;
  }
  .ended {
    color: var(--_muted);
    font-size: 0.87em;
  }
`;
