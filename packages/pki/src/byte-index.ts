import { equalBytes } from './bytes.js';

/** What a {@link ByteIndex} may hold. */
export interface ByteIndexLimits {
  /** Encodings kept; past this many the index starts over. */
  readonly entries: number;
  /** Bytes kept in all; past this many the index starts over. */
  readonly bytes: number;
  /** Larger encodings are never kept (a stranger's large input must not fill the memory). */
  readonly largest: number;
  /** How many trailing bytes the checksum reads: where encodings of one kind differ (a signature, a value). */
  readonly tailBytes: number;
}

/**
 * A bounded index of byte strings (with a value each), so that input seen before is recognised by a byte
 * comparison instead of being worked out again. Keyed by a checksum of the length and the last bytes, always
 * confirmed byte for byte; it keeps copies, and starts over when full: it only saves work, it decides nothing.
 */
export class ByteIndex<V> {
  readonly #entries = new Map<number, { bytes: Uint8Array; value: V }[]>();
  #count = 0;
  #bytes = 0;

  constructor(private readonly limits: ByteIndexLimits) {}

  #checksum(bytes: Uint8Array): number {
    let h = 0x811c9dc5 ^ bytes.length;
    for (let i = Math.max(0, bytes.length - this.limits.tailBytes); i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return h >>> 0;
  }

  /** The value kept for `bytes`, or undefined. */
  get(bytes: Uint8Array): V | undefined {
    const candidates = this.#entries.get(this.#checksum(bytes));
    if (candidates) for (const candidate of candidates) if (equalBytes(candidate.bytes, bytes)) return candidate.value;
    return undefined;
  }

  /** Keeps a copy of `bytes` with `value`, unless it is larger than the index takes. */
  set(bytes: Uint8Array, value: V): void {
    if (bytes.length > this.limits.largest) return;
    if (this.#count >= this.limits.entries || this.#bytes + bytes.length > this.limits.bytes) this.clear();
    const key = this.#checksum(bytes);
    // A copy: the caller's buffer may be reused or changed after the call.
    const entry = { bytes: bytes.slice(), value };
    const list = this.#entries.get(key);
    if (list) list.push(entry);
    else this.#entries.set(key, [entry]);
    this.#count++;
    this.#bytes += bytes.length;
  }

  clear(): void {
    this.#entries.clear();
    this.#count = 0;
    this.#bytes = 0;
  }

  /** The bytes kept now. */
  get size(): number {
    return this.#bytes;
  }
}
