import { SicertSigner } from '../components/signer/signer.component.js';
import './sicert-agent-status.js';
import './sicert-cert-picker.js';
import './sicert-pin-input.js';
SicertSigner.define('sicert-signer');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-signer': SicertSigner;
  }
}
