/** Base64 (standard alphabet, padded) of `bytes`; works in browsers and Node. */
export function toBase64(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Bytes of a standard base64 string. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array | ArrayBuffer): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let hex = '';
  for (const b of view) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Bytes of a hex string. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * An `ArrayBuffer` holding exactly `bytes`. Node Buffers are often views into a larger pool, and pkijs/asn1js
 * and WebCrypto read the whole underlying buffer, so pass them a copy.
 */
export function exactBuffer(bytes: Uint8Array | ArrayBuffer): ArrayBuffer {
  if (bytes instanceof ArrayBuffer) return bytes;
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/** SHA-256 of `data` through WebCrypto (browser and Node). */
export async function sha256(data: Uint8Array | ArrayBuffer): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', exactBuffer(data)));
}

/** Constant-time-ish equality of two byte strings (lengths are not secret here). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * The content octets of a DER INTEGER holding the unsigned big-endian number `bytes`: leading zero bytes stripped,
 * then 0x00 prepended when the high bit is set, so the value stays positive and minimal.
 */
export function unsignedIntegerContent(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const pad = trimmed[0]! & 0x80 ? 1 : 0;
  const out = new Uint8Array(pad + trimmed.length);
  out.set(trimmed, pad);
  return out;
}

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2): PKCS#1 v1.5 signs DigestInfo ‖ digest, not the bare digest. */
export const SHA256_DIGEST_INFO_PREFIX: Uint8Array = fromHex('3031300d060960864801650304020105000420');
