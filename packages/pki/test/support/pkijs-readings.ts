// How sicert read certificates and public keys on pkijs before the light reader: the reference the DER reader
// must agree with (test/certificate-fields.test.ts).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, keyIdentifier, nameAttribute, OID, parseCertificate, toHex, type CertificateFields } from '../../src/index.js';

/** certificateFields as it was, on pkijs. */
export function certificateFieldsWithPkijs(der: Uint8Array): CertificateFields {
  const certificate = parseCertificate(der);
  return {
    subject: new Uint8Array(certificate.subject.toSchema().toBER()),
    issuer: new Uint8Array(certificate.issuer.toSchema().toBER()),
    serialNumber: new Uint8Array(certificate.serialNumber.toBER()),
    commonName: nameAttribute(certificate.subject),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    publicKey: new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER()),
  };
}

/** keyAlgorithmOf as it was, on pkijs. */
export function publicKeyAlgorithmWithPkijs(spki: Uint8Array): string {
  const info = pkijs.PublicKeyInfo.fromBER(exactBuffer(spki));
  const id = info.algorithm.algorithmId;
  if (id === OID.rsaEncryption) {
    const parsed = asn1js.fromBER(info.subjectPublicKey.valueBlock.valueHexView);
    let bytes = ((parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Integer).valueBlock.valueHexView;
    while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
    return `RSA-${bytes.length * 8}`;
  }
  if (id === OID.ecPublicKey) {
    const curve = (info.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock.toString();
    if (curve === OID.prime256v1) return 'ECDSA-P256';
    if (curve === OID.sm2Curve) return 'SM2';
    return `EC-${curve ?? 'unknown'}`;
  }
  return id;
}

/** keyIdOf as it was, on pkijs. */
export async function keyIdWithPkijs(spki: Uint8Array): Promise<string> {
  return toHex(await keyIdentifier(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki))));
}
