import { SicertPinInput } from '../components/pin-input/pin-input.component.js';

SicertPinInput.define('sicert-pin-input');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-pin-input': SicertPinInput;
  }
}
