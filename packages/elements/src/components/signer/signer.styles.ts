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
`;
