import { verifySignedData } from './cms-verify.js';
import type { SignedDataVerification, VerifyOptions } from './verify-options.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';

/** The options `verifySignedData` takes for one item, without `isRevoked` (the caller's thread applies it afterwards). */
export function itemOptions(item: VerifyManyItem, shared: SharedVerifyOptions): VerifyOptions {
  return {
    ...(item.content ? { content: item.content } : { contentDigest: item.contentDigest }),
    expectedSigner: item.expectedSigner,
    trustedRoots: shared.trustedRoots,
    now: item.now ?? shared.now,
    ...(shared.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: shared.maxClockSkewMs }),
  };
}

/** One item's call of `verifySignedData`, without `isRevoked`. */
export function verifyItem(item: VerifyManyItem, shared: SharedVerifyOptions): Promise<SignedDataVerification> {
  return verifySignedData(item.cms, itemOptions(item, shared));
}

/** The item with copies of its bytes, so that what the caller changes while the call runs is not what is verified. */
function snapshot(item: VerifyManyItem): VerifyManyItem {
  const signer = item.expectedSigner;
  return {
    ...item,
    cms: item.cms.slice(),
    ...(item.content ? { content: item.content.slice() } : { contentDigest: item.contentDigest.slice() }),
    expectedSigner: 'certificate' in signer ? { certificate: signer.certificate.slice() } : { ...signer },
  } as VerifyManyItem;
}

/**
 * The items one after another in this thread: the browser's way, and Node's for a handful of items. Each is
 * verified as it stood when the call was made (as the threads' chunks are); a verdict's content is the caller's
 * own array, as verifySignedData returns it.
 */
export async function verifySequentially(items: readonly VerifyManyItem[], shared: SharedVerifyOptions): Promise<SignedDataVerification[]> {
  const copies = items.map(snapshot);
  const results: SignedDataVerification[] = [];
  for (const [i, copy] of copies.entries()) {
    const result = await verifyItem(copy, shared);
    results.push(result.content && result.content === copy.content ? { ...result, content: items[i]!.content! } : result);
  }
  return results;
}
