import { css } from 'lit';

/**
 * Global design tokens. Every knob is prefixed `--sicert-` so a portal's own custom properties, which reach our
 * host elements, cannot collide with them.
 */
export const tokens = css`
  :host {
    --_primary: var(--sicert-color-primary, #0b5cad);
    --_on-primary: var(--sicert-color-on-primary, #fff);
    --_danger: var(--sicert-color-danger, #b3261e);
    --_warning: var(--sicert-color-warning, #8a5300);
    --_success: var(--sicert-color-success, #1e6b34);
    --_text: var(--sicert-color-text, #1f2328);
    --_muted: var(--sicert-color-muted, #59636e);
    --_border: var(--sicert-color-border, #c9d1d9);
    --_surface: var(--sicert-color-surface, #fff);
    --_surface-muted: var(--sicert-color-surface-muted, #f6f8fa);
    --_danger-surface: var(--sicert-color-danger-surface, #fdf0ef);
    --_danger-border: var(--sicert-color-danger-border, #f0b8b3);
    --_radius: var(--sicert-radius, 6px);
    --_gap: var(--sicert-spacing, 12px);
    font-family: var(--sicert-font-family, system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif);
    font-size: var(--sicert-font-size, 15px);
    color: var(--_text);
    line-height: 1.5;
  }
  /* The element's own display (block for most) would otherwise beat the browser's [hidden] rule. */
  :host([hidden]) {
    display: none !important;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    border-radius: var(--_radius);
    padding: 8px 16px;
    border: 1px solid var(--_primary);
    background: var(--_surface);
    color: var(--_primary);
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_primary) 45%, transparent);
    outline-offset: 2px;
  }
  button.primary {
    background: var(--_primary);
    color: var(--_on-primary);
    font-weight: 600;
    padding: 10px 24px;
  }
  button[disabled] {
    opacity: 0.55;
    cursor: not-allowed;
  }
`;

/** The card every top-level element draws itself in (part="base"). */
export const card = css`
  .base {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 2px);
    background: var(--_surface);
    padding: calc(var(--_gap) * 1.5);
    display: grid;
    gap: var(--_gap);
  }
`;

/** A radio button with its label and hint drawn as a selectable box. */
export const choice = css`
  .choice {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 10px 12px;
    cursor: pointer;
  }
  .choice:has(input:checked) {
    border-color: var(--_primary);
    box-shadow: 0 0 0 1px var(--_primary);
  }
`;
