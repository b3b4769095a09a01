import { SicertCertPicker } from '../components/cert-picker/cert-picker.component.js';

SicertCertPicker.define('sicert-cert-picker');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-cert-picker': SicertCertPicker;
  }
}
