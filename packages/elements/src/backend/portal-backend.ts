import { BACKEND_UNAVAILABLE, type ErrorDetail } from '../events.js';
import { Reason } from '@sicert/protocol';
import type { Application, ApplicationRequest, CertificateRecord, EligibilityRequest, EligibilityResult, MaterialKind, RegionProfile, RenewalRequest, UploadResult } from './types.js';

/**
 * A refusal from the portal backend, with the stable code of docs/backend-api.md and, when one field is to blame,
 * its name (`idNumber`, `mobile`, `creditCode`, …).
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * Everything the application wizard needs from the portal. The default, {@link RestPortalBackend}, speaks the
 * REST contract in docs/backend-api.md; a portal with another API passes its own implementation.
 */
export interface PortalBackend {
  region(id: string): Promise<RegionProfile>;
  /** Insured locally, and the details match the records exactly; rejects with a BackendError naming the field. */
  checkEligibility(request: EligibilityRequest): Promise<EligibilityResult>;
  upload(region: string, kind: MaterialKind, file: File): Promise<UploadResult>;
  /** Submits once per idempotency key: the same key always yields the same application. */
  submit(request: ApplicationRequest, idempotencyKey: string): Promise<Application>;
  /** The signed-in person's latest application, so a reopened page resumes from the backend. */
  current(): Promise<Application | undefined>;
  application(id: string): Promise<Application>;
  /** Reports installation with a CMS signature over `installationChallenge(id)`. */
  confirmInstallation(id: string, signature: string): Promise<Application>;
  /** Withdraws the caller's application before review starts (status `withdrawn`); its key can then be deleted. */
  withdraw(id: string): Promise<Application>;
  /** Whether a certificate (serial number, hex) is revoked, as the issuing portal knows it. */
  certificateStatus(serialNumber: string): Promise<CertificateRecord>;
  /** Loss report (挂失) of the caller's certificate: revoked at once (keyCompromise). */
  reportLoss(serialNumber: string): Promise<CertificateRecord>;
  /** Renewal in the 30 days before expiry: an approved application for the new key, to install as usual. */
  renew(request: RenewalRequest, idempotencyKey: string): Promise<Application>;
}

/** What an installed certificate signs to prove it works. */
export function installationChallenge(applicationId: string): string {
  return `sicert-install:${applicationId}`;
}

/**
 * `sicert-error`'s detail for a backend failure: the portal could not be asked (network, server error:
 * `BACKEND_UNAVAILABLE`) or refused what was sent (`INVALID_PARAMS`); `code` says which refusal.
 */
export function backendErrorDetail(error: BackendError): ErrorDetail {
  const unavailable = error.code === 'NETWORK' || (error.status ?? 0) >= 500;
  return { reason: unavailable ? BACKEND_UNAVAILABLE : Reason.INVALID_PARAMS, message: error.message, code: error.code };
}
