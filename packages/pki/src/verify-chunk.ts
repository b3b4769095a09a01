import { packVerdicts, unpackChunk, type ChunkJob, type WireChunk } from './verify-chunk-pack.js';

export { transferables } from './verify-chunk-pack.js';
import { verifyItem } from './verify-many-sequential.js';

/**
 * What a worker thread runs for one chunk (loaded by the thread's script, see verify-thread-source.ts). Results
 * go back by structured clone, never transferred: a verifier may share a certificate's bytes between results (a
 * cache), and transferring them would empty that cache.
 */
export async function verifyChunk(job: ChunkJob): Promise<WireChunk> {
  const { items, shared } = unpackChunk(job);
  const results = [];
  for (const item of items) results.push(await verifyItem(item, shared));
  return packVerdicts(results, items);
}
