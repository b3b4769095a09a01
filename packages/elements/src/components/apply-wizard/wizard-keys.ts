import type { ReactiveElement } from 'lit';
import type { PortalBackend } from '../../backend/portal-backend.js';
import type { Application } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { SicertPinChange } from '../pin-change/pin-change.component.js';
import type { SicertPinInput } from '../pin-input/pin-input.component.js';
import { subjectKey, type EnrolledKey, type Enrolment, type KeyRequest } from './wizard-enrolment.js';
import type { WizardView } from './wizard-view.js';

/** Takes the password out of the `sicert-pin-input` with this `data-name`, wiping the field. */
export function takePin(root: ParentNode, name: string): string {
  const input = root.querySelector<SicertPinInput>(`sicert-pin-input[data-name="${name}"]`);
  const pin = input?.value ?? '';
  input?.clear();
  return pin;
}

/** The key of a withdrawn or rejected application: to delete with its password, or already gone from this computer. */
export type AbandonedKey = 'delete' | 'gone';

/** The part of {@link WizardView} about the key. */
export type KeysView = Pick<WizardView, 'key' | 'keySubjectChanged' | 'discarding' | 'pinChangeFor' | 'abandonedKey' | 'startDiscard' | 'discard' | 'changePin' | 'deleteKey'>;

/** What the key's life needs from the element: its busy guard, its password fields, its message, its DOM. */
export interface KeysHost {
  run(work: () => Promise<void>): Promise<void>;
  say(key: TranslationKey): void;
  /** The element: updated when the key changes; its dialog opened. */
  readonly element: Pick<ReactiveElement, 'requestUpdate' | 'updateComplete' | 'renderRoot'>;
}

/**
 * The application's key pair from the password step to its end: made once and reused when the citizen goes back
 * and forth, deleted when the citizen makes it elsewhere, and deleted (`key.delete`) once the application is
 * withdrawn or rejected. Also the USB-Key whose password must be changed before a key is made on it.
 */
export class WizardKeys {
  #key: EnrolledKey | undefined;
  #discarding = false;
  /** Applications whose key this page deleted: never asked for again, whatever the backend still names. */
  readonly #deletedFor = new Set<string>();
  #pinChangeFor = '';

  constructor(
    private readonly host: KeysHost,
    private readonly enrolment: Enrolment,
  ) {}

  /** The key made for this application, if any. */
  get key(): EnrolledKey | undefined {
    return this.#key;
  }
  /** The password step shows the field that deletes the key (to make it elsewhere). */
  get discarding(): boolean {
    return this.#discarding;
  }
  set discarding(value: boolean) {
    this.#discarding = value;
    this.host.element.requestUpdate();
  }
  /** The USB-Key whose password must be changed first ('' when none). */
  get pinChangeFor(): string {
    return this.#pinChangeFor;
  }

  /** The key for the application: the one made before when it still fits, else a new one. */
  async make(request: KeyRequest): Promise<EnrolledKey> {
    this.#key = await this.enrolment.keyFor(request, this.#key);
    this.host.element.requestUpdate();
    return this.#key;
  }

  /** Deletes the key made before, with the password of its token, so that the citizen can make it elsewhere. */
  async discard(): Promise<void> {
    const key = this.#key;
    const pin = takePin(this.host.element.renderRoot, 'discard');
    if (!key) return;
    await this.host.run(async () => {
      await this.enrolment.deleteKey(key, pin);
      this.#key = undefined;
      this.#discarding = false;
      this.host.say('wizard.key.discarded');
    });
  }

  /** Opens `<sicert-pin-change>` for the USB-Key. */
  async changePin(tokenId: string): Promise<void> {
    this.#pinChangeFor = tokenId;
    this.host.element.requestUpdate();
    await this.host.element.updateComplete;
    void this.host.element.renderRoot.querySelector<SicertPinChange>('sicert-pin-change')?.show();
  }

  /** The USB-Key has its own password now: the citizen types it to go on. */
  pinChanged(): void {
    this.host.say('wizard.usbPin.changed');
  }

  /** The key of a withdrawn or rejected application still on the token: this session's, or the one the backend names. */
  abandoned(app: Application | undefined): { tokenId: string; keyId: string } | undefined {
    if (!app || (app.status !== 'withdrawn' && app.status !== 'rejected') || this.#deletedFor.has(app.id)) return undefined;
    const keyId = this.#key?.tokenId === app.tokenId ? this.#key.keyId : app.keyId;
    return keyId ? { tokenId: app.tokenId, keyId } : undefined;
  }

  /**
   * What the status step does about that key: ask for the password to delete it, or say it is gone. A key made on
   * this computer lives in a software token of its own, which the agent removes with its last key: when the agent
   * shown as ready lists no such token, there is nothing to delete and no password to ask for (a reopened
   * application whose key was deleted in an earlier visit). A USB-Key cannot tell without its password.
   */
  abandonedKey(app: Application | undefined): AbandonedKey | undefined {
    const key = this.abandoned(app);
    if (!key) return undefined;
    return app?.medium === 'computer' && this.enrolment.tokenGone(key.tokenId) ? 'gone' : 'delete';
  }

  /** Deletes the key of a withdrawn or rejected application, with the password typed in the `delete` field. */
  async deleteAbandoned(app: Application | undefined): Promise<void> {
    const key = this.abandonedKey(app) === 'delete' ? this.abandoned(app) : undefined;
    const pin = takePin(this.host.element.renderRoot, 'delete');
    if (!key || !app) return;
    await this.host.run(async () => {
      await this.enrolment.deleteKey(key, pin);
      this.#deletedFor.add(app.id);
      this.#key = undefined;
      this.host.say('wizard.key.deleted');
    });
  }

  /** Installs the approved certificate beside its key with the password typed in the `install` field, and proves it. */
  async install(app: Application | undefined, backend: PortalBackend, installed: (application: Application, certId: string) => void): Promise<void> {
    const pin = takePin(this.host.element.renderRoot, 'install');
    if (!app?.certificate) return;
    const approved = { ...app, certificate: app.certificate };
    await this.host.run(async () => {
      const result = await this.enrolment.install(backend, approved, pin);
      installed(result.installed, result.certId);
    });
  }

  /** The key's part of what the step renderers see: for the application shown, and the subject the details name now. */
  view(app: Application | undefined, subject: Record<string, string>): KeysView {
    return {
      ...{ key: this.#key, keySubjectChanged: this.#key?.subject !== subjectKey(subject), discarding: this.#discarding, pinChangeFor: this.#pinChangeFor, abandonedKey: this.abandonedKey(app) },
      startDiscard: () => (this.discarding = true),
      discard: () => void this.discard(),
      changePin: (tokenId) => void this.changePin(tokenId),
      deleteKey: () => void this.deleteAbandoned(app),
    };
  }

  /** A new application: nothing made yet. */
  reset(): void {
    this.#key = undefined;
    this.#discarding = false;
    this.#pinChangeFor = '';
    this.host.element.requestUpdate();
  }
}
