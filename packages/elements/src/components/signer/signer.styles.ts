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
    padding: 0 0 0 3.2em;
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
  .items li {
    padding: 6px 12px 6px 4px;
    border-bottom: 1px solid var(--_border);
  }
  .items li:last-child {
    border-bottom: 0;
  }
  .items li::marker {
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }
  .outcome {
    display: block;
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
  .progress progress {
    flex: 1;
    height: 10px;
    accent-color: var(--_primary);
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
