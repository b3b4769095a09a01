import { closeVerifyPool as closeBackend, defaultThreads, verifyItems } from '#verify-many';
import type { SignedDataVerification } from './verify-options.js';
import { checkVerifyManyInput } from './verify-many-input.js';
import { applyRevocation } from './verify-many-revocation.js';
import type { VerifyManyItem, VerifyManyOptions } from './verify-many-types.js';

export type { VerifyManyItem, VerifyManyOptions } from './verify-many-types.js';
export * from './verify-many-error.js';

/**
 * Verifies many CMS signatures as {@link verifySignedData} verifies one, each item bound to its own content and
 * signer, the trust anchors, clock and revocation hook shared; the verdicts come back in the items' order, each
 * the one `verifySignedData` gives for that item. In Node the work runs on worker threads (`threads`, one per core
 * by default) from a pool kept between calls; a handful of items (fewer than 8) and browsers run in the calling
 * thread. `isRevoked` runs in the calling thread, once per distinct signer certificate, for the signatures that
 * are otherwise valid. Throws a TypeError, naming the item's index, when an item omits its binding; rejects with
 * a {@link VerifyManyError} when a thread ends under the call (no verdict is returned then; calling again is safe).
 */
export async function verifyMany(items: readonly VerifyManyItem[], options: VerifyManyOptions): Promise<SignedDataVerification[]> {
  checkVerifyManyInput(items, options);
  if (items.length === 0) return [];
  // One clock for the call: items without their own `now` are judged at the same instant on every thread.
  const shared = {
    trustedRoots: options.trustedRoots,
    now: options.now ?? new Date(),
    ...(options.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: options.maxClockSkewMs }),
  };
  const results = await verifyItems(items, shared, options.threads ?? defaultThreads());
  return options.isRevoked ? applyRevocation(results, options.isRevoked) : results;
}

/**
 * Ends {@link verifyMany}'s worker threads, for tests and a graceful shutdown; not needed for a process to exit
 * (idle threads do not hold it), and the next call starts new ones. A call still running rejects.
 */
export function closeVerifyPool(): Promise<void> {
  return closeBackend();
}
