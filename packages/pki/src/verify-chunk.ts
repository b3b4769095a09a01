import { verifyFast } from './cms-verify-fast.js';
import { verifySignedDataReference } from './cms-verify-reference.js';
import { packVerdicts, unpackChunk, type ChunkJob, type WireChunk } from './verify-chunk-pack.js';
import { itemOptions } from './verify-many-sequential.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';
import type { SignedDataVerification } from './verify-options.js';

export { transferables } from './verify-chunk-pack.js';

/**
 * One item as `verifySignedData` judges it, without `isRevoked` (the calling thread asks it) and without its input
 * checks, which `verifyMany` made before sending the item; the signer's bytes are not copied, as the answer clones
 * them (see verifyFast).
 */
function verifyInThread(item: VerifyManyItem, shared: SharedVerifyOptions): Promise<SignedDataVerification> {
  const options = itemOptions(item, shared);
  return verifyFast(item.cms, options, true).then((verdict) => verdict ?? verifySignedDataReference(item.cms, options));
}

/**
 * What a worker thread runs for one chunk (loaded by the thread's script, see verify-thread-source.ts). Results
 * go back by structured clone, never transferred: a verifier may share a certificate's bytes between results (a
 * cache), and transferring them would empty that cache.
 */
export async function verifyChunk(job: ChunkJob): Promise<WireChunk> {
  const { items, shared } = unpackChunk(job);
  const results = [];
  for (const item of items) results.push(await verifyInThread(item, shared));
  return packVerdicts(results, items);
}
