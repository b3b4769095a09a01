/**
 * Why a certificate was revoked: the RFC 5280 CRLReason names (§5.3.1). Code 7 is unused by the RFC. A CRL entry
 * without a reasonCode extension means `unspecified`.
 */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/** One of the {@link CRL_REASONS} names. */
export type CrlReason = keyof typeof CRL_REASONS;

/** The name of a CRLReason code, or undefined for a code RFC 5280 does not define. */
export function crlReasonName(code: number): CrlReason | undefined {
  return (Object.keys(CRL_REASONS) as CrlReason[]).find((name) => CRL_REASONS[name] === code);
}

/** True for a string that is a {@link CrlReason} (for checking what a request or a database hands in). */
export function isCrlReason(value: unknown): value is CrlReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CRL_REASONS, value);
}
