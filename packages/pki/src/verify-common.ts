import type * as pkijs from 'pkijs';
import type { SignatureProblem, SignedDataVerification, VerifyOptions } from './verify-options.js';

/** What the fast path and the pkijs reference path share: the refusal shape, the option checks and the chain date. */

/** A refusal with its stable code. */
export function fail(problem: SignatureProblem, message: string, extra: Partial<SignedDataVerification> = {}): SignedDataVerification {
  return { valid: false, problem, message, ...extra };
}

/** True for exactly one of the {@link ExpectedSigner} forms, with a non-empty value. */
export function isExpectedSignerShape(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries: [string, unknown][] = Object.entries(value);
  if (entries.length !== 1) return false;
  const [key, given] = entries[0]!;
  if (key === 'certificate') return given instanceof Uint8Array && given.length > 0;
  return (key === 'serialNumber' || key === 'organizationIdentifier') && typeof given === 'string' && given.trim() !== '';
}

/**
 * Typed callers cannot omit the binding; JavaScript callers (and typed ones passing `undefined` through a cast or
 * a missing database column) can, and must never get a "valid" answer for it: a blank binding, an invalid clock
 * or skew would silently switch a check off.
 */
export function checkInput(cms: unknown, options: Partial<Pick<VerifyOptions, 'content' | 'contentDigest' | 'expectedSigner' | 'now' | 'maxClockSkewMs'>>): void {
  if (!(cms instanceof Uint8Array)) throw new TypeError('verifySignedData: pass the CMS as DER bytes (Uint8Array): decode the base64 from the page with fromBase64 first');
  if (!options.content && !options.contentDigest) throw new TypeError('verifySignedData: pass the expected content or contentDigest');
  if (options.contentDigest && options.contentDigest.length !== 32) throw new TypeError('verifySignedData: contentDigest must be a SHA-256 digest (32 bytes)');
  if (!isExpectedSignerShape(options.expectedSigner)) {
    throw new TypeError('verifySignedData: pass the expectedSigner: exactly one of { serialNumber }, { organizationIdentifier } (non-empty strings) or { certificate } (DER)');
  }
  if (options.now !== undefined && !(options.now instanceof Date && Number.isFinite(options.now.getTime()))) throw new TypeError('verifySignedData: now must be a valid Date');
  const skew = options.maxClockSkewMs;
  if (skew !== undefined && !(Number.isFinite(skew) && skew >= 0)) throw new TypeError('verifySignedData: maxClockSkewMs must be a finite number ≥ 0');
}

/** The chain check's date: `now`, moved into the signer's validity so that an expired signer reports as such. */
export function chainDate(certificate: pkijs.Certificate, now: Date): Date {
  const t = Math.min(Math.max(now.getTime(), certificate.notBefore.value.getTime()), certificate.notAfter.value.getTime());
  return new Date(t);
}

/** The message of a signer certificate outside its validity at `now`. */
export function validityMessage(problem: SignatureProblem, now: Date): string {
  return `the signer certificate is ${problem === 'CERT_EXPIRED' ? 'expired' : 'not yet valid'} at ${now.toISOString()}`;
}
