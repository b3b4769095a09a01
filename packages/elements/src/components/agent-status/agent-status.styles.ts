import { css } from 'lit';

/** The banner: a problem in the danger colours, a pending state muted, ready in the success colour. */
export const agentStatusStyles = css`
  :host {
    display: block;
  }
  .base {
    border-radius: var(--_radius);
    padding: 10px 12px;
    display: flex;
    gap: 12px;
    align-items: center;
    justify-content: space-between;
  }
  .problem {
    background: var(--_danger-surface);
    border: 1px solid var(--_danger-border);
    color: var(--_danger);
  }
  .pending {
    background: var(--_surface-muted);
    border: 1px solid var(--_border);
    color: var(--_muted);
  }
  button {
    white-space: nowrap;
    flex-shrink: 0;
  }
  .ok {
    color: var(--_success);
    padding: 0;
    font-size: 0.9em;
  }
`;
