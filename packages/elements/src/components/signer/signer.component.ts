import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { AgentError, Reason, type CertificateInfo, type SignFormat } from '@sicert/protocol';
import { RestPortalBackend } from '../../backend/rest-portal-backend.js';
import type { CertificateRecord } from '../../backend/types.js';
import { AgentController, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS } from '../../internal/agent-connection.js';
import { bytesToBase64 } from '../../internal/format.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { card, tokens } from '../../internal/theme.js';
import { SicertErrorEvent, SicertSignedEvent } from '../../events.js';
import { canSign } from '../cert-picker/can-sign.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { lookUpRecords, preferredCertificate, type CertificateStatusSource } from './signer-status.js';
import { signerStyles } from './signer.styles.js';

/** True for a certificate kept on this computer (the agent's software token), by its provider or its token id. */
function onComputer(cert: CertificateInfo | undefined): boolean {
  return cert?.provider === 'soft' || (cert?.provider === undefined && (cert?.tokenId.startsWith('soft-') ?? false));
}

/**
 * Signs a business operation with the citizen's certificate: shows what is signed, the agent's state and the
 * certificates, takes the certificate password, and hands the portal a CMS signature. Given the portal's backend, it
 * asks whether each certificate is revoked (or replaced by its renewal) and offers only those that can still sign.
 * It cannot know whether the portal accepts the signature: it says "signed", and the page tells the verdict.
 *
 * @csspart base - The card.
 * @csspart summary - "What you sign".
 * @csspart error - The error message (role="alert").
 * @csspart result - The success message.
 * @csspart sign-button - The sign button.
 * @cssproperty --sicert-color-primary - Accent colour.
 * @cssproperty --sicert-color-danger - Error colour.
 * @cssproperty --sicert-color-surface-muted - Background of "what you sign".
 * @cssproperty --sicert-radius - Corner radius.
 * @cssproperty --sicert-font-family - Font stack.
 * @fires sicert-signed - A signature was made: `{ signature, certificate, certId, format }`.
 * @fires sicert-error - Signing failed: `{ reason, message, retriesLeft?, retryAfterMs? }`.
 * @fires sicert-agent-state - The agent state shown changed: `{ state, agentVersion?, missingCapabilities? }`.
 *
 * @tagname sicert-signer
 */
export class SicertSigner extends SicertElement {
  static override styles = [tokens, card, signerStyles];

  /** The agent's WebSocket URL. */
  @property({ attribute: 'agent-url' }) agentUrl = DEFAULT_AGENT_URL;
  /** Milliseconds the element shows "reconnecting" after losing the agent before it says "not running". */
  @property({ attribute: 'reconnect-timeout', type: Number }) reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT_MS;
  /** What to sign: text (signed as UTF-8) or bytes. */
  @property({ attribute: false }) data?: string | Uint8Array;
  /** Or a SHA-256 digest of it (base64 or bytes), when the portal hashes server-side. */
  @property({ attribute: false }) digest?: string | Uint8Array;
  /** Human-readable summary of what is signed, shown to the citizen. */
  @property() summary = '';
  /** Output format. */
  @property() format: SignFormat = 'cms-detached';
  /** Base URL of the REST backend contract, asked for certificate status when no `backend` is set. Unset: not asked. */
  @property({ attribute: 'backend-url' }) backendUrl = '';
  /**
   * The portal's backend (the status card's will do), asked whether each certificate is revoked. Without it (and
   * without `backendUrl`) certificates are judged by their dates alone, as before.
   */
  @property({ attribute: false }) backend?: CertificateStatusSource;

  @state() private certificates: CertificateInfo[] = [];
  @state() private certId = '';
  @state() private busy = false;
  @state() private error = '';
  @state() private done = false;
  /** What the portal said of each certificate, by serial number. */
  @state() private records: Record<string, CertificateRecord> = {};
  /** The portal is being asked: nothing is preselected until it answers. */
  @state() private checking = false;
  @query('sicert-pin-input') private pinInput?: SicertPinInput;
  /** The citizen picked the certificate (rather than the element preselecting it). */
  private chosenByCitizen = false;
  /** Loads may overlap (a refresh while the portal answers): only the newest decides. */
  private loads = 0;

  private readonly agent = new AgentController(this, ['cert.list', 'sign.data'], () => void this.loadCertificates());

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A page often sets agentUrl after the element connected: check the agent it named.
    if (changed.has('agentUrl') && changed.get('agentUrl') !== undefined) void this.agent.check();
    // A backend given after the certificates were listed: ask it about them now.
    if ((changed.has('backend') || changed.has('backendUrl')) && this.hasUpdated && this.agent.client) void this.loadCertificates();
  }

  private get statusSource(): CertificateStatusSource | undefined {
    return this.backend ?? (this.backendUrl ? new RestPortalBackend(this.backendUrl, () => this.currentLocale) : undefined);
  }

  private usable(cert: CertificateInfo): boolean {
    return canSign(cert, this.records[cert.serialNumber]);
  }

  /**
   * Lists the certificates again (after plugging in a USB-Key) and, with a backend, asks the portal about each
   * before preselecting one.
   */
  async loadCertificates(): Promise<void> {
    const client = this.agent.client;
    if (!client) return;
    const load = ++this.loads;
    try {
      const { certificates } = await client.request('cert.list', undefined);
      if (load !== this.loads) return;
      this.certificates = certificates;
      const source = this.statusSource;
      if (source) {
        this.checking = true;
        const records = await lookUpRecords(source, certificates);
        if (load !== this.loads) return;
        this.records = records;
        this.checking = false;
      }
      this.choose();
    } catch (error) {
      if (load !== this.loads) return;
      this.checking = false;
      this.fail(error);
    }
  }

  /**
   * Keeps a choice that can still sign; otherwise preselects the preferred certificate. A certificate the citizen
   * picked and the portal then refused is unselected rather than swapped: nothing is signed under a certificate the
   * citizen did not see chosen.
   */
  private choose(): void {
    const current = this.certificates.find((c) => c.id === this.certId);
    if (current && this.usable(current)) return;
    const picked = current !== undefined && this.chosenByCitizen;
    this.chosenByCitizen = false;
    this.certId = picked ? '' : (preferredCertificate(this.certificates, this.records)?.id ?? '');
  }

  /** Signs with the chosen certificate and the typed PIN. Resolves when done; failures fire `sicert-error`. */
  async sign(): Promise<void> {
    if (this.busy) return;
    const pin = this.pinInput?.value ?? '';
    this.error = '';
    this.done = false;
    const client = this.agent.client;
    const payload = this.payload();
    if (!client) { this.fail(new AgentError(Reason.DISCONNECTED, 'agent not connected')); return; }
    if (!payload) { this.fail(undefined, this.t('nothingToSign')); return; }
    if (!this.certId) { this.fail(undefined, this.t('chooseCertFirst')); return; }
    if (!pin) { this.fail(undefined, this.t('pinRequired')); return; }
    this.busy = true;
    // The PIN leaves the field for this one request and is wiped from it whatever the outcome.
    this.pinInput?.clear();
    try {
      const result = await client.request('sign.data', { certId: this.certId, pin, format: this.format, ...payload });
      this.done = true;
      this.dispatchEvent(new SicertSignedEvent({ ...result, certId: this.certId, format: this.format }));
    } catch (error) {
      this.fail(error);
      if ((error as AgentError).reason === Reason.PIN_LOCKED || (error as AgentError).reason === Reason.CERT_NOT_FOUND) void this.loadCertificates();
    } finally {
      this.busy = false;
      await this.updateComplete;
      if (!this.done) this.pinInput?.focus();
    }
  }

  private payload(): { data: string } | { digest: string; digestAlgorithm: 'SHA-256' } | undefined {
    const toB64 = (v: string | Uint8Array, text: boolean) => (typeof v === 'string' ? (text ? bytesToBase64(new TextEncoder().encode(v)) : v) : bytesToBase64(v));
    if (this.data !== undefined && this.data !== '') return { data: toB64(this.data, true) };
    if (this.digest !== undefined && this.digest !== '') return { digest: toB64(this.digest, false), digestAlgorithm: 'SHA-256' };
    return undefined;
  }

  private fail(error: unknown, text?: string): void {
    const detail = this.agentErrorDetail(error, Reason.INVALID_PARAMS);
    if (text !== undefined) detail.message = text;
    // A locked password means the hall for a USB-Key, but loss report and 补办 for a certificate on this computer.
    if (detail.reason === Reason.PIN_LOCKED) detail.message = this.t(onComputer(this.certificates.find((c) => c.id === this.certId)) ? 'signer.locked.computer' : 'signer.locked.usbKey');
    this.error = detail.message;
    this.dispatchEvent(new SicertErrorEvent(detail));
  }

  override render() {
    const ready = this.agent.state === 'ready';
    const usable = this.certificates.some((c) => this.usable(c));
    return html`<section part="base" class="base" aria-labelledby="title" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="title">${this.t('title')}</h2>
      <p class="summary-label" id="summary-label">${this.t('youSign')}</p>
      <p part="summary" class="summary" aria-labelledby="summary-label">${this.summary || this.t('noSummary')}</p>
      <sicert-agent-status .state=${this.agent.state} .locale=${this.locale} @sicert-retry=${() => void this.agent.check()}></sicert-agent-status>
      ${ready
        ? html`
            ${this.certificates.length
              ? html`<sicert-cert-picker
                  .certificates=${this.certificates}
                  .records=${this.records}
                  .value=${this.certId}
                  .locale=${this.locale}
                  ?disabled=${this.busy}
                  @change=${(e: Event) => {
                    this.certId = (e.target as HTMLInputElement).value;
                    this.chosenByCitizen = true;
                  }}
                ></sicert-cert-picker>`
              : html`<p class="empty">${this.t('noCertificates')}</p>`}
            ${this.checking ? html`<p class="hint checking" role="status">${this.t('checkingStatus')}</p>` : nothing}
            <sicert-pin-input .locale=${this.locale} ?disabled=${this.busy || !usable} @sicert-pin-submit=${() => void this.sign()}></sicert-pin-input>
          `
        : nothing}
      ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing}
      ${this.done ? html`<p part="result" class="result" role="status">${this.t('signed')}<span class="verdict">${this.t('signedVerdict')}</span></p>` : nothing}
      ${ready
        ? html`<div class="actions">
            <button type="button" @click=${() => void this.loadCertificates()} ?disabled=${this.busy}>${this.t('refresh')}</button>
            <button part="sign-button" class="primary sign" type="button" @click=${() => void this.sign()} ?disabled=${this.busy || !usable}>
              ${this.busy ? this.t('signing') : this.t('sign')}
            </button>
          </div>`
        : nothing}
    </section>`;
  }
}
