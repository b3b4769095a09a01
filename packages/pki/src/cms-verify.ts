import { verifyFast } from './cms-verify-fast.js';
import { verifySignedDataReference } from './cms-verify-reference.js';
import { checkInput } from './verify-common.js';
import type { SignedDataVerification, VerifyOptions } from './verify-options.js';

export * from './verify-options.js';

/**
 * Verifies a CMS SignedData (DER ContentInfo) as a portal backend must before it acts on it, and bound to what
 * the server expects rather than to what the CMS says:
 * - the content: `content` (or its SHA-256 `contentDigest`) is required; an attached signature must carry exactly
 *   that content, and the signed messageDigest must be its digest; contentType must be `id-data` in both places;
 * - the algorithms: SHA-256 or stronger;
 * - the signature over the signed attributes, with the signer certificate the CMS names;
 * - the signer: chained to `trustedRoots`, valid at `now` (the server's clock, never the claimed signingTime),
 *   with keyUsage digitalSignature or nonRepudiation, the `expectedSigner`, and not revoked (`isRevoked`);
 * - the claimed signingTime within `maxClockSkewMs` of `now`.
 *
 * The CMS is read once with a strict DER reader; certificates, their keys and successful chain validations are
 * cached (bounded, per certificate hash, anchors and validity window; revocation is asked every time). Anything
 * the strict reader does not accept goes through the pkijs reference path, which gives it its verdict
 * (docs/verification.md, "The fast path"). Stateless in its answers and safe to call concurrently. Throws a
 * TypeError only when the options omit the binding.
 */
export async function verifySignedData(cms: Uint8Array, options: VerifyOptions): Promise<SignedDataVerification> {
  checkInput(cms, options);
  return (await verifyFast(cms, options)) ?? verifySignedDataReference(cms, options);
}
