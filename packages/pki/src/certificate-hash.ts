import { backend } from '#verify-backend';
import { toHex } from './bytes.js';
import { ByteIndex } from './byte-index.js';

/**
 * The SHA-256 (hex) that certificates and trust anchors are cached by, remembered per encoding so that the same
 * certificate arriving in every CMS from one signer is recognised by a byte comparison rather than hashed again
 * (hashing and hex-encoding cost more than the comparison). A certificate ends in its signature, unique to it: the
 * index's checksum reads the last 32 bytes. Encodings over 16 KiB are hashed every time (no certificate a CA issues
 * comes near it); past 8,192 encodings or 8 MiB of them the index starts over.
 */
const index = new ByteIndex<Remembered>({ entries: 8_192, bytes: 8 * 1024 * 1024, largest: 16 * 1024, tailBytes: 32 });
let nextId = 0;

/** An encoding seen before: its hash, and a number no other encoding is ever given in this process. */
export interface Remembered {
  readonly hash: string;
  readonly id: number;
}

/** `der` when it has been seen before (no await on the hot path), else undefined. */
export function recall(der: Uint8Array): Remembered | undefined {
  return index.get(der);
}

/** The hex SHA-256 of `der` when it has been seen before, else undefined. */
export function knownHash(der: Uint8Array): string | undefined {
  return index.get(der)?.hash;
}

/** The hex SHA-256 of `der`. */
export async function certificateHash(der: Uint8Array): Promise<string> {
  return (await remember(der)).hash;
}

/**
 * `der`, remembered: hashed once. One too large to keep gets a new id each time, so nothing keyed by it is found
 * again either.
 */
export async function remember(der: Uint8Array): Promise<Remembered> {
  const known = index.get(der);
  if (known) return known;
  const entry = { hash: toHex(await backend.digest('SHA-256', der)), id: nextId++ };
  index.set(der, entry);
  return entry;
}
