import { BackendError, type PortalBackend } from '../../backend/portal-backend.js';
import type { Application, ApplicationStatus } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';

/** The backend's refusal of a new application while one is in progress (docs/backend-api.md). */
export const APPLICATION_OPEN = 'APPLICATION_OPEN';

/** The statuses of an application in progress: it may still become a certificate. */
export const IN_PROGRESS: readonly ApplicationStatus[] = ['submitted', 'under_review', 'approved'];

/** What the offer needs from the element: its busy guard, the backend, its status view and its message. */
export interface InProgressHost {
  run(work: () => Promise<void>): Promise<void>;
  api(): PortalBackend;
  /** Shows an application at the status (or install) step. */
  show(application: Application): void;
  /** Shows a message on the step, as a failure. */
  warn(key: TranslationKey): void;
}

/**
 * One open application per person: when the backend refuses a new one (`APPLICATION_OPEN`, whose message says what
 * to do), the step offers to open the application in progress, where it can be followed, installed or, before
 * review, withdrawn. The offer stands while the step shows that refusal's message, and goes with it.
 */
export class ApplicationInProgress {
  #refusal = '';

  constructor(private readonly host: InProgressHost) {}

  /** Every failure of a step: remembers the message of an `APPLICATION_OPEN` refusal, forgets any other. */
  noticed(error: unknown): void {
    this.#refusal = error instanceof BackendError && error.code === APPLICATION_OPEN ? error.message : '';
  }

  /** Whether the step shows the refusal, with the offer: `message` is what the step shows now. */
  offered(message: string): boolean {
    return this.#refusal !== '' && message === this.#refusal;
  }

  /** Opens the caller's application in progress; one filed by someone else (an agent) is not theirs to see. */
  async open(): Promise<void> {
    await this.host.run(async () => {
      const current = await this.host.api().current();
      if (current && IN_PROGRESS.includes(current.status)) this.host.show(current);
      else this.host.warn('wizard.open.elsewhere');
    });
  }
}
