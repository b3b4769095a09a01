import { css } from 'lit';

/** The label, the masked field with its show/hide button, and the hint. */
export const pinInputStyles = css`
  :host {
    display: block;
  }
  label {
    display: block;
    font-weight: 600;
    margin-bottom: 4px;
  }
  .row {
    display: flex;
    gap: 8px;
  }
  input {
    flex: 1;
    font: inherit;
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    min-width: 0;
    letter-spacing: 0.1em;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.87em;
    margin: 4px 0 0;
  }
`;
