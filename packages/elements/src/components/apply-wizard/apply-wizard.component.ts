import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { BackendError, backendErrorDetail, type PortalBackend } from '../../backend/portal-backend.js';
import { RestPortalBackend } from '../../backend/rest-portal-backend.js';
import type { Applicant, Application, FaceVerifier, MaterialKind, Medium, RegionProfile } from '../../backend/types.js';
import { AgentController, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS } from '../../internal/agent-connection.js';
import { SicertElement } from '../../internal/sicert-element.js';
import { card, choice, tokens } from '../../internal/theme.js';
import { SicertApplicationSubmittedEvent, SicertCertificateInstalledEvent, SicertErrorEvent } from '../../events.js';
import { wizardStyles } from './apply-wizard.styles.js';
import { birthDateOf, Enrolment, PinChangeRequired, StepProblem, type EnrolledKey } from './wizard-enrolment.js';
import { takePin, WizardKeys } from './wizard-keys.js';
import { WizardFlow, type WizardStep, type WizardTransitionEvent } from './wizard-flow.js';
import { applicationRequest, csrSubject, detailFields, detailsRequest, eligibilityRequest, checkFields, EMPTY_FORM, fieldErrorOf, prefilled, requiredMaterials, type ApplicationKind, type FieldContext, type FieldName, type Form } from './wizard-form.js';
import { renderReissueNotice, RepeatIssue } from './wizard-fees.js';
import { renderActions, STEP_RENDERERS } from './wizard-key-steps.js';
import { ApplicationInProgress } from './wizard-open-application.js';
import { renderProgress } from './wizard-progress.js';
import { AgentTokens } from './wizard-tokens.js';
import { MaterialUploads } from './wizard-uploads.js';
import type { WizardView } from './wizard-view.js';
import { WithdrawalConfirmation } from './wizard-withdrawal.js';

export { WIZARD_STEPS, type WizardStep } from './wizard-flow.js';
export type { FaceVerifier } from '../../backend/types.js';

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
 * @cssproperty --sicert-color-primary - Accent colour: buttons, the current step.
 * @cssproperty --sicert-color-danger - Error colour.
 * @cssproperty --sicert-color-success - Colour of steps done and of good news.
 * @cssproperty --sicert-color-border - Borders of fields, choices and materials.
 * @cssproperty --sicert-radius - Corner radius.
 * @cssproperty --sicert-font-family - Font stack.
 * @fires sicert-application-submitted - `{ application }` once the backend accepted the application.
 * @fires sicert-certificate-installed - `{ application, certId }` once the certificate is installed and proven.
 * @fires sicert-error - An agent or backend failure: `{ reason, message, code? }`.
 * @fires sicert-agent-state - The agent state shown changed: `{ state, agentVersion?, missingCapabilities? }`.
 */
export class SicertApplyWizard extends SicertElement {
  static override styles = [tokens, card, choice, wizardStyles];

  /** The agent's WebSocket URL. */
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

  @state() private profile?: RegionProfile;
  @state() private form: Form = { ...EMPTY_FORM };
  @state() private kind: ApplicationKind = { certType: 'personal', onBehalf: false };
  @state() private errors: Partial<Record<FieldName, string>> = {};
  @state() private message = '';
  /** Good news of the step (a key deleted, a password changed): a status, not an alert. */
  @state() private notice = '';
  @state() private busy = false;
  @state() private insurance = '';
  @state() private medium: Medium = 'computer';
  @state() private faceToken = '';
  @state() private application?: Application;
  private idempotencyKey = crypto.randomUUID();
  private focusHeading = false;
  private readonly flow = new WizardFlow();
  /** The holder has had a certificate before (the backend's `repeatIssue`): a reissue, with the region's fee. */
  private readonly repeatIssue = new RepeatIssue(this);
  private readonly uploads = new MaterialUploads(this);
  private readonly agent = new AgentController(this, ['key.generate', 'csr.create', 'cert.install', 'sign.data'], () => void this.loadTokens());
  private readonly enrolment = new Enrolment(this.agent, new AgentTokens(this));
  private readonly keys = new WizardKeys({ run: (work) => this.run(work), say: (key) => (this.notice = this.t(key)), element: this }, this.enrolment);
  private readonly inProgress = new ApplicationInProgress({ run: (work) => this.run(work), api: () => this.api, show: (app) => this.show(app), warn: (key) => (this.message = this.t(key)) });
  private readonly withdrawal = new WithdrawalConfirmation({ withdraw: () => this.follow((id) => this.api.withdraw(id)), element: this });

  constructor() {
    super();
    this.flow.addEventListener('transition', (event) => this.entered((event as WizardTransitionEvent).to));
  }

  /** The step shown. Setting it opens that step directly (page code resuming its own way, tests). */
  get step(): WizardStep {
    return this.flow.current;
  }
  set step(step: WizardStep) {
    this.flow.jump(step);
  }

  private get api(): PortalBackend {
    this.backend ??= new RestPortalBackend(this.backendUrl, () => this.currentLocale);
    return this.backend;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.uploads.clear();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('applicant') && this.applicant) this.form = prefilled(this.form, this.applicant);
    // A login that arrives after the profile (the portal signs in later) still gets the first step its notice.
    if (changed.has('applicant') && this.applicant && this.profile && this.step === 'eligibility' && !this.application) this.askRepeatIssue();
    if (changed.has('agentUrl') && changed.get('agentUrl') !== undefined) void this.agent.check();
    if (changed.has('region') && this.region) void this.start();
  }

  protected override updated(): void {
    if (this.focusHeading) {
      this.focusHeading = false;
      this.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
    }
  }

  /** Every step change: a fresh message, and focus on the new step's heading. */
  private entered(_step: WizardStep): void {
    this.message = this.notice = '';
    this.keys.discarding = false;
    this.withdrawal.close();
    this.focusHeading = true;
    this.requestUpdate();
  }

  /** Loads the region profile, and resumes an application the backend already has, or asks whether it is a reissue. */
  private async start(): Promise<void> {
    try {
      this.profile = await this.api.region(this.region);
      const current = await this.api.current();
      if (current && current.status !== 'installed') this.show(current);
      else this.askRepeatIssue();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Whether this is a reissue, asked quietly with the login's name and ID: said from the first step. */
  private askRepeatIssue(): void {
    this.repeatIssue.askFromLogin(this.applicant !== undefined, this.form, this.fieldContext, (form) => this.api.checkEligibility(eligibilityRequest(this.region, form)));
  }

  /** Shows a failure on the step (and on the field the backend blames); agent and backend failures also fire. */
  private fail(error: unknown): void {
    this.inProgress.noticed(error);
    if (error instanceof PinChangeRequired) void this.keys.changePin(error.tokenId);
    if (error instanceof StepProblem) return void (this.message = this.t(error.key));
    if (error instanceof BackendError) this.errors = { ...this.errors, ...fieldErrorOf(error, (key, values) => this.t(key, values)) };
    const detail = error instanceof BackendError ? backendErrorDetail(error) : this.agentErrorDetail(error);
    this.message = detail.message;
    this.dispatchEvent(new SicertErrorEvent(detail));
  }

  private async run(work: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.message = this.notice = '';
    try {
      await work();
    } catch (error) {
      this.fail(error);
    } finally {
      this.busy = false;
    }
  }

  /** Checks `fields`, shows each one's message, and moves focus to the first wrong one when `focus`. */
  private checkFields(fields: FieldName[], focus = true): boolean {
    const { form, errors, ok } = checkFields(this.form, fields, this.fieldContext, (key, values) => this.t(key, values));
    this.form = form;
    this.errors = { ...this.errors, ...errors };
    if (!ok && focus) void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus());
    return ok;
  }

  /** The application date and the region's minimum age, which the ID-number fields are checked against. */
  private get fieldContext(): FieldContext {
    return { today: this.today ?? new Date(), minimumAge: this.profile?.minimumAge ?? 16 };
  }

  private get materials(): MaterialKind[] {
    return requiredMaterials(this.profile, this.kind);
  }

  /** Moves on when the flow lets it; what kept it shows as the step's message. */
  private advance(progress: Partial<Parameters<WizardFlow['next']>[0]> = {}): void {
    const blocked = this.flow.next({
      eligible: false,
      detailsConfirmed: false,
      missingMaterial: this.uploads.missing(this.materials),
      keyCreated: this.keys.key !== undefined,
      faceVerified: this.faceToken !== '',
      ...progress,
    });
    if (blocked === 'material-missing') this.message = this.t('wizard.materials.missing', { kind: this.t(`material.${this.uploads.missing(this.materials)!}`) });
    if (blocked === 'face-not-verified') this.message = this.t('wizard.face.failed');
  }

  /** The Next button: the step's own work (checks, the backend, the agent), then the flow decides. */
  private next(): void {
    const step = this.step;
    if (step === 'password') return void this.makeKey();
    if (step === 'review' && this.keys.key) return void this.submit(this.keys.key);
    if (step !== 'eligibility' && step !== 'details') return this.advance();
    const first = step === 'eligibility';
    if (!this.checkFields(first ? ['name', 'idNumber'] : detailFields(this.kind))) return;
    void this.run(async () => {
      const answer = this.repeatIssue.asked();
      const result = await this.api.checkEligibility(first ? eligibilityRequest(this.region, this.form) : detailsRequest(this.region, this.form, this.kind));
      if (first) this.insurance = result.insurance ?? '';
      // Asked again on the details step, where the holder the fee depends on is named: an organisation, or the
      // person on whose behalf (委托代办).
      answer(result.repeatIssue);
      this.advance(first ? { eligible: true } : { detailsConfirmed: true });
    });
  }

  private async loadTokens(): Promise<void> {
    if (this.agent.client) await this.enrolment.tokens.load(this.agent.client).catch((error: unknown) => this.fail(error));
  }

  /** The key on the chosen medium with its signed request, made once per application; the PIN serves here and is dropped. */
  private async makeKey(): Promise<void> {
    const request = { pin: takePin(this.renderRoot, 'pin'), confirm: takePin(this.renderRoot, 'confirm'), medium: this.medium, idNumber: this.form.idNumber, today: this.today ?? new Date() };
    await this.run(async () => {
      this.medium = (await this.keys.make({ ...request, subject: csrSubject(this.form, this.kind) })).medium ?? this.medium;
      this.advance();
    });
  }

  private async verifyFace(): Promise<void> {
    const verifier = this.faceVerifier;
    if (!verifier) return void (this.message = this.t('wizard.face.unavailable'));
    await this.run(async () => {
      const result = await verifier({ name: this.form.name, idNumber: this.form.idNumber }, { applicationKey: this.idempotencyKey, region: this.region });
      this.faceToken = result.passed && result.token ? result.token : '';
      if (!this.faceToken) this.message = this.t('wizard.face.failed');
    });
  }

  /** Submits once: a double click is ignored while busy, and a retry reuses the idempotency key. */
  private async submit(key: EnrolledKey): Promise<void> {
    await this.run(async () => {
      const materials = this.uploads.ids(this.materials);
      const request = applicationRequest(this.form, { region: this.region, ...this.kind, materials, faceToken: this.faceToken, medium: this.medium, key });
      const application = await this.api.submit(request, this.idempotencyKey);
      // What was typed and uploaded is no longer needed in the page.
      this.uploads.clear();
      this.form = { ...EMPTY_FORM };
      this.show(application);
      this.dispatchEvent(new SicertApplicationSubmittedEvent({ application }));
    });
  }

  private show(application: Application): void {
    this.application = application;
    this.flow.submitted(application);
  }

  /** Asks the backend about the application (a refresh; a withdrawal before review, whose key is deleted next) and shows the answer. */
  private async follow(call: (id: string) => Promise<Application>): Promise<void> {
    const id = this.application?.id;
    if (id) await this.run(async () => this.show(await call(id)));
  }

  private startOver(): void {
    this.application = undefined;
    this.keys.reset();
    this.faceToken = '';
    this.uploads.clear();
    this.idempotencyKey = crypto.randomUUID();
    if (this.applicant) this.form = prefilled(EMPTY_FORM, this.applicant);
    this.repeatIssue.reset();
    this.flow.restart();
    this.askRepeatIssue();
  }

  private async chooseFile(kind: MaterialKind, input: HTMLInputElement): Promise<void> {
    if (!this.profile) return;
    try {
      const refused = await this.uploads.chooseFrom(input, kind, this.profile.maxUploadBytes, (k, f) => this.api.upload(this.region, k, f));
      this.message = refused ? this.t(`wizard.materials.${refused.problem}`, { size: refused.limit }) : '';
    } catch (error) {
      this.fail(error);
    }
  }

  /** What the step renderers see, and may ask for. */
  private view(): WizardView {
    return {
      t: (key, values) => this.t(key, values),
      ...{ locale: this.currentLocale, agentUrl: this.agentUrl },
      ...{ profile: this.profile, form: this.form, errors: this.errors, busy: this.busy, insurance: this.insurance, ...this.kind },
      ...{ materials: this.materials, uploads: this.uploads.all, medium: this.medium, agentState: this.agent.state, usbKeys: this.enrolment.tokens.usbKeys, usbTokenId: this.enrolment.tokens.usbTokenId },
      ...{ settingNewPassword: this.enrolment.tokens.settingNewPassword(this.medium), faceVerified: this.faceToken !== '', application: this.application },
      ...{ repeatIssue: this.repeatIssue.value, token: (id: string) => this.enrolment.tokens.byId(id), birthDate: birthDateOf(this.form.idNumber) },
      ...this.keys.view(this.application, csrSubject(this.form, this.kind)),
      ...{ applicationInProgress: this.inProgress.offered(this.message), openInProgress: () => void this.inProgress.open() },
      pinChanged: () => ((this.message = ''), this.keys.pinChanged(), void this.loadTokens()),
      ...{ confirmingWithdrawal: this.withdrawal.asking, askWithdrawal: () => this.withdrawal.ask(), cancelWithdrawal: () => this.withdrawal.cancel(), confirmWithdrawal: () => void this.withdrawal.confirm() },
      input: (name, value) => {
        this.form = { ...this.form, [name]: value };
        // Once a field has been flagged, re-check it as the citizen corrects it. Checking on blur instead would
        // move the buttons under the pointer (the message appears or goes) and swallow the click.
        if (this.errors[name]) this.checkFields([name], false);
      },
      chooseType: (certType) => (this.kind = { ...this.kind, certType }),
      chooseOnBehalf: (onBehalf) => (this.kind = { ...this.kind, onBehalf }),
      chooseFile: (kind, input) => void this.chooseFile(kind, input),
      chooseMedium: (medium) => (this.medium = medium),
      chooseUsbKey: (tokenId) => (this.enrolment.tokens.usbTokenId = tokenId),
      refreshTokens: () => void this.loadTokens(),
      retryAgent: () => void this.agent.check(),
      next: () => this.next(),
      verifyFace: () => void this.verifyFace(),
      install: () => void this.keys.install(this.application, this.api, (application, certId) => (this.show(application), this.dispatchEvent(new SicertCertificateInstalledEvent({ application, certId })))),
      ...{ step: this.step, complete: this.flow.complete, beforeSubmission: this.flow.beforeSubmission },
      back: () => this.flow.back(),
      refreshStatus: () => void this.follow((id) => this.api.application(id)),
      startOver: () => this.startOver(),
    };
  }

  override render() {
    const view = this.view();
    return html`<section part="base" class="base" aria-labelledby="wizard-title">
      <h1 id="wizard-title">${this.t('wizard.title')}</h1>
      ${renderProgress(view)} ${renderReissueNotice(view)} ${STEP_RENDERERS[this.step](view)}
      ${this.notice ? html`<p class="ok result" role="status">${this.notice}</p>` : nothing}
      ${this.message ? html`<p part="error" class="error" role="alert">${this.message}</p>` : nothing} ${renderActions(view)}
    </section>`;
  }
}
