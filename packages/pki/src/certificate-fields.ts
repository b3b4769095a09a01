import { parseCertificate } from './certificate-summary.js';
import { nameAttribute } from './names.js';

/**
 * What a key store files a certificate under, as DER where a store keeps DER: a PKCS#11 token's CKA_SUBJECT,
 * CKA_ISSUER, CKA_SERIAL_NUMBER and CKA_LABEL, the validity that picks the newest of several, and the public key
 * that finds the certificate's key pair. Lets a key store handle certificates without ASN.1 of its own.
 */
export interface CertificateFields {
  /** The subject Name, DER. */
  subject: Uint8Array<ArrayBuffer>;
  /** The issuer Name, DER. */
  issuer: Uint8Array<ArrayBuffer>;
  /** The serial number as a DER INTEGER (tag and length included, as CKA_SERIAL_NUMBER wants it). */
  serialNumber: Uint8Array<ArrayBuffer>;
  /** The subject's common name, when it has one. */
  commonName: string | undefined;
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo, DER. */
  publicKey: Uint8Array<ArrayBuffer>;
}

/** The {@link CertificateFields} of a DER certificate. Throws on anything that is not a certificate. */
export function certificateFields(der: Uint8Array): CertificateFields {
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
