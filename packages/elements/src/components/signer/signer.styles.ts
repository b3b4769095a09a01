import { css } from 'lit';

export const signerStyles = css`
  :host {
    display: block;
    max-width: 36rem;
  }
  h2 {
    font-size: 1.15em;
    margin: 0;
  }
  .summary {
    background: var(--_surface-muted);
    border-left: 4px solid var(--_primary);
    padding: 8px 12px;
    white-space: pre-wrap;
    margin: 0;
  }
  .summary-label {
    font-weight: 600;
    margin: 0;
  }
  .empty,
  .checking {
    color: var(--_muted);
    margin: 0;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
  }
  .error {
    color: var(--_danger);
    margin: 0;
  }
  .result {
    color: var(--_success);
    font-weight: 600;
    margin: 0;
  }
  /* What the signer cannot know is said plainly, not in the colour of success. */
  .verdict {
    color: var(--_muted);
    font-weight: normal;
  }
  /* Batch mode: the list scrolls inside the card, so hundreds of items keep the consent and the button in reach. */
  .items {
    margin: 0;
    padding: 0;
    list-style: none;
    counter-reset: item;
    max-height: 18rem;
    overflow-y: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
  }
  .items:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_primary) 45%, transparent);
    outline-offset: 2px;
  }
  /* The number drawn as a column of its own, so that a long summary wraps beside it and the rule spans the row. */
  .items li {
    counter-increment: item;
    display: grid;
    grid-template-columns: 3.2em 1fr;
    padding: 6px 12px 6px 0;
    border-bottom: 1px solid var(--_border);
  }
  .items li:last-child {
    border-bottom: 0;
  }
  .items li::before {
    content: counter(item) '.';
    grid-row: span 2;
    text-align: right;
    padding-right: 0.6em;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .items .text,
  .outcome {
    grid-column: 2;
  }
  .outcome {
    font-size: 0.9em;
    font-weight: 600;
    color: var(--_success);
  }
  .failed .outcome {
    color: var(--_danger);
  }
  .consent {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 8px;
    align-items: start;
    cursor: pointer;
  }
  .consent input {
    margin-top: 5px;
  }
  .progress {
    display: flex;
    gap: 12px;
    align-items: center;
  }
  /* Drawn from the theme's tokens rather than the browser's own colours. */
  .progress progress {
    flex: 1;
    height: 10px;
    appearance: none;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
    overflow: hidden;
  }
  .progress progress::-webkit-progress-bar {
    background: var(--_surface-muted);
  }
  .progress progress::-webkit-progress-value {
    background: var(--_primary);
  }
  .progress progress::-moz-progress-bar {
    background: var(--_primary);
  }
  .progress-text {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
  .partial {
    color: var(--_danger);
  }
  .unsupported {
    margin: 0;
  }
`;
