import type { SignedDataVerification } from './verify-options.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';

/** Where some bytes sit in a chunk's buffer: offset and length. */
type Span = [number, number];

type PackedSigner = { serialNumber: string } | { organizationIdentifier: string } | { certificate: Span };

interface PackedItem {
  cms: Span;
  content?: Span;
  contentDigest?: Span;
  expectedSigner: PackedSigner;
  now?: number;
}

/** One message to a worker: a chunk's bytes in one buffer, and the spans that say where each field lies. */
export interface ChunkJob {
  bytes: ArrayBuffer;
  roots: Span[];
  now: number;
  maxClockSkewMs?: number;
  items: PackedItem[];
  /** Test-only: the worker ends its thread instead of answering (a crash mid-call). */
  exitForTest?: boolean;
}

/**
 * A verdict as it crosses back: `content: 'given'` stands for the content the item gave, which the calling thread
 * still holds and puts back itself (the same array, as `verifySignedData` returns it).
 */
export type WireVerification = Omit<SignedDataVerification, 'content'> & { content?: Uint8Array | 'given' };

/** A worker's answer: the verdicts in the chunk's order, or the error its verification threw. */
export type ChunkAnswer = { results: WireVerification[] } | { error: string };

/** The verdict the caller gets: the wire form with the item's own content put back. */
export function fromWire(result: WireVerification, item: VerifyManyItem): SignedDataVerification {
  const { content, ...rest } = result;
  if (content === undefined) return rest;
  return { ...rest, content: content === 'given' ? item.content! : content };
}

/**
 * Copies the chunk's byte fields into one new buffer, which is then transferred, not cloned. Structured clone
 * copies a typed array's whole backing buffer, and callers' arrays are often views into a larger one (Node's 8 KiB
 * Buffer pool, a file read in full), so cloning them as given could copy many times the data.
 */
export function packChunk(items: readonly VerifyManyItem[], shared: SharedVerifyOptions): ChunkJob {
  let size = 0;
  for (const root of shared.trustedRoots) size += root.length;
  for (const item of items) {
    size += item.cms.length + (item.content?.length ?? 0) + (item.contentDigest?.length ?? 0);
    if ('certificate' in item.expectedSigner) size += item.expectedSigner.certificate.length;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  const put = (data: Uint8Array): Span => {
    bytes.set(data, at);
    at += data.length;
    return [at - data.length, data.length];
  };
  const packed = items.map((item): PackedItem => {
    const signer = item.expectedSigner;
    return {
      cms: put(item.cms),
      ...(item.content ? { content: put(item.content) } : {}),
      ...(item.contentDigest ? { contentDigest: put(item.contentDigest) } : {}),
      expectedSigner: 'certificate' in signer ? { certificate: put(signer.certificate) } : signer,
      ...(item.now ? { now: item.now.getTime() } : {}),
    };
  });
  const roots = shared.trustedRoots.map(put);
  return { bytes: bytes.buffer, roots, now: shared.now.getTime(), ...(shared.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: shared.maxClockSkewMs }), items: packed };
}

/** The chunk's items and shared options again, as views into the transferred buffer. */
export function unpackChunk(job: ChunkJob): { items: VerifyManyItem[]; shared: SharedVerifyOptions } {
  const view = ([offset, length]: Span): Uint8Array => new Uint8Array(job.bytes, offset, length);
  const items = job.items.map((item) => {
    const signer = item.expectedSigner;
    const binding = item.content ? { content: view(item.content) } : { contentDigest: view(item.contentDigest!) };
    return {
      cms: view(item.cms),
      ...binding,
      expectedSigner: 'certificate' in signer ? { certificate: view(signer.certificate) } : signer,
      ...(item.now === undefined ? {} : { now: new Date(item.now) }),
    };
  });
  const shared = { trustedRoots: job.roots.map(view), now: new Date(job.now), ...(job.maxClockSkewMs === undefined ? {} : { maxClockSkewMs: job.maxClockSkewMs }) };
  return { items, shared };
}
