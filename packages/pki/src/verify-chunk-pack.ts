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

/** A signer certificate of a chunk, with its summary, sent once for all its verdicts. */
export interface WireSigner {
  der: Uint8Array;
  summary: CertificateSummary;
}

/**
 * A chunk's verdicts as they cross back, compact: structured clone costs by the object, and at tens of thousands
 * of verdicts a second both threads' share of a core decides how far the threads scale. `numbers` holds
 * {@link FIELDS} numbers a verdict, in the chunk's order, and is transferred: flags (valid; the content reported is
 * the one the item gave), the problem's index in
 * {@link PROBLEMS} (-1 for none), the index of the signer in `signers` (-1 for none; one entry per distinct
 * certificate and status, however many of its signatures the chunk holds), signingTime in ms (NaN for none).
 * Messages other than "signature verified" and contents the caller did not give travel beside, by index; a given
 * content is put back from the item, which the calling thread still holds.
 */
export interface WireChunk {
  numbers: Float64Array;
  signers: WireSigner[];
  messages: [number, string][];
  contents: [number, Uint8Array][];
}

/** A worker's answer: the chunk's verdicts, or the error its verification threw. */
export type ChunkAnswer = { results: WireChunk } | { error: string };

const FIELDS = 4;
/** Bits of a verdict's first number. */
const VALID = 1;
const GIVEN_CONTENT = 2;
const VERIFIED = 'signature verified';
const PROBLEMS: readonly SignatureProblem[] = [
  'MALFORMED',
  'MISSING_ATTRIBUTES',
  'UNSUPPORTED_DIGEST',
  'CONTENT_TYPE_MISMATCH',
  'CONTENT_MISMATCH',
  'DIGEST_MISMATCH',
  'SIGNATURE_INVALID',
  'CHAIN_UNTRUSTED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'SIGNING_TIME_SKEW',
  'KEY_USAGE_INVALID',
  'WRONG_SIGNER',
  'REVOKED',
];

/** A copy when `bytes` views only part of its buffer, so that cloning it to the caller copies no more than it. */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * Packs a chunk's verdicts (in a worker). Signers are matched by serial, issuer and status, then byte for byte:
 * two certificates with one issuer and serial (a forgery beside the real one) stay two entries.
 */
export function packVerdicts(results: readonly SignedDataVerification[], items: readonly VerifyManyItem[]): WireChunk {
  const chunk: WireChunk = { numbers: new Float64Array(results.length * FIELDS), signers: [], messages: [], contents: [] };
  const index = new Map<string, number[]>();
  const signerOf = (der: Uint8Array, summary: CertificateSummary): number => {
    const key = `${summary.serialNumber}|${summary.issuer}|${summary.status}`;
    const candidates = index.get(key) ?? [];
    for (const i of candidates) if (equalBytes(chunk.signers[i]!.der, der)) return i;
    candidates.push(chunk.signers.length);
    index.set(key, candidates);
    chunk.signers.push({ der: own(der), summary });
    return chunk.signers.length - 1;
  };
  results.forEach((result, i) => {
    const at = i * FIELDS;
    chunk.numbers[at] = (result.valid ? VALID : 0) | (result.content && items[i]!.content ? GIVEN_CONTENT : 0);
    chunk.numbers[at + 1] = result.problem ? PROBLEMS.indexOf(result.problem) : -1;
    chunk.numbers[at + 2] = result.signerCertificate && result.signer ? signerOf(result.signerCertificate, result.signer) : -1;
    chunk.numbers[at + 3] = result.signingTime ? result.signingTime.getTime() : NaN;
    if (!result.valid || result.message !== VERIFIED) chunk.messages.push([i, result.message]);
    if (result.content && !items[i]!.content) chunk.contents.push([i, own(result.content)]);
  });
  return chunk;
}

/** What the worker transfers rather than clones. */
export function transferables(chunk: WireChunk): ArrayBuffer[] {
  return [chunk.numbers.buffer as ArrayBuffer];
}

/**
 * The verdicts the caller gets (in the calling thread): what `verifySignedData` returns, each with its own copy of
 * the signer's bytes and summary, and the item's own content put back.
 */
export function unpackVerdicts(chunk: WireChunk, items: readonly VerifyManyItem[]): SignedDataVerification[] {
  const messages = new Map(chunk.messages);
  const contents = new Map(chunk.contents);
  return items.map((item, i) => {
    const at = i * FIELDS;
    const flags = chunk.numbers[at]!;
    const result: SignedDataVerification = { valid: (flags & VALID) !== 0, message: messages.get(i) ?? VERIFIED };
    const problem = chunk.numbers[at + 1]!;
    if (problem >= 0) result.problem = PROBLEMS[problem];
    const signer = chunk.numbers[at + 2]!;
    if (signer >= 0) {
      const { der, summary } = chunk.signers[signer]!;
      result.signer = summary.keyUsage ? { ...summary, keyUsage: [...summary.keyUsage] } : { ...summary };
      result.signerCertificate = der.slice();
    }
    const signingTime = chunk.numbers[at + 3]!;
    if (!Number.isNaN(signingTime)) result.signingTime = new Date(signingTime);
    const content = flags & GIVEN_CONTENT ? item.content : contents.get(i);
    if (content) result.content = content;
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
    // A detached array (its buffer transferred elsewhere) reads as empty, as verifySignedData reads it: MALFORMED
    // for that item alone, where set() would throw for the whole call.
    if (data.length === 0) return [at, 0];
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
