import { backend } from '#verify-backend';
import { equalBytes, toHex } from './bytes.js';

/**
 * The SHA-256 (hex) that certificates and trust anchors are cached by, remembered per encoding so that the same
 * certificate arriving in every CMS from one signer is recognised by a byte comparison rather than hashed again
 * (hashing and hex-encoding cost more than the comparison). The index is keyed by a checksum of the encoding's
 * length and last bytes (a certificate ends in its signature, unique to it) and always confirmed byte for byte.
 */

/**
 * Encodings remembered; past this many, or {@link MAX_REMEMBERED_BYTES} of them, the index starts over (it only
 * saves work, it decides nothing).
 */
const MAX_REMEMBERED = 8_192;
const MAX_REMEMBERED_BYTES = 8 * 1024 * 1024;
/** Larger encodings are hashed every time rather than remembered: no certificate a CA issues comes near it. */
const MAX_ENCODING_BYTES = 16 * 1024;
const TAIL_BYTES = 32;

/** An encoding seen before: its hash, and a number no other encoding is ever given in this process. */
export interface Remembered {
  readonly bytes: Uint8Array;
  readonly hash: string;
  readonly id: number;
}

const index = new Map<number, Remembered[]>();
let remembered = 0;
let rememberedBytes = 0;
let nextId = 0;

function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5 ^ bytes.length;
  for (let i = Math.max(0, bytes.length - TAIL_BYTES); i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** `der` when it has been seen before (no await on the hot path), else undefined. */
export function recall(der: Uint8Array): Remembered | undefined {
  const candidates = index.get(checksum(der));
  if (candidates) for (const candidate of candidates) if (equalBytes(candidate.bytes, der)) return candidate;
  return undefined;
}

/** The hex SHA-256 of `der` when it has been seen before, else undefined. */
export function knownHash(der: Uint8Array): string | undefined {
  return recall(der)?.hash;
}

/** The hex SHA-256 of `der`. */
export async function certificateHash(der: Uint8Array): Promise<string> {
  return (await remember(der)).hash;
}

/** `der`, remembered: hashed once. */
export async function remember(der: Uint8Array): Promise<Remembered> {
  const known = recall(der);
  if (known) return known;
  const key = checksum(der);
  const candidates = index.get(key);
  const hash = toHex(await backend.digest('SHA-256', der));
  // Not kept: its id is new each time, so nothing keyed by it is found again either.
  if (der.length > MAX_ENCODING_BYTES) return { bytes: der, hash, id: nextId++ };
  if (remembered >= MAX_REMEMBERED || rememberedBytes + der.length > MAX_REMEMBERED_BYTES) {
    index.clear();
    remembered = 0;
    rememberedBytes = 0;
  }
  // A copy: the caller's buffer may be reused or changed after the call.
  const entry = { bytes: der.slice(), hash, id: nextId++ };
  if (candidates && index.has(key)) candidates.push(entry);
  else index.set(key, [entry]);
  remembered++;
  rememberedBytes += der.length;
  return entry;
}
