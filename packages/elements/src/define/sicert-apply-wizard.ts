import { SicertApplyWizard } from '../components/apply-wizard/apply-wizard.component.js';
import './sicert-agent-status.js';
import './sicert-pin-change.js';
import './sicert-pin-input.js';

SicertApplyWizard.define('sicert-apply-wizard');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-apply-wizard': SicertApplyWizard;
  }
}
