import { AgentError, Reason, type AgentClient, type CertificateInfo } from '@sicert/protocol';
import type { PortalBackend } from '../../backend/portal-backend.js';
import type { Application, RenewalRequest } from '../../backend/types.js';
import { installAndProve } from '../apply-wizard/wizard-enrolment.js';
import { renewalAlgorithm, renewalSubject } from './cert-status-model.js';

/** Where a renewal is, for the progress line. */
export type RenewalStep = 'generating' | 'submitting' | 'installing';

/** What a renewal ends with: the installed certificate's id and the renewal application, now `installed`. */
export interface RenewalResult {
  certId: string;
  application: Application;
}

/**
 * One renewal (续期) of one certificate, in the order the backend contract asks: a new key on the same token, its
 * request with the current subject, that request signed (detached CMS over its DER) by the still-valid current
 * certificate, `PortalBackend.renew`, then installation of the new certificate with the proof it signs.
 *
 * What each step made is kept, so that trying again after a failure resumes where it stopped: the same request
 * goes to the backend under the same idempotency key (never a second application for one renewal), and an
 * approved renewal is installed rather than asked for again.
 */
export class Renewal {
  readonly idempotencyKey = crypto.randomUUID();
  #request: RenewalRequest | undefined;
  #application: (Application & { certificate: string }) | undefined;

  constructor(readonly certificate: CertificateInfo) {}

  /** Runs (or resumes) the renewal with the certificate password; `progress` hears each step as it starts. */
  async run(client: AgentClient, backend: PortalBackend, algorithms: readonly string[], pin: string, progress: (step: RenewalStep) => void): Promise<RenewalResult> {
    const current = this.certificate;
    if (!this.#request) {
      progress('generating');
      const subject = renewalSubject(current.subject);
      if (!subject) throw new AgentError(Reason.INVALID_PARAMS, 'the certificate names no holder');
      const tokenId = current.tokenId;
      const { keyId } = await client.request('key.generate', { tokenId, pin, algorithm: renewalAlgorithm(current, algorithms), label: 'sicert-renewal' });
      const { csr } = await client.request('csr.create', { tokenId, keyId, pin, subject });
      const { signature } = await client.request('sign.data', { certId: current.id, pin, data: csr, format: 'cms-detached' });
      this.#request = { serialNumber: current.serialNumber, tokenId, csr, signature };
    }
    if (!this.#application) {
      progress('submitting');
      const application = await backend.renew(this.#request, this.idempotencyKey);
      if (!application.certificate) throw new AgentError(Reason.INTERNAL, 'the renewal came back without a certificate');
      this.#application = { ...application, certificate: application.certificate };
    }
    progress('installing');
    const { certId, installed } = await installAndProve(client, backend, this.#application, pin);
    return { certId, application: installed };
  }
}
