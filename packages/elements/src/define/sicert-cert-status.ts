import { SicertCertStatus } from '../components/cert-status/cert-status.component.js';
import './sicert-agent-status.js';
import './sicert-pin-input.js';
import './sicert-pin-change.js';

SicertCertStatus.define('sicert-cert-status');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-cert-status': SicertCertStatus;
  }
}
