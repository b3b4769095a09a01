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
}

/**
 * Why a new certificate password cannot be used, or undefined: the agent's own PIN policy (not the birth date,
 * when the ID number tells it), and the confirmation must match.
 */
export function newPasswordProblem(pin: string, confirm: string, idNumber: string, today: Date): PinPolicyViolation | 'mismatch' | undefined {
  const id = validateResidentId(idNumber, { today });
  const violation = checkPinPolicy(pin, id.valid ? id.birthDate : undefined);
  if (violation) return violation;
  return pin === confirm ? undefined : 'mismatch';
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
    }
    const label = (request.subject.CN ?? '').slice(0, 64);
    const tokenId = request.medium === 'computer' ? (await client.request('token.create', { provider: 'soft', label, pin: request.pin })).tokenId : usbTokenId;
    const key = await enrol(client, tokenId, request.pin, request.subject);
    await this.tokens.load(client);
    return key;
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
