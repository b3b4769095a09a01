import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';
import { parseCertificate } from './certificate-summary.js';
import { buildName, type NameAttributes } from './names.js';
import { OID } from './oids.js';
import { keyIdentifier } from './key-identifier.js';
import { signatureAlgorithmIdentifier } from './algorithm-identifiers.js';
import type { MessageSigner } from './signer.js';
import { x509Time } from './x509-time.js';

/** Key usages a certificate may grant, by RFC 5280 bit. */
const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE;

/** What goes into a certificate. */
export interface CertificateTemplate {
  subject: NameAttributes;
  /** Subject public key, DER SubjectPublicKeyInfo. */
  publicKey: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** Key usages; an empty list leaves the keyUsage extension out (only tests of refusals want that). */
  keyUsage: KeyUsageName[];
  /** True for a CA certificate (basicConstraints cA, critical). */
  isCA?: boolean;
  /** Serial number bytes; default 16 random bytes from a CSPRNG. */
  serialNumber?: Uint8Array;
  /** CRL distribution point URL. */
  crlUrl?: string;
  /** Certificate policy OIDs. */
  policies?: string[];
  /** Extended key usage OIDs. */
  extendedKeyUsage?: string[];
}

/** The issuer: its certificate (absent for a self-signed root) and a signer over its private key. */
export interface Issuer {
  certificate?: Uint8Array;
  signer: MessageSigner;
}

/** A positive, non-zero serial of `bytes` random bytes (RFC 5280 allows up to 20 octets). */
export function randomSerialNumber(bytes = 16): Uint8Array<ArrayBuffer> {
  const serial = crypto.getRandomValues(new Uint8Array(bytes));
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  return serial;
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

function keyUsageBits(usages: KeyUsageName[]): asn1js.BitString {
  const bits = usages.map((u) => KEY_USAGE[u]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(highest < 8 ? 1 : 2);
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return new asn1js.BitString({ valueHex: bytes.buffer, unusedBits: (8 - ((highest + 1) % 8)) % 8 });
}

/** Issues an X.509 v3 certificate from `template`, signed by `issuer`. Returns DER. */
export async function issueCertificate(template: CertificateTemplate, issuer: Issuer): Promise<Uint8Array<ArrayBuffer>> {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: exactBuffer(template.serialNumber ?? randomSerialNumber()) });
  cert.subject = buildName(template.subject);
  // UTCTime cannot hold a year past 2049 (a long-lived CA certificate): such years go as GeneralizedTime.
  cert.notBefore = x509Time(template.notBefore);
  cert.notAfter = x509Time(template.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(exactBuffer(template.publicKey));
  const issuerCert = issuer.certificate ? parseCertificate(issuer.certificate) : undefined;
  cert.issuer = issuerCert ? issuerCert.subject : cert.subject;
  const issuerKeyId = await keyIdentifier(issuerCert ? issuerCert.subjectPublicKeyInfo : cert.subjectPublicKeyInfo);

  const extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: template.isCA ?? false }).toSchema()),
    ...(template.keyUsage.length ? [extension(OID.keyUsage, true, keyUsageBits(template.keyUsage))] : []),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: (await keyIdentifier(cert.subjectPublicKeyInfo)).buffer })),
    extension(OID.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: issuerKeyId.buffer }) }).toSchema()),
  ];
  if (template.extendedKeyUsage?.length) {
    extensions.push(extension(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: template.extendedKeyUsage }).toSchema()));
  }
  if (template.crlUrl) {
    const point = new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: template.crlUrl })] });
    extensions.push(extension(OID.crlDistributionPoints, false, new pkijs.CRLDistributionPoints({ distributionPoints: [point] }).toSchema()));
  }
  if (template.policies?.length) {
    const policies = template.policies.map((policyIdentifier) => new pkijs.PolicyInformation({ policyIdentifier }));
    extensions.push(extension(OID.certificatePolicies, false, new pkijs.CertificatePolicies({ certificatePolicies: policies }).toSchema()));
  }
  cert.extensions = extensions;

  cert.signature = signatureAlgorithmIdentifier(issuer.signer.algorithm);
  cert.signatureAlgorithm = signatureAlgorithmIdentifier(issuer.signer.algorithm);
  const tbs = new Uint8Array(cert.encodeTBS().toBER());
  cert.tbsView = tbs;
  const signature = await issuer.signer.sign(tbs);
  cert.signatureValue = new asn1js.BitString({ valueHex: exactBuffer(signature) });
  return new Uint8Array(cert.toSchema().toBER());
}
