import { SicertAgentStatus } from '../components/agent-status/agent-status.component.js';

SicertAgentStatus.define('sicert-agent-status');

declare global {
  interface HTMLElementTagNameMap {
    'sicert-agent-status': SicertAgentStatus;
  }
}
