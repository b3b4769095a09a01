import { unsignedIntegerContent } from './bytes.js';

/**
 * ECDSA signature encodings. PKCS#11 `CKM_ECDSA` and WebCrypto produce raw `r‖s`; X.509, PKCS#10 and CMS carry
 * the DER `SEQUENCE { r INTEGER, s INTEGER }`. Each INTEGER must be minimal and positive: strip leading zeros,
 * then prepend 0x00 when the high bit is set. Getting this wrong passes pkijs but fails OpenSSL about half the time.
 */

function derInteger(bytes: Uint8Array): Uint8Array {
  const content = unsignedIntegerContent(bytes);
  const out = new Uint8Array(2 + content.length);
  out[0] = 0x02;
  out[1] = content.length;
  out.set(content, 2);
  return out;
}

/** DER `SEQUENCE { r, s }` of a raw `r‖s` signature (both halves the same length). */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const half = raw.length / 2;
  const r = derInteger(raw.subarray(0, half));
  const s = derInteger(raw.subarray(half));
  const body = r.length + s.length;
  // P-256/P-384 bodies stay under 128 bytes; longer ones need the long length form.
  const header = body < 0x80 ? [0x30, body] : [0x30, 0x81, body];
  const out = new Uint8Array(header.length + body);
  out.set(header, 0);
  out.set(r, header.length);
  out.set(s, header.length + r.length);
  return out;
}
