import { css } from 'lit';

/** The dialog itself is drawn by the shared dialog styles; the host takes no room while it is closed. */
export const pinChangeStyles = css`
  :host {
    display: block;
  }
`;
