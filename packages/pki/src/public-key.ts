import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, unsignedIntegerContent } from './bytes.js';
import { OID } from './oids.js';

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
