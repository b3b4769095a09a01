import { sha256, toHex, unsignedIntegerContent } from './bytes.js';
import { childrenOf, contentOf, decodeOid, DerError, expectTlv, type Tlv } from './der-reader.js';
import { DER_NULL, derOid, encode, TAG, tlv } from './der-writer.js';
import { OID } from './oids.js';

const EC_ALGORITHM = tlv(TAG.sequence, derOid(OID.ecPublicKey), derOid(OID.prime256v1));
const RSA_ALGORITHM = tlv(TAG.sequence, derOid(OID.rsaEncryption), DER_NULL);

/** A BIT STRING with no unused bits over `bytes`. */
function bitString(bytes: Uint8Array): ReturnType<typeof tlv> {
  return tlv(TAG.bitString, new Uint8Array([0]), bytes);
}

/** DER SubjectPublicKeyInfo of a P-256 public point (uncompressed, `04‖x‖y`). */
export function ecPublicKeyInfo(point: Uint8Array): Uint8Array<ArrayBuffer> {
  return encode(tlv(TAG.sequence, EC_ALGORITHM, bitString(point)));
}

/** DER SubjectPublicKeyInfo of an RSA public key from its modulus and public exponent (big-endian bytes). */
export function rsaPublicKeyInfo(modulus: Uint8Array, exponent: Uint8Array): Uint8Array<ArrayBuffer> {
  const rsaKey = tlv(TAG.sequence, tlv(TAG.integer, unsignedIntegerContent(modulus)), tlv(TAG.integer, unsignedIntegerContent(exponent)));
  return encode(tlv(TAG.sequence, RSA_ALGORITHM, bitString(encode(rsaKey))));
}

/** A SubjectPublicKeyInfo taken apart: the algorithm OID, its parameters' TLV, and the key bits. */
interface PublicKeyParts {
  algorithm: string;
  parameters: Tlv | undefined;
  /** The subjectPublicKey BIT STRING's bits, without its unused-bits octet. */
  key: Uint8Array;
}

function publicKeyParts(spki: Uint8Array): PublicKeyParts {
  const outer = expectTlv(spki, 0, spki.length, TAG.sequence, 'public key');
  const [algorithm, key, extra] = childrenOf(spki, outer, 'public key');
  if (algorithm?.tag !== TAG.sequence || key?.tag !== TAG.bitString || extra) throw new DerError('public key: not a SEQUENCE of an algorithm and a BIT STRING');
  const [oid, parameters, more] = childrenOf(spki, algorithm, 'public key algorithm');
  if (oid?.tag !== TAG.oid || more) throw new DerError('public key: the algorithm is not an OBJECT IDENTIFIER and its parameters');
  const bits = contentOf(spki, key);
  if (bits.length === 0) throw new DerError('public key: empty BIT STRING');
  return { algorithm: decodeOid(contentOf(spki, oid), 'public key algorithm'), parameters, key: bits.subarray(1) };
}

/**
 * The key id of a DER SubjectPublicKeyInfo as lower-case hex: SHA-256 of the subjectPublicKey bits, truncated to
 * 160 bits (RFC 7093, method 1), which is also the subject key identifier the demo CA writes and the CKA_ID that
 * ties a key pair to its certificate on a token.
 */
export async function keyIdOf(spki: Uint8Array): Promise<string> {
  return toHex((await sha256(publicKeyParts(spki).key)).subarray(0, 20));
}

function rsaModulusBits(key: Uint8Array): number {
  const outer = expectTlv(key, 0, key.length, TAG.sequence, 'RSA public key');
  const modulus = expectTlv(key, outer.contentStart, outer.end, TAG.integer, 'RSA modulus');
  let bytes = contentOf(key, modulus);
  while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
  return bytes.length * 8;
}

/**
 * The key algorithm of a DER SubjectPublicKeyInfo for display and for choosing a mechanism: `ECDSA-P256`, `SM2`,
 * `EC-<curve oid>`, `RSA-<modulus bits>`, or the algorithm's OID. Throws a {@link DerError} on malformed input.
 */
export function publicKeyAlgorithm(spki: Uint8Array): string {
  const { algorithm, parameters, key } = publicKeyParts(spki);
  if (algorithm === OID.rsaEncryption) return `RSA-${rsaModulusBits(key)}`;
  if (algorithm === OID.ecPublicKey) {
    const curve = parameters?.tag === TAG.oid ? decodeOid(contentOf(spki, parameters), 'curve') : undefined;
    if (curve === OID.prime256v1) return 'ECDSA-P256';
    if (curve === OID.sm2Curve) return 'SM2';
    return `EC-${curve ?? 'unknown'}`;
  }
  return algorithm;
}
