import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AgentError, Reason, type CertificateInfo, type Token } from '@sicert/protocol';
import { BackendError, backendErrorDetail, type PortalBackend } from '../../backend/portal-backend.js';
import { RestPortalBackend } from '../../backend/rest-portal-backend.js';
import type { CertificateRecord, RegionProfile } from '../../backend/types.js';
import { AgentController, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS } from '../../internal/agent-connection.js';
import { dialogStyles } from '../../internal/dialog-styles.js';
import { formatDate } from '../../internal/format.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { card, tokens } from '../../internal/theme.js';
import {
  SicertCertificateInstalledEvent,
  SicertErrorEvent,
  SicertForgetEvent,
  SicertLossReportedEvent,
  SicertPinChangeEvent,
  SicertReapplyEvent,
  SicertRenewEvent,
  SicertReportLossEvent,
  type ReapplyReason,
} from '../../events.js';
import type { SicertPinChange } from '../pin-change/pin-change.component.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { Renewal } from './cert-renewal.js';
import { renderLossDialog, renderRenewDialog, type DialogState, type DialogView, type RenewalState } from './cert-status-dialogs.js';
import { renderHelp } from './cert-status-help.js';
import { groupByToken, normalizeBirthDate } from './cert-status-model.js';
import { renderPinChange } from './cert-status-pin.js';
import { certStatusStyles } from './cert-status.styles.js';
import { LiveTokens } from './live-tokens.js';
import { StatusData } from './cert-status-data.js';
import { renderTokenGroup, type Outcome, type StatusView } from './cert-status-view.js';

const ENROL = ['key.generate', 'csr.create', 'sign.data', 'cert.install'];

/**
 * The certificate status card (证书状态): the agent's state, each token (USB-Key, or 本机 · <holder>) with its
 * password state, and each certificate with holder, type, issuer, serial number, validity with the days left and a
 * badge (有效, 即将过期, 已过期, 未生效, 已吊销 or 已更新 as the portal knows it, 密码已锁定). It follows the agent's token
 * notifications, so plugging a USB-Key in or out shows without a reload. From it the citizen changes the password,
 * renews in the 30 days before expiry, reports a certificate lost and applies again; on a public computer one
 * button forgets everything it showed.
 *
 * @csspart base - The card.
 * @csspart token - One token with its certificates.
 * @csspart certificate - One certificate.
 * @csspart badge - A certificate's status badge.
 * @csspart note - What a certificate's status means, and what to do.
 * @csspart notice - A token's password state (locked, tries left, damaged).
 * @csspart dialog - The renewal and loss-report dialogs.
 * @csspart error - A problem (role="alert").
 * @csspart result - The outcome of an action, beside the certificate it concerns (role="status").
 * @csspart help - The help and FAQ disclosure.
 * @csspart forget-button - The public-computer button.
 * @cssproperty --sicert-color-primary - Accent colour: buttons, a valid certificate's badge border.
 * @cssproperty --sicert-color-success - The valid badge.
 * @cssproperty --sicert-color-warning - The expiring badge and the renewal note.
 * @cssproperty --sicert-color-danger - Expired, revoked and locked badges; the loss-report button.
 * @cssproperty --sicert-color-border - Borders of tokens and certificates.
 * @cssproperty --sicert-color-surface-muted - Background of a token.
 * @cssproperty --sicert-radius - Corner radius.
 * @cssproperty --sicert-font-family - Font stack.
 * @fires sicert-pin-change - Before the password dialog opens (cancelable): `{ token }`.
 * @fires sicert-pin-changed - The password was changed: `{ tokenId }`.
 * @fires sicert-renew - Before a renewal (cancelable): `{ certificate }`.
 * @fires sicert-certificate-installed - The renewed certificate is installed and proven: `{ application, certId }`.
 * @fires sicert-report-loss - Before the loss confirmation (cancelable): `{ certificate }`.
 * @fires sicert-loss-reported - The portal revoked the certificate: `{ certificate, record }`.
 * @fires sicert-reapply - The citizen asks to apply again (补办): `{ certificate, reason }`; the page opens its wizard.
 * @fires sicert-forget - Before the card forgets what it shows (cancelable).
 * @fires sicert-error - An agent or backend failure: `{ reason, message, code? }`.
 * @fires sicert-agent-state - The agent state shown changed: `{ state, agentVersion?, missingCapabilities? }`.
 *
 * @tagname sicert-cert-status
 */
export class SicertCertStatus extends SicertElement {
  static override styles = [tokens, card, dialogStyles, certStatusStyles];

  /** The agent's WebSocket URL. */
  @property({ attribute: 'agent-url' }) agentUrl = DEFAULT_AGENT_URL;
  /** Milliseconds the element shows "reconnecting" after losing the agent before it says "not running". */
  @property({ attribute: 'reconnect-timeout', type: Number }) reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT_MS;
  /** Base URL of the REST backend contract, used when no `backend` object is set. */
  @property({ attribute: 'backend-url' }) backendUrl = '/api/sicert/v1';
  /** The portal's backend (revocation status, loss report, renewal); defaults to the REST contract at `backendUrl`. */
  @property({ attribute: false }) backend?: PortalBackend;
  /** Region profile id: the hotline, fees and timing the help names. Without it the help is generic (12333). */
  @property() region = '';
  /**
   * The signed-in holder's birth date (`YYYYMMDD`, or `YYYY-MM-DD`), e.g. `validateResidentId(idNumber).birthDate`
   * from the portal's login: a new password may not contain it, as in the wizard. It applies to the tokens the portal
   * does not say are someone else's (`CertificateRecord.mine`). Anything else is ignored.
   */
  @property({ attribute: 'birth-date', converter: { fromAttribute: (value) => normalizeBirthDate(value) } }) birthDate?: string;

  @state() private profile?: RegionProfile;
  @state() private forgotten = false;
  @state() private outcome?: Outcome;
  @state() private error = '';
  @state() private renewing?: RenewalState;
  @state() private losing?: DialogState;
  @state() private pinToken?: Token;
  private renewal?: Renewal;
  private opener?: HTMLElement;
  private readonly data = new StatusData(this);
  private readonly agent = new AgentController(this, ['token.list', 'cert.list'], () => this.connected());
  private readonly live = new LiveTokens(() => void this.load(), (tokenId) => this.data.drop(tokenId));

  private get api(): PortalBackend {
    this.backend ??= new RestPortalBackend(this.backendUrl, () => this.currentLocale);
    return this.backend;
  }

  private get hotline(): string {
    return this.profile?.hotline ?? '12333';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('agentUrl') && changed.get('agentUrl') !== undefined) void this.agent.check();
    if (changed.has('region') && this.region) void this.loadProfile();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.live.stop();
  }

  /** Asks the agent and the portal again: tokens, certificates and every certificate's revocation status. */
  async refresh(): Promise<void> {
    this.forgotten = false;
    this.data.forget();
    await this.load();
  }

  /**
   * Forgets everything the card shows (公共电脑): tokens, certificates, statuses, messages and open dialogs, with
   * every password field wiped, and tells the citizen to close the browser. Notifications are ignored until
   * {@link refresh}.
   */
  forget(): void {
    this.forgotten = true;
    this.data.forget();
    this.outcome = undefined;
    this.error = '';
    this.renewal = undefined;
    for (const input of this.shadowRoot?.querySelectorAll<SicertPinInput>('sicert-pin-input') ?? []) input.clear();
    for (const dialog of this.shadowRoot?.querySelectorAll('dialog') ?? []) dialog.close();
    this.shadowRoot?.querySelector<SicertPinChange>('sicert-pin-change')?.close();
    this.renewing = undefined;
    this.losing = undefined;
    this.pinToken = undefined;
  }

  private connected(): void {
    const client = this.agent.client;
    if (client) this.live.follow(client);
    void this.load();
  }

  private async loadProfile(): Promise<void> {
    try {
      this.profile = await this.api.region(this.region);
    } catch {
      // The help then names the national hotline; nothing the citizen must act on.
      this.profile = undefined;
    }
  }

  /** Asks the agent (and the portal) again, unless the card forgot everything; a failure shows on the card. */
  private async load(): Promise<void> {
    const client = this.agent.client;
    if (!client || this.forgotten) return;
    try {
      await this.data.load(client, this.api);
      this.error = '';
    } catch (error) {
      this.error = this.fail(error);
    }
  }

  private fail(error: unknown): string {
    const detail = error instanceof BackendError ? backendErrorDetail(error) : this.agentErrorDetail(error);
    this.dispatchEvent(new SicertErrorEvent(detail));
    return detail.message;
  }

  private async changePin(token: Token, opener: HTMLElement): Promise<void> {
    if (!this.dispatchEvent(new SicertPinChangeEvent({ token }))) return;
    this.opener = opener;
    this.pinToken = token;
    await this.updateComplete;
    await this.shadowRoot?.querySelector<SicertPinChange>('sicert-pin-change')?.show();
  }

  private async openDialog(id: 'renew-dialog' | 'loss-dialog', opener: HTMLElement): Promise<void> {
    this.opener = opener;
    this.outcome = undefined;
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLDialogElement>(`#${id}`)?.showModal();
    this.shadowRoot?.querySelector<SicertPinInput>(`#${id} sicert-pin-input`)?.focus();
  }

  private renew(cert: CertificateInfo, opener: HTMLElement): void {
    if (!this.dispatchEvent(new SicertRenewEvent({ certificate: cert }))) return;
    if (this.renewal?.certificate.id !== cert.id) this.renewal = new Renewal(cert);
    this.renewing = { cert, busy: false, error: '', step: undefined };
    void this.openDialog('renew-dialog', opener);
  }

  /** The renewal with the typed password, which leaves the field for these requests and is wiped whatever happens. */
  private async startRenewal(): Promise<void> {
    const renewal = this.renewal;
    const client = this.agent.client;
    const input = this.shadowRoot?.querySelector<SicertPinInput>('#renew-dialog sicert-pin-input');
    const pin = input?.value ?? '';
    input?.clear();
    if (!renewal || !this.renewing || this.renewing.busy) return;
    if (!client) return void (this.renewing = { ...this.renewing, error: this.fail(new AgentError(Reason.DISCONNECTED, 'agent not connected')) });
    if (!pin) return void (this.renewing = { ...this.renewing, error: this.t('pinRequired') });
    this.renewing = { ...this.renewing, busy: true, error: '' };
    try {
      const done = await renewal.run(client, this.api, this.agent.info?.algorithms ?? [], pin, (step) => (this.renewing = { ...this.renewing!, step }));
      this.renewal = undefined;
      this.dispatchEvent(new SicertCertificateInstalledEvent({ application: done.application, certId: done.certId }));
      // Forgotten meanwhile (公共电脑): the certificate is installed, but nothing of it comes back into the card.
      if (this.forgotten) return;
      // The portal supersedes the old certificate once the new one is installed: ask about it again.
      this.data.setRecord(renewal.certificate.serialNumber, undefined);
      await this.load();
      const installed = this.data.certificates.find((c) => c.id === done.certId);
      this.renewing = undefined;
      // The renew button went with the old certificate's badge: focus goes to the outcome, beside the new one.
      this.opener = undefined;
      this.shadowRoot?.querySelector<HTMLDialogElement>('#renew-dialog')?.close();
      const text = this.t('status.renew.done', { date: installed ? formatDate(installed.notAfter) : '' });
      this.outcome = { tokenId: renewal.certificate.tokenId, ...(installed ? { serialNumber: installed.serialNumber } : {}), text };
      await this.updateComplete;
      this.shadowRoot?.querySelector<HTMLElement>('#outcome')?.focus();
    } catch (error) {
      if (this.renewing) this.renewing = { ...this.renewing, busy: false, error: this.fail(error) };
      await this.updateComplete;
      input?.focus();
    }
  }

  private reportLoss(cert: CertificateInfo, opener: HTMLElement): void {
    if (!this.dispatchEvent(new SicertReportLossEvent({ certificate: cert }))) return;
    this.losing = { cert, busy: false, error: '' };
    void this.openDialog('loss-dialog', opener);
  }

  private async confirmLoss(): Promise<void> {
    const losing = this.losing;
    if (!losing || losing.busy) return;
    this.losing = { ...losing, busy: true, error: '' };
    try {
      const record: CertificateRecord = await this.api.reportLoss(losing.cert.serialNumber);
      this.dispatchEvent(new SicertLossReportedEvent({ certificate: losing.cert, record }));
      if (this.forgotten) return;
      this.data.setRecord(losing.cert.serialNumber, record);
      this.outcome = { tokenId: losing.cert.tokenId, serialNumber: losing.cert.serialNumber, text: this.t('status.loss.done') };
      this.losing = undefined;
      // The button that opened the dialog is gone with the badge's change: focus goes to what comes next, 补办.
      this.opener = undefined;
      this.shadowRoot?.querySelector<HTMLDialogElement>('#loss-dialog')?.close();
      await this.updateComplete;
      this.shadowRoot?.querySelector<HTMLElement>(`li[data-serial="${CSS.escape(losing.cert.serialNumber)}"] button.reapply`)?.focus();
    } catch (error) {
      this.losing = { ...losing, busy: false, error: this.fail(error) };
    }
  }

  private reapply(cert: CertificateInfo, reason: ReapplyReason): void {
    this.dispatchEvent(new SicertReapplyEvent({ certificate: cert, reason }));
  }

  /** A dialog closed: its password field is wiped, its state dropped, and focus goes back to what opened it. */
  private dialogClosed(id: 'renew-dialog' | 'loss-dialog' | 'pin-change'): void {
    if (id === 'renew-dialog') {
      this.shadowRoot?.querySelector<SicertPinInput>('#renew-dialog sicert-pin-input')?.clear();
      this.renewing = undefined;
    } else if (id === 'loss-dialog') this.losing = undefined;
    else this.pinToken = undefined;
    if (this.opener?.isConnected && !this.forgotten) this.opener.focus();
    this.opener = undefined;
  }

  private publicComputer(): void {
    if (!this.dispatchEvent(new SicertForgetEvent())) return;
    this.forget();
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>('.forgotten')?.focus());
  }

  private view(): StatusView & DialogView {
    const capabilities = this.agent.info?.capabilities ?? [];
    return {
      t: (key, values) => this.t(key, values),
      now: new Date(),
      hotline: this.hotline,
      busy: Boolean(this.renewing?.busy || this.losing?.busy),
      canChangePin: capabilities.includes('pin.change'),
      canEnrol: ENROL.every((c) => capabilities.includes(c)),
      outcome: this.outcome,
      record: (serial) => this.data.records[serial],
      changePin: (token, opener) => void this.changePin(token, opener),
      renew: (cert, opener) => this.renew(cert, opener),
      reportLoss: (cert, opener) => this.reportLoss(cert, opener),
      reapply: (cert, reason) => this.reapply(cert, reason),
      ...{ renewing: this.renewing, losing: this.losing, profile: this.profile },
      startRenewal: () => void this.startRenewal(),
      confirmLoss: () => void this.confirmLoss(),
      dismiss: (id) => this.shadowRoot?.querySelector<HTMLDialogElement>(`#${id}`)?.close(),
      closed: (id) => this.dialogClosed(id),
    };
  }

  private renderBody(v: StatusView & DialogView) {
    if (this.forgotten) return html`<p class="forgotten" role="status" tabindex="-1">${this.t('status.forgotten')}</p>`;
    if (this.agent.state !== 'ready') return nothing;
    if (!this.data.loaded) return html`<p class="hint" role="status">${this.t('status.loading')}</p>`;
    const groups = groupByToken(this.data.tokens, this.data.certificates);
    return groups.length ? groups.map((group, i) => renderTokenGroup(v, group, i)) : html`<p class="empty">${this.t('status.empty')}</p>`;
  }

  override render() {
    const v = this.view();
    return html`<section part="base" class="base" aria-labelledby="title">
      <div class="title-row">
        <h2 id="title">${this.t('status.title')}</h2>
        ${this.agent.state === 'ready' && !this.forgotten ? html`<button type="button" class="refresh" ?disabled=${v.busy} @click=${() => void this.refresh()}>${this.t('status.refresh')}</button>` : nothing}
      </div>
      <sicert-agent-status .state=${this.agent.state} .locale=${this.locale} @sicert-retry=${() => void this.agent.check()}></sicert-agent-status>
      ${this.renderBody(v)} ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing} ${renderHelp(v, this.hotline)}
      <div class="footer" ?hidden=${this.forgotten}>
        <button part="forget-button" type="button" class="forget" ?disabled=${v.busy} @click=${() => this.publicComputer()}>${this.t('status.forget')}</button>
      </div>
      ${renderRenewDialog(v)} ${renderLossDialog(v)}
      ${renderPinChange({ ...v, agentUrl: this.agentUrl, locale: this.locale, birthDate: this.birthDate, certificates: this.data.certificates, closed: () => this.dialogClosed('pin-change') }, this.pinToken)}
    </section>`;
  }
}
