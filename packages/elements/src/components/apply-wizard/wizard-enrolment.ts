import { AgentError, checkPinPolicy, Reason, type AgentClient, type PinPolicyViolation } from '@sicert/protocol';
import { installationChallenge, type PortalBackend } from '../../backend/portal-backend.js';
import type { Application, Medium } from '../../backend/types.js';
import type { AgentController } from '../../internal/agent-connection.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { AgentTokens } from './wizard-tokens.js';
import { bytesToBase64 } from '../../internal/format.js';
import { validateResidentId } from '../../validators/index.js';

/** The algorithm of every key the wizard makes. */
export const KEY_ALGORITHM = 'ECDSA-P256';

/** A key pair made on the token, with the PKCS#10 request it signed (base64 DER). */
export interface EnrolledKey {
  tokenId: string;
  keyId: string;
  csr: string;
  /** Where it was made, and the subject its request names (canonical JSON): what decides whether it can be reused. */
  medium?: Medium;
  subject?: string;
}

/** A subject as a string that is equal for equal subjects, whatever the order of its attributes. */
export function subjectKey(subject: Record<string, string>): string {
  return JSON.stringify(Object.keys(subject).sort().map((name) => [name, subject[name]]));
}

/** Vendor defaults printed in USB-Key manuals: a key still using one must get its own password before a key is made. */
export const VENDOR_DEFAULT_PINS: readonly string[] = ['123456', '12345678', '1234', '0000', '000000', '00000000', '111111', '11111111', '888888', '88888888'];

/**
 * Why a new certificate password cannot be used, or undefined: the agent's own PIN policy (not the birth date,
 * when the ID number tells it), and the confirmation must match.
 */
export function newPasswordProblem(pin: string, confirm: string, idNumber: string, today: Date): PinPolicyViolation | 'mismatch' | undefined {
  const violation = checkPinPolicy(pin, birthDateOf(idNumber, today));
  if (violation) return violation;
  return pin === confirm ? undefined : 'mismatch';
}

/** The holder's birth date (YYYYMMDD) from a valid resident ID number: a new password may not contain it. */
export function birthDateOf(idNumber: string, today = new Date()): string | undefined {
  const id = validateResidentId(idNumber, { today });
  return id.valid ? id.birthDate : undefined;
}

/** Makes the key pair on the token and has it sign the certificate request. The PIN serves these two calls. */
export async function enrol(client: AgentClient, tokenId: string, pin: string, subject: Record<string, string>): Promise<EnrolledKey> {
  const { keyId } = await client.request('key.generate', { tokenId, pin, algorithm: KEY_ALGORITHM, label: 'sicert' });
  const { csr } = await client.request('csr.create', { tokenId, keyId, pin, subject });
  return { tokenId, keyId, csr };
}

/**
 * Installs the issued certificate beside its key, proves it works by signing the installation challenge with it,
 * and reports the proof to the backend. Resolves with the installed application.
 */
export async function installAndProve(client: AgentClient, backend: PortalBackend, application: Application & { certificate: string }, pin: string): Promise<{ certId: string; installed: Application }> {
  const { certId } = await client.request('cert.install', { tokenId: application.tokenId, certificate: application.certificate, chain: application.chain ?? [], pin });
  const data = bytesToBase64(new TextEncoder().encode(installationChallenge(application.id)));
  const { signature } = await client.request('sign.data', { certId, pin, data });
  return { certId, installed: await backend.confirmInstallation(application.id, signature) };
}

/** Something the citizen can fix before the agent is asked: shown on the step, not fired as `sicert-error`. */
export class StepProblem extends Error {
  constructor(readonly key: TranslationKey) {
    super(key);
  }
}

/** The USB-Key's password is a vendor default, or the key says it must be changed: change it first (`pin.change`). */
export class PinChangeRequired extends StepProblem {
  constructor(readonly tokenId: string, key: 'wizard.usbPin.default' | 'wizard.usbPin.mustChange') {
    super(key);
  }
}

/** What the password step knows when the citizen presses Next. */
export interface KeyRequest {
  pin: string;
  confirm: string;
  medium: Medium;
  /** The holder's ID number (the new password may not contain the birth date) and the application date. */
  idNumber: string;
  today: Date;
  subject: Record<string, string>;
}

/**
 * Enrolment over the agent: the key made on the chosen medium with its signed request, then the issued certificate
 * installed beside it and proven. Only the agent the element currently shows as there is asked.
 */
export class Enrolment {
  constructor(
    private readonly agent: AgentController,
    readonly tokens: AgentTokens,
  ) {}

  #client(): AgentClient {
    const client = this.agent.client;
    if (!client) throw new AgentError(Reason.DISCONNECTED, 'agent not connected');
    return client;
  }

  /**
   * Checks what can be checked here, then makes the key: on this computer in a new token for the holder (labelled
   * with the certificate's name, its password the one just set), or on the chosen USB-Key. The PIN serves these
   * calls and is dropped.
   */
  async createKey(request: KeyRequest): Promise<EnrolledKey> {
    const client = this.#client();
    const usbTokenId = this.tokens.usbTokenId;
    if (request.medium === 'usb-key' && !usbTokenId) throw new StepProblem('wizard.medium.noUsbKey');
    if (!request.pin) throw new StepProblem('pinRequired');
    if (this.tokens.settingNewPassword(request.medium)) {
      const problem = newPasswordProblem(request.pin, request.confirm, request.idNumber, request.today);
      if (problem) throw new StepProblem(`wizard.password.${problem}`);
    } else {
      if (this.tokens.byId(usbTokenId)?.pin.mustChange) throw new PinChangeRequired(usbTokenId, 'wizard.usbPin.mustChange');
      if (VENDOR_DEFAULT_PINS.includes(request.pin)) throw new PinChangeRequired(usbTokenId, 'wizard.usbPin.default');
    }
    const label = (request.subject.CN ?? '').slice(0, 64);
    const tokenId = request.medium === 'computer' ? (await client.request('token.create', { provider: 'soft', label, pin: request.pin })).tokenId : usbTokenId;
    const key = await enrol(client, tokenId, request.pin, request.subject);
    await this.tokens.load(client);
    return { ...key, medium: request.medium, subject: subjectKey(request.subject) };
  }

  /**
   * The key for the application: the one made before when the citizen comes back to the password step (with its
   * request made again, same key, when the details it names changed), or a new one. A round trip through the
   * steps never leaves a second key pair on the token.
   */
  async keyFor(request: KeyRequest, existing: EnrolledKey | undefined): Promise<EnrolledKey> {
    if (!existing) return this.createKey(request);
    const subject = subjectKey(request.subject);
    if (existing.subject === subject) return existing;
    if (!request.pin) throw new StepProblem('pinRequired');
    const { csr } = await this.#client().request('csr.create', { tokenId: existing.tokenId, keyId: existing.keyId, pin: request.pin, subject: request.subject });
    return { ...existing, csr, subject };
  }

  /**
   * Deletes a key that will get no certificate (`key.delete`): the citizen moves it elsewhere, or the application
   * was withdrawn or rejected. A key (or a software token) already gone counts as deleted; a USB-Key that is not
   * plugged in is asked for.
   */
  async deleteKey(key: Pick<EnrolledKey, 'tokenId' | 'keyId'>, pin: string): Promise<void> {
    const client = this.#client();
    if (!pin) throw new StepProblem('pinRequired');
    try {
      await client.request('key.delete', { tokenId: key.tokenId, keyId: key.keyId, pin });
    } catch (error) {
      const reason = error instanceof AgentError ? error.reason : undefined;
      if (reason === Reason.KEY_NOT_FOUND || (reason === Reason.TOKEN_NOT_FOUND && key.tokenId.startsWith('soft-'))) return;
      throw reason === Reason.TOKEN_NOT_FOUND ? new StepProblem('wizard.install.plugKey') : error;
    }
    await this.tokens.load(client);
  }

  /** The agent shown as ready has listed its tokens, and this one is not among them. */
  tokenGone(tokenId: string): boolean {
    return this.tokens.listedBy(this.agent.client) && !this.tokens.byId(tokenId);
  }

  /** Installs and proves the approved certificate; a missing USB-Key asks the citizen to plug it in. */
  async install(backend: PortalBackend, application: Application & { certificate: string }, pin: string): Promise<{ certId: string; installed: Application }> {
    const client = this.#client();
    if (!pin) throw new StepProblem('pinRequired');
    try {
      return await installAndProve(client, backend, application, pin);
    } catch (error) {
      throw error instanceof AgentError && error.reason === Reason.TOKEN_NOT_FOUND ? new StepProblem('wizard.install.plugKey') : error;
    }
  }
}
