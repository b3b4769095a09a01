// The drop-in bundle's entry: registers every sicert element and re-exports the API.
import './define/sicert-signer.js';
import './define/sicert-apply-wizard.js';
import './define/sicert-cert-status.js';
export * from './index.js';
