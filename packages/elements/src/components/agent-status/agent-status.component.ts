import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { AgentState } from '../../internal/agent-connection.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { agentStatusStyles } from './agent-status.styles.js';
import { tokens } from '../../internal/theme.js';
import type { TranslationKey } from '../../internal/localize.js';
import { SicertRetryEvent } from '../../events.js';

const MESSAGES: Record<AgentState, TranslationKey> = {
  checking: 'agentChecking',
  ready: 'agentReady',
  'not-running': 'agentNotRunning',
  'permission-denied': 'agentPermissionDenied',
  'origin-denied': 'agentOriginDenied',
  'too-old': 'agentTooOld',
  reconnecting: 'agentReconnecting',
};

/**
 * Tells the citizen whether the local certificate agent can be used, and what to do when it cannot.
 *
 * @csspart base - The banner.
 * @csspart retry - The retry button.
 * @cssproperty --sicert-color-danger - Text of a problem.
 * @cssproperty --sicert-color-danger-surface - Background of a problem.
 * @cssproperty --sicert-color-danger-border - Border of a problem.
 * @cssproperty --sicert-color-surface-muted - Background while checking or reconnecting.
 * @cssproperty --sicert-color-success - Text when ready.
 * @cssproperty --sicert-radius - Corner radius.
 * @fires sicert-retry - The citizen asked to check the agent again.
 *
 * @tagname sicert-agent-status
 */
export class SicertAgentStatus extends SicertElement {
  static override styles = [tokens, agentStatusStyles];

  /** The agent's state. */
  @property({ reflect: true }) state: AgentState = 'checking';

  override render() {
    const problem = !['checking', 'ready', 'reconnecting'].includes(this.state);
    const kind = problem ? 'problem' : this.state === 'ready' ? 'ok' : 'pending';
    return html`<div part="base" class="base ${kind}" role=${problem ? 'alert' : 'status'}>
      <span>${this.t(MESSAGES[this.state])}</span>
      ${problem
        ? html`<button part="retry" type="button" @click=${() => this.dispatchEvent(new SicertRetryEvent())}>
            ${this.t('retry')}
          </button>`
        : null}
    </div>`;
  }
}
