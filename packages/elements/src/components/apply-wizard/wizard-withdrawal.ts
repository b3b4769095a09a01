import { html, type ReactiveElement, type TemplateResult } from 'lit';
import type { TranslationKey } from '../../internal/localize.js';

/** What the confirmation needs from the element: the withdrawal itself, and its DOM to move focus in. */
export interface WithdrawalHost {
  /** Withdraws the application shown and shows the backend's answer (a failure shows as the step's message). */
  withdraw(): Promise<void>;
  readonly element: Pick<ReactiveElement, 'requestUpdate' | 'updateComplete' | 'renderRoot'>;
}

/**
 * 撤回申请 cannot be undone, so it asks first: a question inside the element (not `window.confirm`, which a portal's
 * WebView may suppress and which cannot be styled or translated), focused when it opens so that it is read out,
 * answered with either button or Escape. Keeping the application puts focus back on 撤回申请; a withdrawal that
 * succeeds changes the step, whose heading takes focus; one that fails keeps the question open, focus on 确认撤回.
 */
export class WithdrawalConfirmation {
  #asking = false;

  constructor(private readonly host: WithdrawalHost) {}

  /** The question is shown in place of the status step's buttons. */
  get asking(): boolean {
    return this.#asking;
  }

  /** 撤回申请 was pressed: ask. */
  ask(): void {
    this.#set(true, '#withdraw-question');
  }

  /** The citizen keeps the application. */
  cancel(): void {
    this.#set(false, 'button.withdraw');
  }

  /** The citizen confirmed: withdraw. */
  async confirm(): Promise<void> {
    await this.host.withdraw();
    if (this.#asking) this.#focus('button.confirm-withdraw');
  }

  /** The step changed (the withdrawal went through, a refresh, a new application): the question goes. */
  close(): void {
    this.#asking = false;
  }

  #set(asking: boolean, focus: string): void {
    this.#asking = asking;
    this.host.element.requestUpdate();
    this.#focus(focus);
  }

  #focus(selector: string): void {
    void this.host.element.updateComplete.then(() => this.host.element.renderRoot.querySelector<HTMLElement>(selector)?.focus());
  }
}

/** What the question reads and may ask for. */
export interface WithdrawalView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
  readonly busy: boolean;
  cancelWithdrawal(): void;
  confirmWithdrawal(): void;
}

/** The question, what withdrawing means, and the two answers (the safe one first). */
export function renderWithdrawalQuestion(v: WithdrawalView): TemplateResult {
  const escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || v.busy) return;
    e.preventDefault();
    v.cancelWithdrawal();
  };
  return html`<div class="confirm-withdrawal" role="group" aria-labelledby="withdraw-question" aria-describedby="withdraw-consequence" @keydown=${escape}>
    <p id="withdraw-question" tabindex="-1"><strong>${v.t('wizard.withdraw.question')}</strong></p>
    <p id="withdraw-consequence">${v.t('wizard.withdraw.consequence')}</p>
    <div class="actions">
      <button type="button" class="cancel-withdraw" ?disabled=${v.busy} @click=${() => v.cancelWithdrawal()}>${v.t('wizard.withdraw.keep')}</button>
      <button type="button" class="danger confirm-withdraw" ?disabled=${v.busy} @click=${() => v.confirmWithdrawal()}>${v.busy ? v.t('wizard.withdraw.withdrawing') : v.t('wizard.withdraw.confirm')}</button>
    </div>
  </div>`;
}
