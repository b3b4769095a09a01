import type { Tlv } from './der-reader.js';
import { ByteIndex } from './byte-index.js';

/**
 * The strict side of the DER reader, for the fast verification path: a value is accepted only when it is DER that
 * asn1js is certain to read the same way (minimal lengths, minimal INTEGERs and OID arcs, DER times, well-formed
 * UTF-8, no constructed strings). Anything else makes the fast path hand the whole CMS to the pkijs reference, so
 * BER and oddities get the reference's verdict rather than a guess. Each function returns false or undefined
 * instead of throwing: refusal here is a routing decision, not an error.
 */

/** Number of octets a length takes in DER, header byte included. */
function lengthOctets(length: number): number {
  if (length < 0x80) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  return length < 0x1000000 ? 4 : 5;
}

/**
 * The TLV at `offset` when it is well formed, ends by `limit`, has a low tag number and its length in the minimal
 * (DER) form; else undefined. (The reader's `readTlv` also accepts non-minimal lengths, and throws.)
 */
export function strictTlv(bytes: Uint8Array, offset: number, limit: number): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset]!;
  const first = bytes[offset + 1]!;
  if ((tag & 0x1f) === 0x1f || first === 0x80) return undefined;
  let contentStart = offset + 2;
  let length = first;
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4 || contentStart + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += count;
    if (lengthOctets(length) !== 1 + count) return undefined;
  }
  const end = contentStart + length;
  return end > limit ? undefined : { tag, start: offset, contentStart, end };
}

/** The children of a constructed value, each strict, filling it exactly; undefined otherwise. */
export function strictChildren(bytes: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = strictTlv(bytes, at, parent.end);
    if (!child) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** A DER INTEGER's content: non-empty and minimal (no redundant leading 0x00 or 0xff octet). */
export function minimalInteger(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  if (content.length === 1) return true;
  const [first, second] = [content[0]!, content[1]!];
  return !((first === 0x00 && !(second & 0x80)) || (first === 0xff && second & 0x80));
}

/** An OBJECT IDENTIFIER's content: arcs minimal (no leading 0x80), terminated, and small enough to be exact. */
export function strictOid(content: Uint8Array): boolean {
  if (content.length === 0 || content[content.length - 1]! & 0x80) return false;
  let arcLength = 0;
  for (let i = 0; i < content.length; i++) {
    if (arcLength === 0 && content[i] === 0x80) return false;
    arcLength = content[i]! & 0x80 ? arcLength + 1 : 0;
    if (arcLength >= 4) return false;
  }
  return true;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1_STRINGS = new Set([0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b]);
const MAX_DEPTH = 24;

/** Whether a primitive universal value has content asn1js reads without error and as DER means it. */
function strictPrimitive(tag: number, content: Uint8Array): boolean {
  switch (tag) {
    case 0x01:
      return content.length === 1 && (content[0] === 0x00 || content[0] === 0xff);
    case 0x02:
    case 0x0a:
      return minimalInteger(content);
    case 0x03:
      return content.length >= 1 && content[0]! <= 7 && (content.length > 1 || content[0] === 0);
    case 0x04:
      return true;
    case 0x05:
      return content.length === 0;
    case 0x06:
      return strictOid(content);
    case 0x0c:
      try {
        UTF8.decode(content);
        return true;
      } catch {
        return false;
      }
    case 0x17:
    case 0x18:
      return strictTime(tag, content) !== undefined;
    case 0x1e:
      return content.length % 2 === 0;
    default:
      return LATIN1_STRINGS.has(tag);
  }
}

/**
 * Whether the value `tlv` (and everything inside it) is strict DER of kinds asn1js reads without surprises:
 * SEQUENCE and SET and context, application or private constructed values, whose children are strict in turn;
 * the primitive universal types above; context, application and private primitives as opaque octets.
 */
export function strictValue(bytes: Uint8Array, tlv: Tlv, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const universal = (tlv.tag & 0xc0) === 0;
  if (tlv.tag & 0x20) {
    if (universal && tlv.tag !== 0x30 && tlv.tag !== 0x31) return false;
    const large = depth === 0 && tlv.end - tlv.start >= MEMO_MIN_BYTES;
    if (large && strictValues.get(bytes.subarray(tlv.start, tlv.end))) return true;
    const children = strictChildren(bytes, tlv);
    const strict = children !== undefined && children.every((child) => strictValue(bytes, child, depth + 1));
    if (strict && large) strictValues.set(bytes.subarray(tlv.start, tlv.end), true);
    return strict;
  }
  return !universal || strictPrimitive(tlv.tag, bytes.subarray(tlv.contentStart, tlv.end));
}

/**
 * Values already found strict, by their bytes: every CMS from one signer repeats the same large attribute values
 * (signingCertificateV2 names the certificate), and comparing bytes costs a fraction of walking them again. One
 * index per kind of check (bytes that are a strict value need not be a well-formed Name); values over 4 KiB are
 * walked every time (no attribute a signer repeats comes near it), and past 4,096 values or 4 MiB an index starts
 * over.
 */
const MEMO_MIN_BYTES = 48;
const MEMO_LIMITS = { entries: 4096, bytes: 4 * 1024 * 1024, largest: 4 * 1024, tailBytes: 16 };
const strictValues = new ByteIndex<true>(MEMO_LIMITS);
const strictNames = new ByteIndex<true>(MEMO_LIMITS);

/** The bytes both memos keep now (tests). */
export function strictMemoBytes(): number {
  return strictValues.size + strictNames.size;
}

/** Whether `tlv` is an AlgorithmIdentifier: SEQUENCE { OBJECT IDENTIFIER, parameters (any strict value) OPTIONAL }. */
export function strictAlgorithm(bytes: Uint8Array, tlv: Tlv): boolean {
  if (tlv.tag !== 0x30) return false;
  const parts = strictChildren(bytes, tlv);
  if (!parts || parts.length < 1 || parts.length > 2 || parts[0]!.tag !== 0x06) return false;
  return parts.every((part) => strictValue(bytes, part));
}

/** Whether `tlv` is a Name: SEQUENCE OF SET OF SEQUENCE { OBJECT IDENTIFIER, value }, each value strict. */
export function strictName(bytes: Uint8Array, tlv: Tlv): boolean {
  if (tlv.tag !== 0x30) return false;
  const encoding = bytes.subarray(tlv.start, tlv.end);
  if (strictNames.get(encoding)) return true;
  if (!nameShape(bytes, tlv)) return false;
  strictNames.set(encoding, true);
  return true;
}

function nameShape(bytes: Uint8Array, tlv: Tlv): boolean {
  const rdns = strictChildren(bytes, tlv);
  if (!rdns) return false;
  for (const rdn of rdns) {
    const attributes = rdn.tag === 0x31 ? strictChildren(bytes, rdn) : undefined;
    if (!attributes) return false;
    for (const attribute of attributes) {
      const parts = attribute.tag === 0x30 ? strictChildren(bytes, attribute) : undefined;
      if (parts?.length !== 2 || parts[0]!.tag !== 0x06 || !strictValue(bytes, parts[0]!) || !strictValue(bytes, parts[1]!)) return false;
    }
  }
  return true;
}

/**
 * The dotted text of an OBJECT IDENTIFIER that {@link strictOid} accepted: its arcs fit in 28 bits, so plain
 * numbers do (the reader's general decoder uses BigInt, which costs more than the rest of a CMS read).
 */
export function oidText(content: Uint8Array): string {
  let text = '';
  let value = 0;
  for (let i = 0; i < content.length; i++) {
    const byte = content[i]!;
    value = value * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    text += text === '' ? (value < 40 ? `0.${value}` : value < 80 ? `1.${value - 40}` : `2.${value - 80}`) : `.${value}`;
    value = 0;
  }
  return text;
}

/** Two decimal digits at `at`. */
function twoDigits(content: Uint8Array, at: number): number {
  return (content[at]! - 0x30) * 10 + content[at + 1]! - 0x30;
}

/**
 * The instant of a UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) in exactly the DER form RFC
 * 5280 allows, or undefined: the same instants as the reader's `decodeTime`, read from the octets directly.
 */
export function strictTime(tag: number, content: Uint8Array): Date | undefined {
  const utc = tag === 0x17;
  const length = utc ? 13 : 15;
  if ((!utc && tag !== 0x18) || content.length !== length || content[length - 1] !== 0x5a) return undefined;
  for (let i = 0; i < length - 1; i++) if (content[i]! < 0x30 || content[i]! > 0x39) return undefined;
  const short = twoDigits(content, 0);
  // RFC 5280 §4.1.2.5.1: a UTCTime year of 50 or more is 19YY, below 50 it is 20YY.
  const year = utc ? (short >= 50 ? 1900 + short : 2000 + short) : short * 100 + twoDigits(content, 2);
  const at = utc ? 2 : 4;
  const [month, day, hour, minute, second] = [0, 2, 4, 6, 8].map((i) => twoDigits(content, at + i)) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 31 February over into March, and reads years below 100 as 19YY: neither is the time stated.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    return undefined;
  }
  return date;
}
