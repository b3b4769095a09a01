import type * as pkijs from 'pkijs';
import type { CertificateSummary } from './certificate-summary.js';

/**
 * Why a signature was not accepted: stable codes a portal backend can store and show (docs/verification.md).
 *
 * - `MALFORMED`: not a DER CMS SignedData with exactly one signer, or one followed by other bytes, or an attribute is
 *   repeated or multi-valued.
 * - `MISSING_ATTRIBUTES`: contentType, messageDigest or signingTime is not among the signed attributes.
 * - `UNSUPPORTED_DIGEST`: the digest or signature algorithm is weaker than SHA-256 (SHA-1, MD5) or unknown.
 * - `CONTENT_TYPE_MISMATCH`: the encapsulated content is not `id-data`, or the contentType attribute differs from it.
 * - `CONTENT_MISMATCH`: an attached signature carries other content than the content the server expected.
 * - `DIGEST_MISMATCH`: the signed messageDigest is not the digest of the expected content.
 * - `SIGNATURE_INVALID`: the signature does not verify with the signer certificate's key.
 * - `CHAIN_UNTRUSTED`: the signer certificate is absent or does not chain to a trusted root.
 * - `CERT_EXPIRED` / `CERT_NOT_YET_VALID`: the signer certificate is outside its validity at `now` (the server's
 *   clock), whatever signingTime the signer claims. (Before 0.2 both were `CERT_NOT_VALID_AT_SIGNING_TIME`.)
 * - `SIGNING_TIME_SKEW`: the claimed signingTime is more than `maxClockSkewMs` away from `now`.
 * - `KEY_USAGE_INVALID`: the signer certificate's keyUsage lacks digitalSignature and nonRepudiation, or is absent.
 * - `WRONG_SIGNER`: a valid certificate, but not the one of the person or organisation expected.
 * - `REVOKED`: `isRevoked` says the signer certificate is revoked.
 */
export type SignatureProblem =
  | 'MALFORMED'
  | 'MISSING_ATTRIBUTES'
  | 'UNSUPPORTED_DIGEST'
  | 'CONTENT_TYPE_MISMATCH'
  | 'CONTENT_MISMATCH'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'CHAIN_UNTRUSTED'
  | 'CERT_EXPIRED'
  | 'CERT_NOT_YET_VALID'
  | 'SIGNING_TIME_SKEW'
  | 'KEY_USAGE_INVALID'
  | 'WRONG_SIGNER'
  | 'REVOKED';

/** Outcome of {@link verifySignedData}. */
export interface SignedDataVerification {
  valid: boolean;
  problem?: SignatureProblem;
  /** For logs and developers. */
  message: string;
  signer?: CertificateSummary;
  signerCertificate?: Uint8Array;
  /** What the signer claims; information only, never what validity is judged at. */
  signingTime?: Date;
  /** The content that was verified: the expected content, when the caller gave it, or the attached one. */
  content?: Uint8Array;
}

/**
 * Who must have signed. A person by the `serialNumber` of the certificate subject (the resident ID or the
 * portal's stand-in for it), an organisation by `organizationIdentifier` (the USCC), or one exact certificate
 * (DER, compared byte for byte), as when a freshly issued certificate proves its installation.
 */
export type ExpectedSigner = { serialNumber: string } | { organizationIdentifier: string } | { certificate: Uint8Array };

/**
 * What the signature must be over: the content itself, or its SHA-256 digest when the server keeps only that.
 * The content a CMS carries is never trusted on its own.
 */
export type ExpectedContent = { content: Uint8Array; contentDigest?: never } | { contentDigest: Uint8Array; content?: never };

/** Default of {@link VerifyOptions.maxClockSkewMs}: five minutes. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** What {@link verifySignedData} checks against. The expected content and signer are required on purpose. */
export type VerifyOptions = ExpectedContent & {
  /** Who must have signed; anyone else is `WRONG_SIGNER`. */
  expectedSigner: ExpectedSigner;
  /** Trust anchors, DER. The signer must chain to one of them. */
  trustedRoots: Uint8Array[];
  /**
   * The time the signature is judged at: the server's clock by default. When re-verifying an archived
   * signature, pass the time it was received (as stored), not the signingTime it claims.
   */
  now?: Date;
  /** How far the claimed signingTime may be from `now`; default {@link DEFAULT_MAX_CLOCK_SKEW_MS}. */
  maxClockSkewMs?: number;
  /** Revocation check by the signer certificate's serial (lower-case hex); true means revoked. */
  isRevoked?: (serialNumber: string, certificate: pkijs.Certificate) => boolean | Promise<boolean>;
};
