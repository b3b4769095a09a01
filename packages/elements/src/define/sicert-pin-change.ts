import { SicertPinChange } from '../components/pin-change/pin-change.component.js';
import './sicert-pin-input.js';

SicertPinChange.define('sicert-pin-change');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-pin-change': SicertPinChange;
  }
}
