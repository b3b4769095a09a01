// The default variant of `#verify-many` (browsers, bundlers without a `node` condition): no threads, the items
// one after another. verify-many-node.ts is the Node variant; both export the same functions.
import type { SignedDataVerification } from './verify-options.js';
import { verifySequentially } from './verify-many-sequential.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';

/** One: the items run in the calling thread whatever `threads` says. */
export function defaultThreads(): number {
  return 1;
}

/** The verdicts without revocation, in the items' order. */
export function verifyItems(items: readonly VerifyManyItem[], shared: SharedVerifyOptions, _threads: number): Promise<SignedDataVerification[]> {
  return verifySequentially(items, shared);
}

/** Nothing to close: there is no pool. */
export async function closeVerifyPool(): Promise<void> {}
