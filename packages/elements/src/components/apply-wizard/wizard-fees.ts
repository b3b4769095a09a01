import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { EligibilityResult, Medium } from '../../backend/types.js';
import { checkFields, type FieldContext, type Form } from './wizard-form.js';
import type { WizardView } from './wizard-view.js';

/** The fee of this application: the region's reissue fee on a repeat issuance, else the media fee of a USB-Key. */
export function feeOf(v: Pick<WizardView, 'profile' | 'repeatIssue'>, medium: Medium): { fee: number; reissue: boolean; firstFree: boolean } {
  const fees = v.profile?.fees;
  if (!fees) return { fee: 0, reissue: v.repeatIssue, firstFree: false };
  if (v.repeatIssue) return { fee: fees.reissue, reissue: true, firstFree: false };
  if (medium === 'computer') return { fee: 0, reissue: false, firstFree: false };
  return fees.firstIssueFree ? { fee: 0, reissue: false, firstFree: true } : { fee: fees.usbKeyMedia, reissue: false, firstFree: false };
}

/** The review's fee line. */
export function feeText(v: WizardView): string {
  const { fee, reissue, firstFree } = feeOf(v, v.medium);
  if (fee > 0) return v.t(reissue ? 'wizard.review.reissueAmount' : 'wizard.review.feeAmount', { fee });
  return firstFree ? `${v.t('wizard.review.free')}${v.t('wizard.medium.firstFree')}` : v.t('wizard.review.free');
}

/**
 * A reissue (补办) says so on every step before submission, from the moment the wizard knows, with the region's
 * reissue fee: the citizen who came from the status card's 补办 must not find out at the password step. A status
 * region, so that the notice arriving while the first step is shown is announced.
 */
export function renderReissueNotice(v: WizardView): TemplateResult | typeof nothing {
  if (!v.repeatIssue || !v.profile || !v.beforeSubmission) return nothing;
  const fee = v.profile.fees.reissue;
  return html`<p class="notice reissue" role="status">${fee > 0 ? v.t('wizard.fee.reissue', { fee }) : v.t('wizard.fee.reissueFree')}</p>`;
}

/**
 * Whether the holder has had a certificate before (the backend's `repeatIssue`), from the latest of the questions
 * asked: the quiet one at start with the login's name and ID, then the first step's and the details step's. An
 * answer to an earlier question that arrives late never replaces a later one.
 */
export class RepeatIssue {
  #value = false;
  #asked = 0;

  constructor(private readonly host: ReactiveControllerHost) {}

  get value(): boolean {
    return this.#value;
  }

  /** A question goes to the backend: the returned function records its answer, unless a later question was asked. */
  asked(): (repeatIssue: boolean | undefined) => void {
    const question = ++this.#asked;
    return (repeatIssue) => {
      if (question !== this.#asked) return;
      this.#value = repeatIssue === true;
      this.host.requestUpdate();
    };
  }

  /** Asks quietly: a refusal or a failure says nothing here (the step's own check shows it), and counts as "no". */
  async ask(question: () => Promise<EligibilityResult>): Promise<void> {
    const answer = this.asked();
    answer(await question().then((result) => result.repeatIssue, () => false));
  }

  /**
   * Asks, quietly, what the first step's Next would ask with the name and ID from the portal's login, only to learn
   * whether this is a reissue before the citizen does anything: the notice and its fee then show from the first step
   * (the citizen who came from the status card's 补办). Nothing is asked without a login or with a malformed ID.
   */
  askFromLogin(signedIn: boolean, form: Form, context: FieldContext, question: (form: Form) => Promise<EligibilityResult>): void {
    const checked = checkFields(form, ['name', 'idNumber'], context, () => '');
    if (signedIn && checked.ok) void this.ask(() => question(checked.form));
  }

  /** A new application: nothing known until the backend is asked again. */
  reset(): void {
    this.#asked++;
    this.#value = false;
    this.host.requestUpdate();
  }
}
