import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { AgentClient, AgentError, checkPinPolicy, Reason, type ProviderKind } from '@sicert/protocol';
import { DEFAULT_AGENT_URL } from '../../internal/agent-connection.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { tokens } from '../../internal/theme.js';
import type { TranslationKey } from '../../internal/localize.js';
import { SicertErrorEvent, SicertPinChangedEvent } from '../../events.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { dialogStyles } from '../../internal/dialog-styles.js';
import { pinChangeStyles } from './pin-change.styles.js';

const FIELDS = ['old', 'new', 'confirm'] as const;
type Field = (typeof FIELDS)[number];

/**
 * The password change dialog (修改证书密码): current password, new password with the policy meter, and the new
 * password again; then the agent's `pin.change`. A modal `<dialog>`: focus starts in the first field and stays in
 * the dialog, Escape closes it, Enter moves to the next field and submits from the last. Every field is wiped after
 * each attempt and when the dialog closes, so no password stays in the page.
 *
 * @csspart dialog - The dialog box.
 * @csspart error - What went wrong (role="alert").
 * @csspart result - The success message (role="status").
 * @csspart submit-button - The change button.
 * @cssproperty --sicert-color-primary - Accent colour: the change button.
 * @cssproperty --sicert-color-danger - Error colour.
 * @cssproperty --sicert-color-success - The success message.
 * @cssproperty --sicert-color-surface - Background of the dialog.
 * @cssproperty --sicert-radius - Corner radius.
 * @fires sicert-pin-changed - The agent changed the password: `{ tokenId }`.
 * @fires sicert-error - The agent refused or failed: `{ reason, message, retriesLeft?, retryAfterMs? }`.
 * @fires close - The dialog closed, whatever closed it (not bubbling, as a native dialog's).
 *
 * @tagname sicert-pin-change
 */
export class SicertPinChange extends SicertElement {
  static override styles = [tokens, dialogStyles, pinChangeStyles];

  /** The agent's WebSocket URL; the page's shared connection to it is used. */
  @property({ attribute: 'agent-url' }) agentUrl = DEFAULT_AGENT_URL;
  /** The token whose password changes. */
  @property({ attribute: 'token-id' }) tokenId = '';
  /** How the token is named in the title (`USB-Key · 张三`). */
  @property({ attribute: 'token-label' }) tokenLabel = '';
  /** USB-Key (`pkcs11`) or this computer (`soft`): decides what a locked password means for the citizen. */
  @property() provider: ProviderKind = 'pkcs11';
  /** The region's hotline, named when a USB-Key's password locks. */
  @property() hotline = '12333';
  /** The holder's birth date (YYYYMMDD) when the page knows it: the new password may not contain it. */
  @property({ attribute: false }) birthDate?: string;
  /** Whether the dialog is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  @state() private busy = false;
  @state() private error = '';
  @state() private done = false;
  @query('dialog') private dialog?: HTMLDialogElement;

  /** Opens the dialog, empty, with focus in the current-password field. */
  async show(): Promise<void> {
    this.error = '';
    this.done = false;
    this.open = true;
    await this.updateComplete;
    if (!this.dialog?.open) this.dialog?.showModal();
    this.field('old')?.focus();
  }

  /** Closes the dialog and wipes every field. Fires `close` (not bubbling, as a native dialog does). */
  close(): void {
    this.clearFields();
    this.dialog?.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.clearFields();
  }

  private field(name: Field): SicertPinInput | null {
    return this.shadowRoot?.querySelector<SicertPinInput>(`sicert-pin-input[data-field="${name}"]`) ?? null;
  }

  private clearFields(): void {
    for (const name of FIELDS) this.field(name)?.clear();
  }

  /** The native dialog closed (Escape, the buttons, `close()`): nothing typed survives it. */
  private closed(): void {
    this.clearFields();
    this.open = false;
    this.busy = false;
    this.dispatchEvent(new Event('close'));
  }

  /** A refusal the citizen fixes in the dialog: shown, the fields wiped, focus on the field to type again. */
  private refuse(key: TranslationKey, focus: Field, values?: Record<string, string | number>): void {
    this.error = this.t(key, values);
    this.clearFields();
    this.field(focus)?.focus();
  }

  /** Checks what the page can check, then asks the agent. Every field is wiped whatever the outcome. */
  async submit(): Promise<void> {
    if (this.busy || this.done) return;
    const [oldPin, newPin, confirm] = FIELDS.map((name) => this.field(name)?.value ?? '') as [string, string, string];
    this.error = '';
    if (!oldPin) return void this.refuse('pinChange.oldRequired', 'old');
    const violation = checkPinPolicy(newPin, this.birthDate);
    if (violation) return void this.refuse(`wizard.password.${violation}`, 'old');
    if (newPin !== confirm) return void this.refuse('wizard.password.mismatch', 'old');
    if (newPin === oldPin) return void this.refuse('pinChange.same', 'old');
    this.clearFields();
    this.busy = true;
    try {
      const client = AgentClient.shared(this.agentUrl);
      await client.request('pin.change', { tokenId: this.tokenId, oldPin, newPin });
      this.done = true;
      this.dispatchEvent(new SicertPinChangedEvent({ tokenId: this.tokenId }));
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLElement>(this.done ? 'button.close' : 'sicert-pin-input[data-field="old"]')?.focus();
  }

  /** The agent's refusal in the citizen's words; a wrong current password says so, a locked one what to do. */
  private fail(error: unknown): void {
    const detail = this.agentErrorDetail(error, Reason.DISCONNECTED);
    const reason = error instanceof AgentError ? error.reason : undefined;
    if (reason === Reason.PIN_INCORRECT && detail.retriesLeft !== undefined) detail.message = this.t('pinChange.wrongOld', { n: detail.retriesLeft });
    if (reason === Reason.PIN_LOCKED) detail.message = this.t(this.provider === 'soft' ? 'status.locked.computer' : 'status.locked.usbKey', { hotline: this.hotline });
    this.error = detail.message;
    this.dispatchEvent(new SicertErrorEvent(detail));
  }

  /** Enter moves on to the next field, and submits from the last. */
  private enter(from: Field): void {
    const next = FIELDS[FIELDS.indexOf(from) + 1];
    if (next) this.field(next)?.focus();
    else void this.submit();
  }

  override render() {
    const pinField = (name: Field, label: TranslationKey, meter = false) =>
      html`<sicert-pin-input
        data-field=${name}
        .label=${this.t(label)}
        .hint=${''}
        .locale=${this.locale}
        ?meter=${meter}
        .birthDate=${this.birthDate}
        ?disabled=${this.busy || this.done}
        @sicert-pin-submit=${() => this.enter(name)}
      ></sicert-pin-input>`;
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @close=${() => this.closed()} @cancel=${(e: Event) => this.busy && e.preventDefault()}>
      <h2 id="title">${this.t('pinChange.title')}</h2>
      ${this.tokenLabel ? html`<p class="subtitle">${this.tokenLabel}</p>` : nothing}
      <p id="intro" class="hint">${this.t('pinChange.intro')}</p>
      ${pinField('old', 'pinChange.old')} ${pinField('new', 'pinChange.new', true)} ${pinField('confirm', 'pinChange.confirm')}
      ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing}
      ${this.done ? html`<p part="result" class="result" role="status">${this.t('pinChange.done')}</p>` : nothing}
      ${this.busy ? html`<p class="hint" role="status">${this.t('pinChange.submitting')}</p>` : nothing}
      <div class="actions">
        ${this.done
          ? html`<button type="button" class="primary close" @click=${() => this.close()}>${this.t('pinChange.close')}</button>`
          : html`<button type="button" class="cancel" ?disabled=${this.busy} @click=${() => this.close()}>${this.t('pinChange.cancel')}</button>
              <button part="submit-button" type="button" class="primary submit" ?disabled=${this.busy} @click=${() => void this.submit()}>${this.t('pinChange.submit')}</button>`}
      </div>
    </dialog>`;
  }
}
