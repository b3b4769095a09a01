import { html, css } from 'lit';
import { property } from 'lit/decorators.js';
import type { AgentState } from '../../internal/agent-connection.js';
import { SicertElement } from '../../internal/sicert-element.js';
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
 * @fires sicert-retry - The citizen asked to check the agent again.
 *
 * @tagname sicert-agent-status
 */
export class SicertAgentStatus extends SicertElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
      }
      .base {
        border-radius: var(--_radius);
        padding: 10px 12px;
        display: flex;
        gap: 12px;
        align-items: center;
        justify-content: space-between;
      }
      .problem {
        background: #fdf0ef;
        border: 1px solid #f0b8b3;
        color: var(--_danger);
      }
      .pending {
        background: #f3f6fa;
        border: 1px solid var(--_border);
        color: var(--_muted);
      }
      button {
        white-space: nowrap;
        flex-shrink: 0;
      }
      .ok {
        color: var(--_success);
        padding: 0;
        font-size: 0.9em;
      }
    `,
  ];

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
