import { css } from 'lit';

/** A modal `<dialog>` drawn as a card over a dimmed page, with its title, messages and buttons. */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 2px);
    background: var(--_surface);
    color: var(--_text);
    padding: calc(var(--_gap) * 1.5);
    width: min(30rem, calc(100vw - 2rem));
    box-sizing: border-box;
  }
  dialog[open] {
    display: grid;
    gap: var(--_gap);
  }
  dialog::backdrop {
    background: color-mix(in srgb, var(--_text) 45%, transparent);
  }
  dialog h2 {
    font-size: 1.1em;
    margin: 0;
  }
  dialog p {
    margin: 0;
  }
  .hint,
  .subtitle {
    color: var(--_muted);
    font-size: 0.92em;
  }
  .subtitle {
    font-weight: 600;
  }
  .error {
    color: var(--_danger);
  }
  .result {
    color: var(--_success);
    font-weight: 600;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
    flex-wrap: wrap;
  }
`;
