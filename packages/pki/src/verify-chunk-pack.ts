import { equalBytes } from './bytes.js';
import type { CertificateSummary } from './certificate-summary.js';
import type { SignatureProblem, SignedDataVerification } from './verify-options.js';
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
 * A verdict as it crosses back, compact: structured clone costs by the object, and at tens of thousands of
 * verdicts a second the calling thread's share of a core decides how far the threads scale. `message` is left out
 * for a valid verdict (always "signature verified"), `signer` indexes the chunk's {@link WireSigner} table (one entry
 * per distinct certificate and status, however many of its signatures the chunk holds), `signingTime` is in ms,
 * and `content: 'given'` stands for the content the item gave, which the calling thread still holds.
 */
export interface WireVerdict {
  valid: boolean;
  problem?: SignatureProblem;
  message?: string;
  signer?: number;
  signingTime?: number;
  content?: Uint8Array | 'given';
}

/** A signer certificate of a chunk, with its summary, sent once for all its verdicts. */
export interface WireSigner {
  der: Uint8Array;
  summary: CertificateSummary;
}

/** A chunk's verdicts, in its order, and the signers they index. */
export interface WireChunk {
  verdicts: WireVerdict[];
  signers: WireSigner[];
}

/** A worker's answer: the chunk's verdicts, or the error its verification threw. */
export type ChunkAnswer = { results: WireChunk } | { error: string };

const VERIFIED = 'signature verified';

/** A copy when `bytes` views only part of its buffer, so that cloning it to the caller copies no more than it. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * Packs a chunk's verdicts (in a worker). Signers are matched by serial, issuer and status, then byte for byte:
 * two certificates with one issuer and serial (a forgery beside the real one) stay two entries.
 */
export function packVerdicts(results: readonly SignedDataVerification[], items: readonly VerifyManyItem[]): WireChunk {
  const signers: WireSigner[] = [];
  const index = new Map<string, number[]>();
  const signerOf = (der: Uint8Array, summary: CertificateSummary): number => {
    const key = `${summary.serialNumber}|${summary.issuer}|${summary.status}`;
    const candidates = index.get(key) ?? [];
    for (const i of candidates) if (equalBytes(signers[i]!.der, der)) return i;
    candidates.push(signers.length);
    index.set(key, candidates);
    signers.push({ der: own(der), summary });
    return signers.length - 1;
  };
  const verdicts = results.map((result, i): WireVerdict => {
    const verdict: WireVerdict = { valid: result.valid };
    if (result.problem) verdict.problem = result.problem;
    if (!result.valid || result.message !== VERIFIED) verdict.message = result.message;
    if (result.signerCertificate && result.signer) verdict.signer = signerOf(result.signerCertificate, result.signer);
    if (result.signingTime) verdict.signingTime = result.signingTime.getTime();
    if (result.content) verdict.content = items[i]!.content ? 'given' : own(result.content);
    return verdict;
  });
  return { verdicts, signers };
}

/**
 * The verdicts the caller gets (in the calling thread): what `verifySignedData` returns, each with its own copy of
 * the signer's bytes and summary, and the item's own content put back.
 */
export function unpackVerdicts(chunk: WireChunk, items: readonly VerifyManyItem[]): SignedDataVerification[] {
  return chunk.verdicts.map((verdict, i) => {
    const result: SignedDataVerification = { valid: verdict.valid, message: verdict.message ?? VERIFIED };
    if (verdict.problem) result.problem = verdict.problem;
    if (verdict.signer !== undefined) {
      const { der, summary } = chunk.signers[verdict.signer]!;
      result.signer = summary.keyUsage ? { ...summary, keyUsage: [...summary.keyUsage] } : { ...summary };
      result.signerCertificate = der.slice();
    }
    if (verdict.signingTime !== undefined) result.signingTime = new Date(verdict.signingTime);
    if (verdict.content !== undefined) result.content = verdict.content === 'given' ? items[i]!.content! : verdict.content;
    return result;
  });
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
