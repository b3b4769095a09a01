import type { ApplicationStatus, MaterialKind } from '../../backend/types.js';

/** The wizard's steps, in order. The last two follow submission. */
export const WIZARD_STEPS = ['eligibility', 'type', 'details', 'materials', 'password', 'face', 'review', 'status', 'install'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/**
 * Steps that are entered only going forward: going back skips them. The password step made a key pair on the
 * token; stepping back into it would only make another.
 */
export const FORWARD_ONLY_STEPS: readonly WizardStep[] = ['password'];

/** What the flow reads to decide whether the citizen may leave a step going forward. */
export interface WizardProgress {
  /** The backend said this person may apply (eligibility step). */
  eligible: boolean;
  /** The backend found the details in its records (details step). */
  detailsConfirmed: boolean;
  /** The first required material not uploaded yet, if any. */
  missingMaterial: MaterialKind | undefined;
  /** A key pair was made and its request signed (password step). */
  keyCreated: boolean;
  /** The face check passed (face step). */
  faceVerified: boolean;
}

/** Why the flow kept the citizen on a step. */
export type WizardBlock = 'not-eligible' | 'details-unconfirmed' | 'material-missing' | 'no-key' | 'face-not-verified';

const GUARDS: Partial<Record<WizardStep, (p: WizardProgress) => WizardBlock | undefined>> = {
  eligibility: (p) => (p.eligible ? undefined : 'not-eligible'),
  details: (p) => (p.detailsConfirmed ? undefined : 'details-unconfirmed'),
  materials: (p) => (p.missingMaterial ? 'material-missing' : undefined),
  password: (p) => (p.keyCreated ? undefined : 'no-key'),
  face: (p) => (p.faceVerified ? undefined : 'face-not-verified'),
};

const REVIEW = WIZARD_STEPS.indexOf('review');

/** The one event of the flow: the step changed. */
export class WizardTransitionEvent extends Event {
  constructor(
    readonly from: WizardStep,
    readonly to: WizardStep,
  ) {
    super('transition');
  }
}

/**
 * The wizard's steps without a DOM (Lion's steps, as a plain object): where the citizen is, which way they may
 * go, and one `transition` event for every change, whatever caused it. The element does the work of each step
 * (asking the backend, making the key) and reports the outcome in a {@link WizardProgress}; the flow decides.
 */
export class WizardFlow extends EventTarget {
  #current: WizardStep = 'eligibility';
  #complete = false;

  /** The step shown. */
  get current(): WizardStep {
    return this.#current;
  }

  /** The application is done (its certificate installed): every step is behind the citizen, none is current. */
  get complete(): boolean {
    return this.#complete;
  }

  /** Steps before submission can be moved between; after it, the application's status decides. */
  get beforeSubmission(): boolean {
    return WIZARD_STEPS.indexOf(this.#current) <= REVIEW;
  }

  /**
   * Leaves the current step forward when its guard lets it, and says what blocked it otherwise. Submission is not
   * a step forward: {@link WizardFlow.submitted} moves on from review. Reaching review without a key (the key is
   * made on the password step) goes back there.
   */
  next(progress: WizardProgress): WizardBlock | undefined {
    const index = WIZARD_STEPS.indexOf(this.#current);
    if (this.#current === 'review') {
      if (!progress.keyCreated) this.#go('password');
      return progress.keyCreated ? undefined : 'no-key';
    }
    if (index > REVIEW) return undefined;
    const blocked = GUARDS[this.#current]?.(progress);
    if (blocked) return blocked;
    this.#go(WIZARD_STEPS[index + 1]!);
    return undefined;
  }

  /** One step back, skipping forward-only steps; never before the first step nor once submitted. */
  back(): void {
    if (!this.beforeSubmission) return;
    for (let index = WIZARD_STEPS.indexOf(this.#current) - 1; index >= 0; index--) {
      const step = WIZARD_STEPS[index]!;
      if (!FORWARD_ONLY_STEPS.includes(step)) {
        this.#go(step);
        return;
      }
    }
  }

  /**
   * The application as the backend reports it (after submission, a refresh, a resume, an installation). An installed
   * one ends the flow on its last step, complete.
   */
  submitted(application: { status: ApplicationStatus }): void {
    const { status } = application;
    this.#go(status === 'approved' || status === 'installed' ? 'install' : 'status', status === 'installed');
  }

  /** A new application from the first step. */
  restart(): void {
    this.#go('eligibility');
  }

  /** Shows `step` at once, without guards: for page code and tests that open a given step. */
  jump(step: WizardStep): void {
    this.#go(step);
  }

  #go(to: WizardStep, complete = false): void {
    const from = this.#current;
    this.#current = to;
    this.#complete = complete;
    this.dispatchEvent(new WizardTransitionEvent(from, to));
  }
}
