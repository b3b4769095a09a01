import { unpackChunk, type ChunkJob, type WireVerification } from './verify-chunk-pack.js';
import { verifyItem } from './verify-many-sequential.js';

/** A copy when `bytes` views only part of its buffer, so that cloning it to the caller copies no more than it. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * What a worker thread runs for one chunk (loaded by the thread's script, see verify-thread-source.ts). Results
 * go back by structured clone, never transferred: a verifier may share a certificate's bytes between results (a
 * cache), and transferring them would empty that cache. The content an item gave is not sent back: the caller
 * holds it already.
 */
export async function verifyChunk(job: ChunkJob): Promise<WireVerification[]> {
  const { items, shared } = unpackChunk(job);
  const results: WireVerification[] = [];
  for (const item of items) {
    const { content, signerCertificate, ...rest } = await verifyItem(item, shared);
    results.push({
      ...rest,
      ...(signerCertificate ? { signerCertificate: own(signerCertificate) } : {}),
      ...(content ? { content: item.content ? 'given' : own(content) } : {}),
    });
  }
  return results;
}
