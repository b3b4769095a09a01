import { css } from 'lit';

export const wizardStyles = css`
  :host {
    display: block;
    max-width: 46rem;
  }
  h1 {
    font-size: 1.25em;
    margin: 0;
  }
  h2 {
    font-size: 1.1em;
    margin: 0;
  }
  h2:focus {
    outline: none;
  }
  ol.steps {
    list-style: none;
    display: flex;
    flex-wrap: wrap;
    gap: 4px 6px;
    padding: 0;
    margin: 0;
    font-size: 0.85em;
  }
  ol.steps li {
    padding: 2px 10px;
    border-radius: 999px;
    border: 1px solid var(--_border);
    color: var(--_muted);
  }
  ol.steps li.done {
    border-color: var(--_success);
    color: var(--_success);
  }
  ol.steps .tick {
    margin-inline-end: 4px;
    font-weight: 600;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  ol.steps li[aria-current='step'] {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
  }
  .progress {
    color: var(--_muted);
    font-size: 0.87em;
    margin: 0;
  }
  .field {
    display: grid;
    gap: 4px;
  }
  .field label,
  legend {
    font-weight: 600;
  }
  .field input[type='text'],
  .field input[type='tel'] {
    font: inherit;
    padding: 8px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .field input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .field-error,
  .error {
    color: var(--_danger);
    margin: 0;
    font-size: 0.92em;
  }
  fieldset {
    border: 0;
    padding: 0;
    margin: 0;
    display: grid;
    gap: 8px;
  }
  .choice input {
    grid-row: span 2;
    margin-top: 5px;
  }
  .hint,
  .muted {
    color: var(--_muted);
    font-size: 0.87em;
    margin: 0;
  }
  ul.conditions {
    margin: 0;
    padding-left: 1.2em;
  }
  .notice {
    margin: 0;
    padding: 8px 12px;
    border-inline-start: 3px solid var(--_warning);
    background: var(--_surface-muted);
  }
  .ok {
    color: var(--_success);
    margin: 0;
  }
  .material {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 6px 12px;
    align-items: center;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    padding: 10px 12px;
  }
  .material img {
    max-width: 120px;
    max-height: 80px;
    border: 1px solid var(--_border);
    border-radius: 4px;
  }
  .material input[type='file'] {
    font: inherit;
    font-size: 0.9em;
  }
  dl.review {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 6px 16px;
    margin: 0;
  }
  dl.review dt {
    color: var(--_muted);
  }
  dl.review dd {
    margin: 0;
  }
  .status {
    font-size: 1.1em;
    font-weight: 600;
  }
  .status.rejected {
    color: var(--_danger);
  }
  .status.approved,
  .status.installed {
    color: var(--_success);
  }
  .confirm-withdrawal {
    display: grid;
    gap: 8px;
    padding: 10px 12px;
    border: 1px solid var(--_danger-border);
    border-radius: var(--_radius);
    background: var(--_danger-surface);
  }
  .confirm-withdrawal p {
    margin: 0;
  }
  #withdraw-question:focus {
    outline: none;
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_on-primary);
    font-weight: 600;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: space-between;
  }
`;
