import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { AgentError, checkPinPolicy, type Token } from '@sicert/protocol';
import { BackendError, installationChallenge, type PortalBackend } from '../../backend/portal-backend.js';
import { RestPortalBackend } from '../../backend/rest-portal-backend.js';
import type { Applicant, Application, CertificateType, MaterialKind, Medium, RegionProfile } from '../../backend/types.js';
import { AgentController, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS } from '../../internal/agent-connection.js';
import { bytesToBase64 } from '../../internal/format.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { card, choice, tokens } from '../../internal/theme.js';
import type { TranslationKey } from '../../internal/localize.js';
import { validateCardNumber, validateCreditCode, validateMobile, validatePersonName, validateResidentId } from '../../validators/index.js';
import { SicertErrorEvent } from '../../events.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { wizardStyles } from './apply-wizard.styles.js';

/** The wizard's steps, in order. The last two follow submission. */
export const WIZARD_STEPS = ['eligibility', 'type', 'details', 'materials', 'password', 'face', 'review', 'status', 'install'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/**
 * The portal's face-verification service (人脸识别核验). Returns whether the person passed and, if so, a token the
 * backend accepts as proof for this application (bound to `applicationKey`).
 */
export type FaceVerifier = (person: { name: string; idNumber: string }, context: { applicationKey: string; region: string }) => Promise<{ passed: boolean; token?: string }>;

type FieldName = 'name' | 'idNumber' | 'cardNumber' | 'mobile' | 'orgName' | 'creditCode' | 'agentName' | 'agentIdNumber';
type Form = Record<FieldName, string>;

interface Upload {
  uploadId?: string;
  fileName: string;
  preview?: string;
  uploading: boolean;
}

const EMPTY_FORM: Form = { name: '', idNumber: '', cardNumber: '', mobile: '', orgName: '', creditCode: '', agentName: '', agentIdNumber: '' };
const KEY_ALGORITHM = 'ECDSA-P256';
const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'application/pdf'];

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * Applies for the social-insurance digital certificate online (线上办理): eligibility → certificate type →
 * details → materials → certificate password (key generated on the chosen medium) → face verification →
 * review and submit → status → install. It talks to the portal only through a {@link PortalBackend} and to
 * the citizen's computer only through the agent. Nothing it holds is written to browser storage.
 *
 * @tagname sicert-apply-wizard
 * @csspart base - The card.
 * @csspart steps - The step indicator.
 * @csspart error - A step's error message (role="alert").
 * @fires sicert-application-submitted - `{ application }` once the backend accepted the application.
 * @fires sicert-certificate-installed - `{ application, certId }` once the certificate is installed and proven.
 * @fires sicert-error - An agent or backend failure: `{ reason, message }`.
 * @fires sicert-agent-state - The agent state shown changed: `{ state, agentVersion?, missingCapabilities? }`.
 */
export class SicertApplyWizard extends SicertElement {
  static override styles = [tokens, card, choice, wizardStyles];

  @property({ attribute: 'agent-url' }) agentUrl = DEFAULT_AGENT_URL;
  /** Milliseconds the element shows "reconnecting" after losing the agent before it says "not running". */
  @property({ attribute: 'reconnect-timeout', type: Number }) reconnectTimeout = DEFAULT_RECONNECT_TIMEOUT_MS;
  /** Base URL of the REST backend contract, used when no `backend` object is set. */
  @property({ attribute: 'backend-url' }) backendUrl = '/api/sicert/v1';
  /** The portal's backend; defaults to the REST contract at `backendUrl`. */
  @property({ attribute: false }) backend?: PortalBackend;
  /** Region profile id (which province's rules apply). */
  @property() region = '';
  /** The signed-in person, from the portal's login (实名认证), to pre-fill the form. */
  @property({ attribute: false }) applicant?: Applicant;
  /** The portal's face-verification hook. */
  @property({ attribute: false }) faceVerifier?: FaceVerifier;
  /** The application date (for the age rule); default today. */
  @property({ attribute: false }) today?: Date;

  @state() step: WizardStep = 'eligibility';
  @state() private profile?: RegionProfile;
  @state() private form: Form = { ...EMPTY_FORM };
  @state() private certType: CertificateType = 'personal';
  @state() private onBehalf = false;
  @state() private errors: Partial<Record<FieldName, string>> = {};
  @state() private message = '';
  @state() private busy = false;
  @state() private insurance = '';
  @state() private uploads: Partial<Record<MaterialKind, Upload>> = {};
  @state() private medium: Medium = 'computer';
  @state() private agentTokens: Token[] = [];
  @state() private usbTokenId = '';
  @state() private key?: { tokenId: string; keyId: string; csr: string };
  @state() private faceToken = '';
  @state() private application?: Application;
  private idempotencyKey = crypto.randomUUID();
  private focusHeading = false;

  private readonly agent = new AgentController(this, ['key.generate', 'csr.create', 'cert.install', 'sign.data'], () => void this.loadTokens());

  private get api(): PortalBackend {
    this.backend ??= new RestPortalBackend(this.backendUrl, () => this.currentLocale);
    return this.backend;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.clearPreviews();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('applicant') && this.applicant) {
      const a = this.applicant;
      this.form = { ...this.form, name: a.name, idNumber: a.idNumber, mobile: a.mobile ?? '', cardNumber: a.cardNumber ?? '' };
    }
    if (changed.has('agentUrl') && changed.get('agentUrl') !== undefined) void this.agent.check();
    if (changed.has('region') && this.region) void this.start();
  }

  protected override updated(): void {
    if (this.focusHeading) {
      this.focusHeading = false;
      this.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
    }
  }

  /** Loads the region profile, and resumes an application the backend already has. */
  private async start(): Promise<void> {
    try {
      this.profile = await this.api.region(this.region);
      const current = await this.api.current();
      if (current && current.status !== 'installed') this.showApplication(current);
    } catch (error) {
      this.fail(error);
    }
  }

  private go(step: WizardStep): void {
    this.step = step;
    this.message = '';
    this.focusHeading = true;
  }

  private fail(error: unknown): void {
    if (error instanceof BackendError) {
      const field = error.field as FieldName | undefined;
      if (field && field in EMPTY_FORM) {
        const message = error.code === 'RECORD_MISMATCH' ? this.t('wizard.field.mismatch', { field: this.t(`wizard.field.${field}`) }) : error.message;
        this.errors = { ...this.errors, [field]: message };
      } else if (error.field?.startsWith('agent.')) {
        this.errors = { ...this.errors, [error.field === 'agent.name' ? 'agentName' : 'agentIdNumber']: error.message };
      }
      this.message = error.message;
      this.dispatchEvent(new SicertErrorEvent({ reason: 'INVALID_PARAMS', message: error.message, code: error.code }));
      return;
    }
    const detail = this.agentErrorDetail(error);
    this.message = detail.message;
    this.dispatchEvent(new SicertErrorEvent(detail));
  }

  private async run(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.message = '';
    try {
      await work();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  // ---- validation -------------------------------------------------------------------------------------------

  /** The minimum age for a field's ID number: the region's for the holder, 18 for a 委托代办 agent. */
  private minimumAgeFor(field: FieldName): number {
    return field === 'agentIdNumber' ? 18 : (this.profile?.minimumAge ?? 16);
  }

  /** The validator of each field; each returns the normalised value or a code. */
  private validate(field: FieldName, value: string): { valid: true; value: string } | { valid: false; code: string } {
    switch (field) {
      case 'name':
      case 'agentName':
        return validatePersonName(value);
      case 'idNumber':
      case 'agentIdNumber':
        return validateResidentId(value, { today: this.today ?? new Date(), minimumAge: this.minimumAgeFor(field) });
      case 'mobile':
        return validateMobile(value);
      case 'cardNumber':
        return validateCardNumber(value);
      case 'creditCode':
        return validateCreditCode(value);
      case 'orgName':
        return value.trim().length >= 2 ? { valid: true, value } : { valid: false, code: 'REQUIRED' };
    }
  }

  private checkField(field: FieldName): boolean {
    const result = this.validate(field, this.form[field]);
    if (result.valid) this.form[field] = result.value;
    const message = result.valid
      ? undefined
      : this.t(`wizard.field.${result.code}` as TranslationKey, { field: this.t(`wizard.field.${field}`), age: this.minimumAgeFor(field) });
    this.errors = { ...this.errors, [field]: message };
    return message === undefined;
  }

  private checkFields(fields: FieldName[]): boolean {
    // Check every field, so each problem shows at once.
    const results = fields.map((f) => this.checkField(f));
    const ok = results.every(Boolean);
    if (!ok) void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus());
    return ok;
  }

  private get detailFields(): FieldName[] {
    if (this.certType === 'organization') return ['orgName', 'creditCode', 'mobile'];
    return ['name', 'idNumber', 'cardNumber', 'mobile', ...(this.onBehalf ? (['agentName', 'agentIdNumber'] as FieldName[]) : [])];
  }

  private get requiredMaterials(): MaterialKind[] {
    const m = this.profile?.materials;
    if (!m) return [];
    if (this.certType === 'organization') return m.organization;
    return this.onBehalf ? m.onBehalf : m.personal;
  }

  // ---- steps ------------------------------------------------------------------------------------------------

  private next(): void {
    switch (this.step) {
      case 'eligibility':
        if (!this.checkFields(['name', 'idNumber'])) return;
        void this.run(async () => {
          const result = await this.api.checkEligibility({ region: this.region, name: this.form.name, idNumber: this.form.idNumber });
          this.insurance = result.insurance ?? '';
          this.go('type');
        });
        return;
      case 'type':
        this.go('details');
        return;
      case 'details':
        if (!this.checkFields(this.detailFields)) return;
        void this.run(async () => {
          const f = this.form;
          await this.api.checkEligibility({
            region: this.region,
            type: this.certType,
            name: f.name,
            idNumber: f.idNumber,
            mobile: f.mobile,
            ...(this.certType === 'personal' ? { cardNumber: f.cardNumber } : { orgName: f.orgName.trim(), creditCode: f.creditCode }),
          });
          this.go('materials');
        });
        return;
      case 'materials': {
        const missing = this.requiredMaterials.find((kind) => !this.uploads[kind]?.uploadId);
        if (missing) {
          this.message = this.t('wizard.materials.missing', { kind: this.t(`material.${missing}`) });
          return;
        }
        this.go('password');
        return;
      }
      case 'password':
        void this.createKey();
        return;
      case 'face':
        if (!this.faceToken) {
          this.message = this.t('wizard.face.failed');
          return;
        }
        this.go('review');
        return;
      case 'review':
        void this.submit();
        return;
      default:
    }
  }

  private back(): void {
    const index = WIZARD_STEPS.indexOf(this.step);
    if (index > 0 && index <= WIZARD_STEPS.indexOf('review')) this.go(WIZARD_STEPS[index - 1]!);
  }

  private async loadTokens(): Promise<void> {
    if (!this.agent.client) return;
    try {
      this.agentTokens = (await this.agent.client.request('token.list', undefined)).tokens;
      const usb = this.agentTokens.filter((t) => t.provider === 'pkcs11' && t.pin.initialized);
      if (!usb.some((t) => t.id === this.usbTokenId)) this.usbTokenId = usb[0]?.id ?? '';
    } catch (error) {
      this.fail(error);
    }
  }

  private get softToken(): Token | undefined {
    return this.agentTokens.find((t) => t.provider === 'soft');
  }

  /** A new certificate password is being set (the computer's store has none yet). */
  private get settingNewPassword(): boolean {
    return this.medium === 'computer' && !this.softToken?.pin.initialized;
  }

  private pinField(name: string): SicertPinInput | null {
    return this.shadowRoot?.querySelector<SicertPinInput>(`sicert-pin-input[data-name="${name}"]`) ?? null;
  }

  /** Generates the key on the chosen medium and has it sign the request; the PIN is used here and dropped. */
  private async createKey(): Promise<void> {
    const pinInput = this.pinField('pin');
    const confirmInput = this.pinField('confirm');
    const pin = pinInput?.value ?? '';
    const confirm = confirmInput?.value ?? '';
    pinInput?.clear();
    confirmInput?.clear();
    const client = this.agent.client;
    if (!client) {
      this.fail(new AgentError('DISCONNECTED', 'agent not connected'));
      return;
    }
    const tokenId = this.medium === 'computer' ? this.softToken?.id : this.usbTokenId;
    if (!tokenId) {
      this.message = this.t('wizard.medium.noUsbKey');
      return;
    }
    if (!pin) {
      this.message = this.t('pinRequired');
      return;
    }
    if (this.settingNewPassword) {
      const birthDate = validateResidentId(this.form.idNumber, { today: this.today ?? new Date() });
      const violation = checkPinPolicy(pin, birthDate.valid ? birthDate.birthDate : undefined);
      if (violation) {
        this.message = this.t(`wizard.password.${violation}`);
        return;
      }
      if (pin !== confirm) {
        this.message = this.t('wizard.password.mismatch');
        return;
      }
    }
    await this.run(async () => {
      const { keyId } = await client.request('key.generate', { tokenId, pin, algorithm: KEY_ALGORITHM, label: 'sicert' });
      const subject: Record<string, string> =
        this.certType === 'organization' ? { C: 'CN', O: this.form.orgName, organizationIdentifier: this.form.creditCode, CN: this.form.orgName } : { C: 'CN', CN: this.form.name };
      const { csr } = await client.request('csr.create', { tokenId, keyId, pin, subject });
      this.key = { tokenId, keyId, csr };
      await this.loadTokens();
      this.go('face');
    });
  }

  private async verifyFace(): Promise<void> {
    if (!this.faceVerifier) {
      this.message = this.t('wizard.face.unavailable');
      return;
    }
    const verifier = this.faceVerifier;
    await this.run(async () => {
      const result = await verifier({ name: this.form.name, idNumber: this.form.idNumber }, { applicationKey: this.idempotencyKey, region: this.region });
      this.faceToken = result.passed && result.token ? result.token : '';
      if (!this.faceToken) this.message = this.t('wizard.face.failed');
    });
  }

  /** Submits once: a double click is ignored while busy, and a retry reuses the idempotency key. */
  private async submit(): Promise<void> {
    const key = this.key;
    if (!key) {
      this.go('password');
      return;
    }
    await this.run(async () => {
      const f = this.form;
      const application = await this.api.submit(
        {
          region: this.region,
          type: this.certType,
          applicant: { name: f.name, idNumber: f.idNumber, mobile: f.mobile, ...(this.certType === 'personal' ? { cardNumber: f.cardNumber } : {}) },
          ...(this.certType === 'organization' ? { organization: { orgName: f.orgName.trim(), creditCode: f.creditCode } } : {}),
          ...(this.onBehalf && this.certType === 'personal' ? { agent: { name: f.agentName, idNumber: f.agentIdNumber } } : {}),
          materials: this.requiredMaterials.map((kind) => ({ kind, uploadId: this.uploads[kind]!.uploadId! })),
          face: { token: this.faceToken },
          medium: this.medium,
          tokenId: key.tokenId,
          csr: key.csr,
        },
        this.idempotencyKey,
      );
      // What was typed and uploaded is no longer needed in the page.
      this.clearPreviews();
      this.form = { ...EMPTY_FORM };
      this.showApplication(application);
      this.dispatchEvent(new CustomEvent('sicert-application-submitted', { detail: { application }, bubbles: true, composed: true }));
    });
  }

  private showApplication(application: Application): void {
    this.application = application;
    this.go(application.status === 'approved' ? 'install' : 'status');
  }

  private async refreshStatus(): Promise<void> {
    const id = this.application?.id;
    if (!id) return;
    await this.run(async () => this.showApplication(await this.api.application(id)));
  }

  private async install(): Promise<void> {
    const app = this.application;
    const client = this.agent.client;
    const pinInput = this.pinField('install');
    const pin = pinInput?.value ?? '';
    pinInput?.clear();
    if (!app?.certificate) return;
    if (!client) {
      this.fail(new AgentError('DISCONNECTED', 'agent not connected'));
      return;
    }
    if (!pin) {
      this.message = this.t('pinRequired');
      return;
    }
    const certificate = app.certificate;
    await this.run(async () => {
      try {
        const { certId } = await client.request('cert.install', { tokenId: app.tokenId, certificate, chain: app.chain ?? [], pin });
        const data = bytesToBase64(new TextEncoder().encode(installationChallenge(app.id)));
        const { signature } = await client.request('sign.data', { certId, pin, data });
        const installed = await this.api.confirmInstallation(app.id, signature);
        this.application = installed;
        this.go('status');
        this.dispatchEvent(new CustomEvent('sicert-certificate-installed', { detail: { application: installed, certId }, bubbles: true, composed: true }));
      } catch (error) {
        if (error instanceof AgentError && error.reason === 'TOKEN_NOT_FOUND') {
          this.message = this.t('wizard.install.plugKey');
          return;
        }
        throw error;
      }
    });
  }

  private startOver(): void {
    this.application = undefined;
    this.key = undefined;
    this.faceToken = '';
    this.uploads = {};
    this.idempotencyKey = crypto.randomUUID();
    if (this.applicant) this.form = { ...EMPTY_FORM, name: this.applicant.name, idNumber: this.applicant.idNumber, mobile: this.applicant.mobile ?? '', cardNumber: this.applicant.cardNumber ?? '' };
    this.go('eligibility');
  }

  private async chooseFile(kind: MaterialKind, input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file || !this.profile) return;
    if (!UPLOAD_TYPES.includes(file.type)) {
      this.message = this.t('wizard.materials.type');
      return;
    }
    if (file.size > this.profile.maxUploadBytes) {
      this.message = this.t('wizard.materials.size', { size: formatSize(this.profile.maxUploadBytes) });
      return;
    }
    const old = this.uploads[kind]?.preview;
    if (old) URL.revokeObjectURL(old);
    const preview = file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
    this.uploads = { ...this.uploads, [kind]: { fileName: file.name, uploading: true, ...(preview ? { preview } : {}) } };
    try {
      const { uploadId } = await this.api.upload(this.region, kind, file);
      this.uploads = { ...this.uploads, [kind]: { ...this.uploads[kind]!, uploadId, uploading: false } };
      this.message = '';
    } catch (error) {
      this.uploads = { ...this.uploads, [kind]: undefined };
      this.fail(error);
    }
  }

  private clearPreviews(): void {
    for (const upload of Object.values(this.uploads) as (Upload | undefined)[]) if (upload?.preview) URL.revokeObjectURL(upload.preview);
    this.uploads = {};
  }

  // ---- rendering --------------------------------------------------------------------------------------------

  private field(name: FieldName, type: 'text' | 'tel' = 'text', autocomplete = 'off'): TemplateResult {
    const error = this.errors[name];
    return html`<div class="field">
      <label for=${name}>${this.t(`wizard.field.${name}`)}</label>
      <input
        id=${name}
        name=${name}
        type=${type}
        autocomplete=${autocomplete}
        .value=${this.form[name]}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${name}-error` : nothing}
        ?disabled=${this.busy}
        @input=${(e: Event) => {
          this.form = { ...this.form, [name]: (e.target as HTMLInputElement).value };
          // Once a field has been flagged, re-check it as the citizen corrects it. Checking on blur instead would
          // move the buttons under the pointer (the message appears or goes) and swallow the click.
          if (this.errors[name]) this.checkField(name);
        }}
      />
      ${error ? html`<p class="field-error" id="${name}-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderEligibility(): TemplateResult {
    const p = this.profile;
    return html`<p>${this.t('wizard.eligibility.intro')}</p>
      <ul class="conditions">
        <li>${this.t('wizard.eligibility.age')}</li>
        <li>${this.t('wizard.eligibility.insured')}</li>
        <li>${this.t('wizard.eligibility.id')}</li>
        <li>${this.t('wizard.eligibility.face')}</li>
        ${p?.requireConfirmedContact ? html`<li>${this.t('wizard.eligibility.contact')}</li>` : nothing}
      </ul>
      <p class="hint">${this.t('wizard.eligibility.check')}</p>
      ${this.field('name')} ${this.field('idNumber')}`;
  }

  private renderType(): TemplateResult {
    const choice = (type: CertificateType, title: TranslationKey, hint: TranslationKey) =>
      html`<label class="choice"
        ><input type="radio" name="type" .checked=${this.certType === type} @change=${() => (this.certType = type)} /><span>${this.t(title)}</span
        ><span class="hint">${this.t(hint)}</span></label
      >`;
    return html`${this.insurance ? html`<p class="ok" role="status">${this.t('wizard.eligibility.ok', { insurance: this.insurance })}</p>` : nothing}
      <fieldset>
        <legend>${this.t('wizard.steps.type')}</legend>
        ${choice('personal', 'wizard.type.personal', 'wizard.type.personalHint')} ${choice('organization', 'wizard.type.organization', 'wizard.type.organizationHint')}
      </fieldset>
      ${this.certType === 'personal'
        ? html`<label><input type="checkbox" .checked=${this.onBehalf} @change=${(e: Event) => (this.onBehalf = (e.target as HTMLInputElement).checked)} /> ${this.t('wizard.type.onBehalf')}</label>`
        : nothing}`;
  }

  private renderDetails(): TemplateResult {
    if (this.certType === 'organization') {
      return html`<p class="hint">${this.t('wizard.details.match')}</p>
        ${this.field('orgName')} ${this.field('creditCode')}
        <h3>${this.t('wizard.details.handler')}</h3>
        <p>${this.form.name} · ${this.form.idNumber}</p>
        ${this.field('mobile', 'tel')}`;
    }
    return html`<p class="hint">${this.t('wizard.details.match')}</p>
      ${this.field('name')} ${this.field('idNumber')} ${this.field('cardNumber')} ${this.field('mobile', 'tel')}
      ${this.onBehalf ? html`<h3>${this.t('wizard.details.agent')}</h3>${this.field('agentName')} ${this.field('agentIdNumber')}` : nothing}`;
  }

  private renderMaterials(): TemplateResult {
    const max = formatSize(this.profile?.maxUploadBytes ?? 0);
    return html`<p>${this.t('wizard.materials.intro', { size: max })}</p>
      ${this.requiredMaterials.map((kind) => {
        const upload = this.uploads[kind];
        const id = `file-${kind}`;
        return html`<div class="material" data-kind=${kind}>
          <div>
            <label for=${id}><strong>${this.t(`material.${kind}`)}</strong></label>
            <input id=${id} type="file" accept=${UPLOAD_TYPES.join(',')} ?disabled=${this.busy} @change=${(e: Event) => void this.chooseFile(kind, e.target as HTMLInputElement)} />
            ${upload
              ? html`<p class="muted" role="status">
                  ${upload.fileName} — ${upload.uploading ? this.t('wizard.materials.uploading') : this.t('wizard.materials.uploaded')}
                </p>`
              : nothing}
          </div>
          ${upload?.preview ? html`<img src=${upload.preview} alt=${this.t(`material.${kind}`)} />` : nothing}
        </div>`;
      })}`;
  }

  private renderPassword(): TemplateResult {
    const fees = this.profile?.fees;
    const usbKeys = this.agentTokens.filter((t) => t.provider === 'pkcs11' && t.pin.initialized);
    const medium = (value: Medium, title: TranslationKey, hint: string) =>
      html`<label class="choice"
        ><input type="radio" name="medium" .checked=${this.medium === value} @change=${() => (this.medium = value)} /><span>${this.t(title)}</span
        ><span class="hint">${hint}</span></label
      >`;
    const usbHint = this.t('wizard.medium.usbKeyHint', { fee: fees?.usbKeyMedia ?? 0, free: fees?.firstIssueFree ? this.t('wizard.medium.firstFree') : '' });
    return html`<sicert-agent-status .state=${this.agent.state} @sicert-retry=${() => void this.agent.check()}></sicert-agent-status>
      <fieldset>
        <legend>${this.t('wizard.medium.legend')}</legend>
        ${medium('computer', 'wizard.medium.computer', this.t('wizard.medium.computerHint'))} ${medium('usb-key', 'wizard.medium.usbKey', usbHint)}
      </fieldset>
      ${this.medium === 'usb-key'
        ? usbKeys.length
          ? html`<div class="field">
              <label for="usb-key">${this.t('wizard.medium.chooseKey')}</label>
              <select id="usb-key" @change=${(e: Event) => (this.usbTokenId = (e.target as HTMLSelectElement).value)}>
                ${usbKeys.map((t) => html`<option value=${t.id} ?selected=${t.id === this.usbTokenId}>${t.label} (${t.manufacturer} ${t.serial})</option>`)}
              </select>
            </div>`
          : html`<p class="hint">${this.t('wizard.medium.noUsbKey')}</p>
              <div><button type="button" @click=${() => void this.loadTokens()}>${this.t('refresh')}</button></div>`
        : nothing}
      ${this.settingNewPassword
        ? html`<p class="hint">${this.t('wizard.password.rules')}</p>
            <sicert-pin-input data-name="pin" .label=${this.t('wizard.password.new')} .hint=${''} ?disabled=${this.busy}></sicert-pin-input>
            <sicert-pin-input data-name="confirm" .label=${this.t('wizard.password.confirm')} .hint=${''} ?disabled=${this.busy} @sicert-pin-submit=${() => this.next()}></sicert-pin-input>`
        : html`<sicert-pin-input
            data-name="pin"
            .label=${this.t('wizard.password.existing')}
            .hint=${this.medium === 'computer' ? this.t('wizard.password.existingHint') : this.t('wizard.password.usbKeyHint')}
            ?disabled=${this.busy}
            @sicert-pin-submit=${() => this.next()}
          ></sicert-pin-input>`}
      ${this.busy ? html`<p class="muted" role="status">${this.t('wizard.password.generating')}</p>` : nothing}`;
  }

  private renderFace(): TemplateResult {
    return html`<p>${this.t('wizard.face.intro')}</p>
      ${this.faceToken
        ? html`<p class="ok" role="status">${this.t('wizard.face.passed')}</p>`
        : html`<div><button type="button" class="face" ?disabled=${this.busy} @click=${() => void this.verifyFace()}>${this.busy ? this.t('wizard.face.running') : this.t('wizard.face.start')}</button></div>`}`;
  }

  private feeText(): string {
    const fees = this.profile?.fees;
    if (this.medium !== 'usb-key' || !fees) return this.t('wizard.review.free');
    return fees.firstIssueFree ? `${this.t('wizard.review.free')}${this.t('wizard.medium.firstFree')}` : this.t('wizard.review.feeAmount', { fee: fees.usbKeyMedia });
  }

  private renderReview(): TemplateResult {
    const f = this.form;
    const p = this.profile;
    const rows: [string, string][] = [
      [this.t('wizard.steps.type'), this.t(this.certType === 'personal' ? 'wizard.type.personal' : 'wizard.type.organization')],
      ...(this.certType === 'organization'
        ? ([
            [this.t('wizard.field.orgName'), f.orgName],
            [this.t('wizard.field.creditCode'), f.creditCode],
          ] as [string, string][])
        : []),
      [this.t('wizard.field.name'), f.name],
      [this.t('wizard.field.idNumber'), `${f.idNumber.slice(0, 6)}********${f.idNumber.slice(14)}`],
      [this.t('wizard.field.mobile'), f.mobile],
      [this.t('wizard.medium.legend'), this.t(this.medium === 'computer' ? 'wizard.medium.computer' : 'wizard.medium.usbKey')],
      [this.t('wizard.steps.materials'), this.requiredMaterials.map((k) => this.t(`material.${k}`)).join('、')],
      [this.t('wizard.review.fee'), this.feeText()],
      [this.t('wizard.review.timing'), this.t('wizard.review.timingValue', { min: p?.review.minWorkingDays ?? 1, max: p?.review.maxWorkingDays ?? 3 })],
      [this.t('wizard.review.validity'), this.t('wizard.review.years', { n: p?.certificateYears ?? 1 })],
    ];
    return html`<p>${this.t('wizard.review.intro')}</p>
      <dl class="review">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
  }

  private renderStatus(): TemplateResult {
    const app = this.application;
    if (!app) return html``;
    return html`<p class="status ${app.status}" role="status">${this.t(`wizard.status.${app.status}`)}</p>
      <dl class="review">
        <dt>${this.t('wizard.status.number')}</dt>
        <dd>${app.id.slice(0, 8).toUpperCase()}</dd>
        ${app.holder ? html`<dt>${this.t('holder')}</dt><dd>${app.holder}</dd>` : nothing}
      </dl>
      ${app.status === 'submitted' || app.status === 'under_review' ? html`<p>${this.t('wizard.status.expected', { date: app.expectedBy })}</p>` : nothing}
      ${app.status === 'rejected' && app.rejectReason ? html`<p class="error">${this.t('wizard.status.reason', { reason: app.rejectReason })}</p>` : nothing}`;
  }

  private renderInstall(): TemplateResult {
    return html`${this.renderStatus()}
      <p>${this.t('wizard.install.intro')}</p>
      <sicert-agent-status .state=${this.agent.state} @sicert-retry=${() => void this.agent.check()}></sicert-agent-status>
      <sicert-pin-input data-name="install" ?disabled=${this.busy} @sicert-pin-submit=${() => void this.install()}></sicert-pin-input>`;
  }

  private renderActions(): TemplateResult {
    const index = WIZARD_STEPS.indexOf(this.step);
    const beforeSubmit = index <= WIZARD_STEPS.indexOf('review');
    if (beforeSubmit) {
      const label = this.step === 'review' ? (this.busy ? this.t('wizard.review.submitting') : this.t('wizard.review.submit')) : this.t('wizard.next');
      return html`<div class="actions">
        <button type="button" class="back" ?hidden=${index === 0} ?disabled=${this.busy} @click=${() => this.back()}>${this.t('wizard.back')}</button>
        <button type="button" class="primary next" ?disabled=${this.busy} @click=${() => this.next()}>${label}</button>
      </div>`;
    }
    const status = this.application?.status;
    return html`<div class="actions">
      ${status === 'rejected' || status === 'installed'
        ? html`<button type="button" class="again" @click=${() => this.startOver()}>${this.t('wizard.status.again')}</button>`
        : html`<button type="button" class="refresh" ?disabled=${this.busy} @click=${() => void this.refreshStatus()}>${this.t('wizard.status.refresh')}</button>`}
      ${this.step === 'install'
        ? html`<button type="button" class="primary install" ?disabled=${this.busy} @click=${() => void this.install()}>
            ${this.busy ? this.t('wizard.install.installing') : this.t('wizard.install.button')}
          </button>`
        : nothing}
    </div>`;
  }

  override render() {
    const index = WIZARD_STEPS.indexOf(this.step);
    const body: Record<WizardStep, () => TemplateResult> = {
      eligibility: () => this.renderEligibility(),
      type: () => this.renderType(),
      details: () => this.renderDetails(),
      materials: () => this.renderMaterials(),
      password: () => this.renderPassword(),
      face: () => this.renderFace(),
      review: () => this.renderReview(),
      status: () => this.renderStatus(),
      install: () => this.renderInstall(),
    };
    return html`<section part="base" class="base" aria-labelledby="wizard-title">
      <h1 id="wizard-title">${this.t('wizard.title')}</h1>
      <ol part="steps" class="steps" aria-label=${this.t('wizard.title')}>
        ${WIZARD_STEPS.map((s, i) => html`<li class=${i < index ? 'done' : ''} aria-current=${s === this.step ? 'step' : nothing}>${this.t(`wizard.steps.${s}`)}</li>`)}
      </ol>
      <p class="progress">${this.t('wizard.step', { n: index + 1, total: WIZARD_STEPS.length })}</p>
      <h2 tabindex="-1" data-step=${this.step}>${this.t(`wizard.steps.${this.step}`)}</h2>
      ${body[this.step]()} ${this.message ? html`<p part="error" class="error" role="alert">${this.message}</p>` : nothing} ${this.renderActions()}
    </section>`;
  }
}
