import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CertificateInfo, CertificateStatus } from '@sicert/protocol';
import { exactBuffer } from './bytes.js';
import { formatName, nameAttribute } from './names.js';
import { OID } from './oids.js';
import { serialHexOf } from './serial-number.js';
import { keyAlgorithmOf } from './algorithm-identifiers.js';

/** Validity status of a certificate at a point in time (the protocol's own type). */
export type { CertificateStatus };

/** What a person or a page needs to know about a certificate: the protocol's summary fields. */
export type CertificateSummary = Omit<CertificateInfo, 'id' | 'tokenId' | 'der' | 'hasPrivateKey' | 'provider'>;

/** The seed: renew within the month before expiry. */
export const EXPIRING_WITHIN_DAYS = 30;

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** Parses a DER certificate. Throws on anything that is not one. */
export function parseCertificate(der: Uint8Array | ArrayBuffer): pkijs.Certificate {
  return pkijs.Certificate.fromBER(exactBuffer(der));
}

/** A certificate's serial number as lower-case hex without leading zero bytes. */
export function serialNumberHex(certificate: pkijs.Certificate): string {
  return serialHexOf(certificate.serialNumber);
}

/** Key usages named in a certificate's keyUsage extension, or undefined when it has none. */
export function keyUsageOf(certificate: pkijs.Certificate): string[] | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!extension) return undefined;
  const bits = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView).result as asn1js.BitString;
  const bytes = bits.valueBlock.valueHexView;
  return KEY_USAGE_BITS.filter((_, i) => ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
}

/** Status of a validity window at `now`. */
export function validityStatus(notBefore: Date, notAfter: Date, now: Date = new Date()): CertificateStatus {
  if (now < notBefore) return 'notYetValid';
  if (now > notAfter) return 'expired';
  if (notAfter.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * 86_400_000) return 'expiring';
  return 'valid';
}

/** Summary of a certificate (DER or parsed) at `now`. */
export function summarizeCertificate(certificate: Uint8Array | ArrayBuffer | pkijs.Certificate, now: Date = new Date()): CertificateSummary {
  const cert = certificate instanceof pkijs.Certificate ? certificate : parseCertificate(certificate);
  const notBefore = cert.notBefore.value;
  const notAfter = cert.notAfter.value;
  const summary: CertificateSummary = {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serialNumber: serialNumberHex(cert),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    keyAlgorithm: keyAlgorithmOf(cert.subjectPublicKeyInfo),
    status: validityStatus(notBefore, notAfter, now),
  };
  const subjectCommonName = nameAttribute(cert.subject);
  const issuerCommonName = nameAttribute(cert.issuer);
  const keyUsage = keyUsageOf(cert);
  if (subjectCommonName !== undefined) summary.subjectCommonName = subjectCommonName;
  if (issuerCommonName !== undefined) summary.issuerCommonName = issuerCommonName;
  if (keyUsage !== undefined) summary.keyUsage = keyUsage;
  return summary;
}
