import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { AgentError, Reason, type AgentClient, type CertificateInfo, type SignFormat } from '@sicert/protocol';
import { RestPortalBackend } from '../../backend/rest-portal-backend.js';
import type { CertificateRecord } from '../../backend/types.js';
import { AgentController, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS } from '../../internal/agent-connection.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { card, tokens } from '../../internal/theme.js';
import { SicertBatchSignedEvent, SicertErrorEvent, SicertSignedEvent, type BatchOutcome } from '../../events.js';
import { canSign } from '../cert-picker/can-sign.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { lookUpRecords, preferredCertificate, type CertificateStatusSource } from './signer-status.js';
import { signerStyles } from './signer.styles.js';
import { batchTimeoutMs, itemMessageKey, MAX_BATCH_ITEMS, outcomesOf } from './signer-batch.js';
import { batchResult, consentBox, itemList, progressBar, type BatchProgress, type Translate } from './signer-batch-view.js';
import { toBatchItems, toPayload, type SignItem } from './signer-payload.js';

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
 * Given `items`, it signs them all at once (batch mode, `sign.batch`): the citizen sees every item's summary, consents
 * once and types the password once; progress shows while the agent signs, then each item's outcome.
 *
 * @csspart base - The card.
 * @csspart summary - "What you sign".
 * @csspart error - The error message (role="alert").
 * @csspart result - The success message.
 * @csspart sign-button - The sign button.
 * @csspart items - Batch mode: the list of items to sign (scrolls, takes keyboard focus).
 * @csspart item - Batch mode: one item of the list.
 * @csspart outcome - Batch mode: an item's outcome (signed, or not and why).
 * @csspart consent - Batch mode: the consent checkbox with its label.
 * @csspart progress - Batch mode: the progress bar while the agent signs.
 * @cssproperty --sicert-color-primary - Accent colour.
 * @cssproperty --sicert-color-danger - Error colour.
 * @cssproperty --sicert-color-surface-muted - Background of "what you sign".
 * @cssproperty --sicert-radius - Corner radius.
 * @cssproperty --sicert-font-family - Font stack.
 * @fires sicert-signed - A signature was made: `{ signature, certificate, certId, format }`.
 * @fires sicert-batch-signed - Batch mode: the agent went through the items: `{ outcomes, signed, failed, certificate, certId, format }`.
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
  /** Human-readable summary of what is signed, shown to the citizen (in batch mode: of the whole batch, optional). */
  @property() summary = '';
  /**
   * Batch mode: the items to sign at once, each with the summary the citizen reads (1-1,000). Set, it takes the place
   * of `data` and `digest`; unset (`undefined`) again, the signer signs one operation.
   */
  @property({ attribute: false }) items?: readonly SignItem[];
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
  /** Batch mode: the citizen ticked the consent. */
  @state() private consented = false;
  /** Batch mode: how far the agent has come, while it signs. */
  @state() private progress: BatchProgress | undefined;
  /** Batch mode: each item's outcome, once the agent answered. */
  @state() private outcomes: BatchOutcome[] | undefined;
  @query('sicert-pin-input') private pinInput?: SicertPinInput;
  @query('.consent input') private consentInput?: HTMLInputElement;
  /** The citizen picked the certificate (rather than the element preselecting it). */
  private chosenByCitizen = false;
  /** Loads may overlap (a refresh while the portal answers): only the newest decides. */
  private loads = 0;

  private readonly agent = new AgentController(this, () => ['cert.list', this.batch ? 'sign.batch' : 'sign.data'], () => void this.loadCertificates());

  /** Whether the signer signs `items` (batch mode) rather than `data` or `digest`. */
  private get batch(): boolean {
    return this.items !== undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('items')) {
      // New items are a new batch: nothing of the last one (consent, outcomes, message) may seem to apply to them.
      this.consented = false;
      this.outcomes = undefined;
      this.error = '';
      this.done = false;
      // Batch mode needs sign.batch, one operation sign.data: a change of mode checks the agent for it.
      if (this.hasUpdated && (changed.get('items') === undefined) !== (this.items === undefined)) void this.agent.check();
    }
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

  /**
   * Signs with the chosen certificate and the typed PIN: the one operation, or in batch mode every item at once after
   * the citizen's consent. Resolves when done; failures of the whole fire `sicert-error`.
   */
  async sign(): Promise<void> {
    if (this.busy) return;
    const pin = this.pinInput?.value ?? '';
    this.error = '';
    this.done = false;
    this.outcomes = undefined;
    const { client } = this.agent;
    const { items, certId, format } = this;
    const payload = items ? undefined : toPayload(this.data, this.digest);
    if (!client) { this.fail(new AgentError(Reason.DISCONNECTED, 'agent not connected')); return; }
    if (items ? items.length === 0 : !payload) { this.fail(undefined, this.t('nothingToSign')); return; }
    if (items && items.length > MAX_BATCH_ITEMS) { this.fail(undefined, this.t('batch.tooMany', { max: MAX_BATCH_ITEMS, n: items.length })); return; }
    if (!certId) { this.fail(undefined, this.t('chooseCertFirst')); return; }
    if (items && !this.consented) {
      this.fail(undefined, this.t('batch.consentRequired', { n: items.length }));
      this.consentInput?.focus();
      return;
    }
    if (!pin) { this.fail(undefined, this.t('pinRequired')); return; }
    this.busy = true;
    // The PIN leaves the field for this one request and is wiped from it whatever the outcome.
    this.pinInput?.clear();
    try {
      if (items) {
        await this.signBatch(client, items, { certId, pin, format });
      } else {
        const result = await client.request('sign.data', { certId, pin, format, ...payload! });
        this.done = true;
        this.dispatchEvent(new SicertSignedEvent({ ...result, certId, format }));
      }
    } catch (error) {
      this.fail(error);
      if ((error as AgentError).reason === Reason.PIN_LOCKED || (error as AgentError).reason === Reason.CERT_NOT_FOUND) void this.loadCertificates();
    } finally {
      this.busy = false;
      this.progress = undefined;
      await this.updateComplete;
      if (!this.done) this.pinInput?.focus();
    }
  }

  /**
   * One `sign.batch` for every item, showing the agent's progress; then each item's outcome, and the event with them
   * all in the items' order. Items the page replaced meanwhile get the event, not the new list's outcome marks.
   */
  private async signBatch(client: AgentClient, items: readonly SignItem[], request: { certId: string; pin: string; format: SignFormat }): Promise<void> {
    this.progress = { done: 0, total: items.length };
    const result = await client.request(
      'sign.batch',
      { ...request, items: toBatchItems(items) },
      { timeoutMs: batchTimeoutMs(items.length), onProgress: (done, total) => (this.progress = { done, total }) },
    );
    const outcomes = outcomesOf(result, items, (reason) => this.t(itemMessageKey(reason)));
    const failed = outcomes.filter((outcome) => 'error' in outcome).length;
    if (this.items === items) {
      this.outcomes = outcomes;
      this.done = true;
      // Signing these items again would be a new decision.
      this.consented = false;
    }
    const { certId, format } = request;
    this.dispatchEvent(new SicertBatchSignedEvent({ outcomes, signed: outcomes.length - failed, failed, certificate: result.certificate, certId, format }));
  }

  /** {@link SicertElement.t} for the batch templates, bound to this element. */
  private readonly say: Translate = (key, values) => this.t(key, values);

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
    const items = this.items;
    // A batch that was signed stays done until the portal gives new items: signing it again would be a second
    // decision over the same list, one tick and a password away. A list over the limit cannot be signed at all.
    const finished = items !== undefined && this.outcomes !== undefined;
    const tooMany = items !== undefined && items.length > MAX_BATCH_ITEMS;
    const locked = this.busy || !usable || finished || tooMany;
    // A batch's own summary is optional: each item carries the citizen's words for it.
    const summary = items ? this.summary : this.summary || this.t('noSummary');
    return html`<section part="base" class="base" aria-labelledby="title" aria-busy=${this.busy ? 'true' : 'false'}>
      <h2 id="title">${this.t('title')}</h2>
      <p class="summary-label" id="summary-label">${items ? this.t('batch.youSign', { n: items.length }) : this.t('youSign')}</p>
      ${summary ? html`<p part="summary" class="summary" aria-labelledby="summary-label">${summary}</p>` : nothing}
      ${items ? itemList(items, this.outcomes, this.say) : nothing}
      ${items && this.agent.state === 'too-old' && this.agent.info && !this.agent.info.capabilities.includes('sign.batch')
        ? html`<p class="unsupported">${this.t('batch.unsupported')}</p>`
        : nothing}
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
            ${tooMany ? html`<p class="error" role="alert">${this.t('batch.tooMany', { max: MAX_BATCH_ITEMS, n: items.length })}</p>` : nothing}
            ${items && !tooMany ? consentBox(items.length, this.consented, locked, (checked) => (this.consented = checked), this.say) : nothing}
            <sicert-pin-input .locale=${this.locale} ?disabled=${locked} @sicert-pin-submit=${() => void this.sign()}></sicert-pin-input>
          `
        : nothing}
      ${this.error ? html`<p part="error" class="error" role="alert">${this.error}</p>` : nothing}
      ${this.progress ? progressBar(this.progress, this.say) : nothing}
      ${this.outcomes ? batchResult(this.outcomes, this.say) : nothing}
      ${this.done && !items ? html`<p part="result" class="result" role="status">${this.t('signed')}<span class="verdict">${this.t('signedVerdict')}</span></p>` : nothing}
      ${ready
        ? html`<div class="actions">
            <button type="button" @click=${() => void this.loadCertificates()} ?disabled=${this.busy}>${this.t('refresh')}</button>
            <button part="sign-button" class="primary sign" type="button" @click=${() => void this.sign()} ?disabled=${locked}>
              ${this.busy ? this.t('signing') : finished ? this.t('batch.finished') : items ? this.t('batch.sign', { n: items.length }) : this.t('sign')}
            </button>
          </div>`
        : nothing}
    </section>`;
  }
}
