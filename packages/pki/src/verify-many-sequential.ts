import { verifySignedData } from './cms-verify.js';
import type { SignedDataVerification } from './verify-options.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';

/** One item's call of `verifySignedData`, without `isRevoked` (the caller's thread applies it afterwards). */
export function verifyItem(item: VerifyManyItem, shared: SharedVerifyOptions): Promise<SignedDataVerification> {
  const binding = item.content ? { content: item.content } : { contentDigest: item.contentDigest };
  return verifySignedData(item.cms, {
    ...binding,
    expectedSigner: item.expectedSigner,
    trustedRoots: shared.trustedRoots,
    now: item.now ?? shared.now,
    ...(shared.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: shared.maxClockSkewMs }),
  });
}

/** The items one after another in this thread: the browser's way, and Node's for a handful of items. */
export async function verifySequentially(items: readonly VerifyManyItem[], shared: SharedVerifyOptions): Promise<SignedDataVerification[]> {
  const results: SignedDataVerification[] = [];
  for (const item of items) results.push(await verifyItem(item, shared));
  return results;
}
