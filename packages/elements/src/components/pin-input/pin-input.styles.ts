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

/** The policy meter: three segments filled by how far the password meets the policy, and what it lacks. */
export const pinMeterStyles = css`
  .meter {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-top: 6px;
    font-size: 0.87em;
    color: var(--_muted);
  }
  .bar {
    display: inline-flex;
    gap: 3px;
    flex-shrink: 0;
  }
  .bar span {
    width: 22px;
    height: 6px;
    border-radius: 3px;
    background: var(--_border);
  }
  .refused {
    color: var(--_danger);
  }
  .refused .bar span:nth-child(1) {
    background: var(--_danger);
  }
  .ok {
    color: var(--_warning);
  }
  .ok .bar span:nth-child(-n + 2) {
    background: var(--_warning);
  }
  .strong {
    color: var(--_success);
  }
  .strong .bar span {
    background: var(--_success);
  }
`;
