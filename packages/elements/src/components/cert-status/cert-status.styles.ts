import { css } from 'lit';

/**
 * Tokens as muted panels holding one box per certificate; the badge says the status in words and colour, an
 * expiring certificate is framed in the warning colour with its renewal button, unusable ones in the danger colour.
 */
export const certStatusStyles = css`
  :host {
    display: block;
    max-width: 46rem;
  }
  h2 {
    font-size: 1.2em;
    margin: 0;
  }
  h3 {
    font-size: 1.02em;
    margin: 0;
  }
  p {
    margin: 0;
  }
  .title-row,
  .token-head,
  .cert-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    justify-content: space-between;
    gap: 4px 12px;
  }
  .token {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-muted);
    padding: var(--_gap);
    display: grid;
    gap: 10px;
  }
  .certs {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 10px;
  }
  .cert {
    border: 1px solid var(--_border);
    border-left-width: 4px;
    border-radius: var(--_radius);
    background: var(--_surface);
    padding: 10px 12px;
    display: grid;
    gap: 6px;
  }
  .cert.valid {
    border-left-color: var(--_success);
  }
  .cert.expiring {
    border-color: var(--_warning);
    border-left-width: 6px;
    background: color-mix(in srgb, var(--_warning) 7%, var(--_surface));
  }
  .cert.expired,
  .cert.revoked,
  .cert.locked {
    border-left-color: var(--_danger);
  }
  .cert.notYetValid,
  .cert.superseded {
    border-left-color: var(--_muted);
  }
  .holder {
    font-weight: 600;
    font-size: 1.05em;
  }
  .badge {
    font-size: 0.85em;
    font-weight: 600;
    border-radius: 999px;
    padding: 1px 10px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }
  .badge.valid {
    color: var(--_success);
  }
  .badge.expiring {
    color: var(--_on-primary);
    background: var(--_warning);
    border-color: var(--_warning);
  }
  .badge.expired,
  .badge.revoked,
  .badge.locked {
    color: var(--_danger);
  }
  .badge.notYetValid,
  .badge.superseded {
    color: var(--_muted);
  }
  .facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0;
    font-size: 0.92em;
  }
  .facts dt {
    color: var(--_muted);
  }
  .facts dd {
    margin: 0;
  }
  .serial {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
    font-size: 0.95em;
    word-break: break-all;
  }
  .note,
  .notice {
    font-size: 0.92em;
  }
  .warn {
    color: var(--_warning);
    font-weight: 600;
  }
  .bad {
    color: var(--_danger);
  }
  .muted,
  .hint,
  .empty {
    color: var(--_muted);
  }
  .notice.bad {
    background: var(--_danger-surface);
    border: 1px solid var(--_danger-border);
    border-radius: var(--_radius);
    padding: 8px 10px;
  }
  .cert-actions,
  .token-actions,
  .footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
  }
  button.danger {
    border-color: var(--_danger);
    color: var(--_danger);
  }
  dialog button.danger {
    background: var(--_danger);
    color: var(--_on-primary);
    font-weight: 600;
  }
  details summary {
    cursor: pointer;
    color: var(--_primary);
    width: fit-content;
  }
  details summary:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_primary) 45%, transparent);
    outline-offset: 2px;
  }
  details.forgot p {
    margin-top: 4px;
    font-size: 0.92em;
  }
  .help {
    border-top: 1px solid var(--_border);
    padding-top: var(--_gap);
  }
  .help dl {
    margin: 8px 0;
    display: grid;
    gap: 4px;
  }
  .help dt {
    font-weight: 600;
    margin-top: 6px;
  }
  .help dd {
    margin: 0;
    font-size: 0.94em;
  }
  .region {
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
  }
  .result {
    color: var(--_success);
    font-weight: 600;
  }
  .cert .result {
    font-size: 0.92em;
    margin: 2px 0;
    padding: 6px 10px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_success) 8%, var(--_surface));
  }
  .cert .result:focus {
    outline: 2px solid var(--_primary);
    outline-offset: 1px;
  }
  .forgotten {
    border: 1px solid var(--_primary);
    border-radius: var(--_radius);
    padding: 10px 12px;
    font-weight: 600;
  }
  .forgotten:focus {
    outline: none;
  }
  .footer {
    justify-content: flex-end;
  }
  button.forget {
    font-size: 0.92em;
  }
`;
