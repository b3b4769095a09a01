import { isExpectedSignerShape } from './verify-common.js';
import type { VerifyManyItem, VerifyManyOptions } from './verify-many-types.js';

function isValidDate(value: unknown): boolean {
  return value instanceof Date && Number.isFinite(value.getTime());
}

/** Why an item cannot be verified as given, in `verifySignedData`'s words; undefined when it can. */
function itemProblem(item: Partial<VerifyManyItem> | null | undefined): string | undefined {
  if (typeof item !== 'object' || item === null) return 'pass an object { cms, content | contentDigest, expectedSigner }';
  if (!((item.cms as unknown) instanceof Uint8Array)) return 'pass the CMS as DER bytes (Uint8Array): decode the base64 from the page with fromBase64 first';
  if (!item.content && !item.contentDigest) return 'pass the expected content or contentDigest';
  if (item.content && !((item.content as unknown) instanceof Uint8Array)) return 'content must be bytes (Uint8Array)';
  if (item.contentDigest && !(((item.contentDigest as unknown) instanceof Uint8Array) && item.contentDigest.length === 32)) return 'contentDigest must be a SHA-256 digest (32 bytes)';
  if (!isExpectedSignerShape(item.expectedSigner)) {
    return 'pass the expectedSigner: exactly one of { serialNumber }, { organizationIdentifier } (non-empty strings) or { certificate } (DER)';
  }
  if (item.now !== undefined && !isValidDate(item.now)) return 'now must be a valid Date';
  return undefined;
}

/**
 * Typed callers cannot omit an item's binding; JavaScript callers (and a missing database column) can, and must
 * never get a "valid" answer for it. Thrown before any work starts, naming the first bad item's index, as
 * `verifySignedData` throws for one call.
 */
export function checkVerifyManyInput(items: readonly VerifyManyItem[], options: VerifyManyOptions): void {
  if (!Array.isArray(items)) throw new TypeError('verifyMany: pass the items as an array');
  if (typeof options !== 'object' || (options as unknown) === null) throw new TypeError('verifyMany: pass the options { trustedRoots, … }');
  const roots: unknown = options.trustedRoots;
  if (!Array.isArray(roots) || !roots.every((root) => root instanceof Uint8Array)) throw new TypeError('verifyMany: trustedRoots must be an array of DER certificates (Uint8Array)');
  if (options.now !== undefined && !isValidDate(options.now)) throw new TypeError('verifyMany: now must be a valid Date');
  const skew = options.maxClockSkewMs;
  if (skew !== undefined && !(Number.isFinite(skew) && skew >= 0)) throw new TypeError('verifyMany: maxClockSkewMs must be a finite number ≥ 0');
  if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function') throw new TypeError('verifyMany: isRevoked must be a function');
  const threads = options.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new TypeError('verifyMany: threads must be a whole number ≥ 1');
  const given: readonly (Partial<VerifyManyItem> | null | undefined)[] = items;
  given.forEach((item, index) => {
    const problem = itemProblem(item);
    if (problem) throw new TypeError(`verifyMany: item ${index}: ${problem}`);
  });
}
