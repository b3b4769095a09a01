/**
 * A small, strict DER reader: enough to take a certificate or a SubjectPublicKeyInfo apart on the agent's hot
 * paths without loading pkijs/asn1js. Every read is bounded by its enclosing value and moves forward by at least
 * the two header bytes, so hostile input ends in a {@link DerError}, never in a loop, a RangeError or a read past
 * the end.
 */

/** Input that is not the DER the caller expected. `code` is stable; the message says what was wrong and where. */
export class DerError extends Error {
  /** Always `MALFORMED_DER`. */
  readonly code = 'MALFORMED_DER';

  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value in a byte string: offsets into that string. */
export interface Tlv {
  /** The identifier octet (low tag numbers only, which is all X.509 and CMS use). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

/** Lengths above this are refused: no certificate or key comes near 2 GiB, and the arithmetic stays exact. */
const MAX_LENGTH_OCTETS = 4;

/**
 * Reads the TLV at `offset`, which must end at or before `limit`. `what` names the value in the error message
 * (`certificate`, `issuer`, …).
 */
export function readTlv(bytes: Uint8Array, offset: number, limit: number, what: string): Tlv {
  if (offset + 2 > limit) throw new DerError(`${what}: missing or truncated at byte ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`${what}: unsupported high tag number at byte ${offset}`);
  const first = bytes[offset + 1]!;
  let contentStart = offset + 2;
  let length = first;
  if (first === 0x80) throw new DerError(`${what}: indefinite length (BER, not DER) at byte ${offset}`);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > MAX_LENGTH_OCTETS) throw new DerError(`${what}: length of ${count} octets is too long at byte ${offset}`);
    if (contentStart + count > limit) throw new DerError(`${what}: truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`${what}: ${length} bytes of content announced, ${limit - contentStart} present, at byte ${offset}`);
  return { tag, start: offset, contentStart, end };
}

/** Reads the TLV at `offset` and requires its tag to be `tag`. */
export function expectTlv(bytes: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const found = readTlv(bytes, offset, limit, what);
  if (found.tag !== tag) {
    throw new DerError(`${what}: expected tag 0x${tag.toString(16).padStart(2, '0')}, found 0x${found.tag.toString(16).padStart(2, '0')} at byte ${offset}`);
  }
  return found;
}

/** The TLVs inside a constructed value, in order; they must fill its content exactly. */
export function childrenOf(bytes: Uint8Array, parent: Tlv, what: string): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readTlv(bytes, at, parent.end, what);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The content octets of `tlv`, as a view (no copy). */
export function contentOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/** The whole encoding of `tlv`, header included, as a view (no copy). */
export function encodingOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** The dotted text of an OBJECT IDENTIFIER's content octets. */
export function decodeOid(content: Uint8Array, what: string): string {
  if (content.length === 0) throw new DerError(`${what}: empty object identifier`);
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i]!;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte & 0x80) continue;
    arcs.push(value);
    value = 0n;
  }
  if (content[content.length - 1]! & 0x80) throw new DerError(`${what}: unterminated object identifier`);
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

const LATIN1_STRINGS = new Set([0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b]);

/** One character per octet, in chunks (spreading a long string into one call overflows the stack). */
function latin1(content: Uint8Array): string {
  let text = '';
  for (let i = 0; i < content.length; i += 0x2000) text += String.fromCharCode(...content.subarray(i, i + 0x2000));
  return text;
}

/**
 * The text of a directory string (UTF8String, PrintableString, IA5String, TeletexString, BMPString,
 * UniversalString and the other character strings), or undefined when `tag` is not a string type.
 */
export function decodeString(tag: number, content: Uint8Array): string | undefined {
  if (tag === 0x0c) return new TextDecoder().decode(content);
  // One character per octet, as asn1js reads these (TeletexString's T.61 is read the same way).
  if (LATIN1_STRINGS.has(tag)) return latin1(content);
  if (tag === 0x1e) return new TextDecoder('utf-16be').decode(content);
  if (tag === 0x1c) {
    let text = '';
    for (let i = 0; i + 3 < content.length; i += 4) {
      const point = ((content[i]! << 24) | (content[i + 1]! << 16) | (content[i + 2]! << 8) | content[i + 3]!) >>> 0;
      text += point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
    }
    return text;
  }
  return undefined;
}

function digits(text: string, from: number, count: number): number {
  return Number(text.slice(from, from + count));
}

/** The instant of a UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), the forms RFC 5280 allows. */
export function decodeTime(tag: number, content: Uint8Array, what: string): Date {
  const utc = tag === 0x17;
  if (!utc && tag !== 0x18) throw new DerError(`${what}: not a UTCTime or GeneralizedTime`);
  if (content.length !== (utc ? 13 : 15)) throw new DerError(`${what}: a time of ${content.length} bytes is not in the DER form`);
  const text = latin1(content);
  if (!(utc ? /^\d{12}Z$/ : /^\d{14}Z$/).test(text)) throw new DerError(`${what}: time "${text}" is not in the DER form`);
  const yearDigits = utc ? 2 : 4;
  const shortYear = digits(text, 0, yearDigits);
  // RFC 5280 §4.1.2.5.1: a UTCTime year of 50 or more is 19YY, below 50 it is 20YY.
  const year = utc ? (shortYear >= 50 ? 1900 + shortYear : 2000 + shortYear) : shortYear;
  const [month, day, hour, minute, second] = [0, 1, 2, 3, 4].map((i) => digits(text, yearDigits + 2 * i, 2)) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March: a rolled value is not the time the text states.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new DerError(`${what}: time "${text}" is not a valid date`);
  }
  return date;
}
