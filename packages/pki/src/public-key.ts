import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, sha256, toHex, unsignedIntegerContent } from './bytes.js';
import { OID } from './oids.js';
import { keyAlgorithmOf } from './signer.js';

function positiveInteger(bytes: Uint8Array): asn1js.Integer {
  return new asn1js.Integer({ valueHex: unsignedIntegerContent(bytes).buffer });
}

/** DER SubjectPublicKeyInfo of a P-256 public point (uncompressed, `04‖x‖y`). */
export function ecPublicKeyInfo(point: Uint8Array): Uint8Array<ArrayBuffer> {
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecPublicKey, algorithmParams: new asn1js.ObjectIdentifier({ value: OID.prime256v1 }) }),
    subjectPublicKey: new asn1js.BitString({ valueHex: exactBuffer(point) }),
  });
  return new Uint8Array(spki.toSchema().toBER());
}

/** DER SubjectPublicKeyInfo of an RSA public key from its modulus and public exponent (big-endian bytes). */
export function rsaPublicKeyInfo(modulus: Uint8Array, exponent: Uint8Array): Uint8Array<ArrayBuffer> {
  const rsaKey = new asn1js.Sequence({ value: [positiveInteger(modulus), positiveInteger(exponent)] });
  const spki = new pkijs.PublicKeyInfo({
    algorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption, algorithmParams: new asn1js.Null() }),
    subjectPublicKey: new asn1js.BitString({ valueHex: rsaKey.toBER() }),
  });
  return new Uint8Array(spki.toSchema().toBER());
}

/** Key identifier: SHA-256 of the subjectPublicKey bits, truncated to 160 bits (RFC 7093, method 1). */
export async function keyIdentifier(publicKeyInfo: pkijs.PublicKeyInfo): Promise<Uint8Array<ArrayBuffer>> {
  return (await sha256(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).slice(0, 20);
}

/**
 * The key id of a DER SubjectPublicKeyInfo as lower-case hex: its {@link keyIdentifier}, which is also the
 * subject key identifier the demo CA writes and the CKA_ID that ties a key pair to its certificate on a token.
 */
export async function keyIdOf(spki: Uint8Array): Promise<string> {
  return toHex(await keyIdentifier(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki))));
}

/** The key algorithm of a DER SubjectPublicKeyInfo, named as {@link keyAlgorithmOf} names it (`ECDSA-P256`, `RSA-2048`, …). */
export function publicKeyAlgorithm(spki: Uint8Array): string {
  return keyAlgorithmOf(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki)));
}
