/**
 * A minimal DER writer for the structures sicert builds on its hot paths (public keys, CMS SignedData) without
 * pkijs/asn1js. A value is either encoded bytes or a node whose content length is known up front, so a whole
 * structure is written into one buffer once: a 4 MiB attached content is copied a single time, however deep it sits.
 */

/** Encoded DER, or a constructed (or primitive) value still to be written. */
export type Der = Uint8Array | DerNode;

/** A TLV whose content is the concatenation of `children`; `length` is the content length. */
export interface DerNode {
  readonly tag: number;
  readonly children: readonly Der[];
  readonly length: number;
}

/** Bytes the length octets of a content of `length` bytes take (short form below 128, else 0x80|n then n bytes). */
function lengthSize(length: number): number {
  if (length < 0x80) return 1;
  let n = 1;
  while (length >= 2 ** (8 * n)) n++;
  return 1 + n;
}

/** The encoded size of `value`, header included. */
export function sizeOf(value: Der): number {
  return value instanceof Uint8Array ? value.length : 1 + lengthSize(value.length) + value.length;
}

/** A TLV with tag `tag` over `children`, in order. */
export function tlv(tag: number, ...children: Der[]): DerNode {
  let length = 0;
  for (const child of children) length += sizeOf(child);
  return { tag, children, length };
}

/** Writes the header (tag and length) at `at`; returns where the content starts. */
function writeHeader(out: Uint8Array, at: number, tag: number, length: number): number {
  out[at++] = tag;
  if (length < 0x80) {
    out[at++] = length;
    return at;
  }
  const n = lengthSize(length) - 1;
  out[at++] = 0x80 | n;
  // Big-endian, most significant byte first; division rather than shifts keeps lengths above 2^31 right.
  for (let i = n - 1; i >= 0; i--) out[at++] = Math.floor(length / 2 ** (8 * i)) & 0xff;
  return at;
}

function writeInto(out: Uint8Array, at: number, value: Der): number {
  if (value instanceof Uint8Array) {
    out.set(value, at);
    return at + value.length;
  }
  let next = writeHeader(out, at, value.tag, value.length);
  for (const child of value.children) next = writeInto(out, next, child);
  return next;
}

/** The DER bytes of `value`, in one allocation. */
export function encode(value: Der): Uint8Array<ArrayBuffer> {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  const out = new Uint8Array(sizeOf(value));
  writeInto(out, 0, value);
  return out;
}

/** The content octets of an OBJECT IDENTIFIER in dotted form (`1.2.840.113549.1.7.2`). */
function oidContent(dotted: string): number[] {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new Error(`not an object identifier: ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let rest7 = arc >> 7n; rest7 > 0n; rest7 >>= 7n) group.unshift(Number(rest7 & 0x7fn) | 0x80);
    out.push(...group);
  }
  return out;
}

/** The encoded OBJECT IDENTIFIER of a dotted OID. */
export function derOid(dotted: string): Uint8Array<ArrayBuffer> {
  return encode(tlv(0x06, new Uint8Array(oidContent(dotted))));
}

/** The encoded NULL. */
export const DER_NULL: Uint8Array = new Uint8Array([0x05, 0x00]);

/** Tags sicert writes. */
export const TAG = {
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  /** [0] constructed, context-specific (IMPLICIT SET OF, or EXPLICIT). */
  context0: 0xa0,
  /** [4] constructed, context-specific (GeneralName directoryName). */
  context4: 0xa4,
} as const;
