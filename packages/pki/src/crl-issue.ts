import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, fromHex, unsignedIntegerContent } from './bytes.js';
import { keyUsageOf, parseCertificate } from './certificate-summary.js';
import { CRL_REASONS, isCrlReason, type CrlReason } from './crl-reasons.js';
import { OID } from './oids.js';
import { keyIdentifier } from './key-identifier.js';
import { signatureAlgorithmIdentifier } from './algorithm-identifiers.js';
import type { MessageSigner } from './signer.js';
import { x509Time } from './x509-time.js';

/** One revoked certificate in a CRL. */
export interface RevokedEntry {
  /** The certificate's serial number, hex (as `serialNumberHex` gives it; case and leading zeros do not matter). */
  serialNumber: string;
  revocationDate: Date;
  /** Why; default `unspecified`, which RFC 5280 writes as no reasonCode at all. */
  reason?: CrlReason;
}

/** What goes into a CRL. */
export interface CrlTemplate {
  /** The CRLNumber: a non-negative integer, greater than that of every CRL this issuer published before. */
  crlNumber: number | bigint;
  thisUpdate: Date;
  /** When the next CRL will be out at the latest; relying parties treat this one as stale after it. */
  nextUpdate: Date;
  revoked: readonly RevokedEntry[];
}

/** The CA that signs the CRL: its certificate (issuer name and key identifier) and a signer over its key. */
export interface CrlIssuer {
  certificate: Uint8Array;
  signer: MessageSigner;
}

function extension(extnID: string, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical: false, extnValue: value.toBER() });
}

function validDate(date: Date): boolean {
  return date instanceof Date && Number.isFinite(date.getTime());
}

/** The serial as a positive DER INTEGER, encoded exactly as the certificate's own (minimal, 0x00 before a high bit). */
function serialInteger(hex: string): asn1js.Integer {
  if (!/^[0-9a-f]{1,40}$/i.test(hex)) throw new TypeError(`issueCrl: serial number ${JSON.stringify(hex)} is not 1-40 hex digits`);
  const even = hex.length % 2 ? `0${hex}` : hex;
  return new asn1js.Integer({ valueHex: exactBuffer(unsignedIntegerContent(fromHex(even))) });
}

/**
 * The issuer's own subjectKeyIdentifier, which verifiers match the CRL's authorityKeyIdentifier against; computed
 * the way sicert's CA computes it only for an issuer certificate that carries none.
 */
async function issuerKeyId(issuer: pkijs.Certificate): Promise<Uint8Array> {
  const ski: unknown = issuer.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue;
  return ski instanceof asn1js.OctetString ? ski.valueBlock.valueHexView : keyIdentifier(issuer.subjectPublicKeyInfo);
}

function checkTemplate(template: CrlTemplate): void {
  const number = template.crlNumber;
  const integer = typeof number === 'bigint' || Number.isSafeInteger(number);
  if (!integer || number < 0) throw new TypeError('issueCrl: crlNumber must be a non-negative integer');
  if (!validDate(template.thisUpdate) || !validDate(template.nextUpdate)) throw new TypeError('issueCrl: thisUpdate and nextUpdate must be valid Dates');
  if (template.nextUpdate <= template.thisUpdate) throw new TypeError('issueCrl: nextUpdate must be after thisUpdate');
  const seen = new Set<string>();
  for (const entry of template.revoked) {
    if (!validDate(entry.revocationDate)) throw new TypeError('issueCrl: every revocationDate must be a valid Date');
    if (entry.reason !== undefined && !isCrlReason(entry.reason)) throw new TypeError(`issueCrl: unknown reason ${String(entry.reason)}`);
    const key = entry.serialNumber.toLowerCase().replace(/^0+(?=.)/, '');
    if (seen.has(key)) throw new TypeError(`issueCrl: serial ${entry.serialNumber} is listed twice`);
    seen.add(key);
  }
}

/**
 * Issues a version 2 CRL (RFC 5280 §5) signed by `issuer`, with the authorityKeyIdentifier and CRLNumber extensions
 * RFC 5280 requires and a reasonCode on every entry whose reason is not `unspecified`. Returns DER, which OpenSSL
 * checks with `openssl crl -verify` and uses in `openssl verify -crl_check`. Throws a TypeError on a malformed
 * template (a negative number, nextUpdate not after thisUpdate, a serial listed twice) and when the issuer's
 * certificate has a keyUsage without cRLSign, which every verifier would refuse.
 */
export async function issueCrl(template: CrlTemplate, issuer: CrlIssuer): Promise<Uint8Array<ArrayBuffer>> {
  checkTemplate(template);
  const issuerCert = parseCertificate(issuer.certificate);
  const usage = keyUsageOf(issuerCert);
  if (usage && !usage.includes('cRLSign')) throw new TypeError('issueCrl: the issuer certificate’s keyUsage does not allow cRLSign');

  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1; // v2: extensions present
  crl.issuer = issuerCert.subject;
  crl.thisUpdate = x509Time(template.thisUpdate);
  crl.nextUpdate = x509Time(template.nextUpdate);
  // An empty list is left out: RFC 5280 §5.1.2.6 has no room for an empty SEQUENCE.
  if (template.revoked.length) {
    crl.revokedCertificates = template.revoked.map((entry) => {
      const reason = entry.reason ?? 'unspecified';
      const revoked = new pkijs.RevokedCertificate({ userCertificate: serialInteger(entry.serialNumber), revocationDate: x509Time(entry.revocationDate) });
      if (reason !== 'unspecified') {
        revoked.crlEntryExtensions = new pkijs.Extensions({ extensions: [extension(OID.cRLReason, new asn1js.Enumerated({ value: CRL_REASONS[reason] }))] });
      }
      return revoked;
    });
  }
  const authorityKeyId = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: exactBuffer(await issuerKeyId(issuerCert)) }) });
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [extension(OID.authorityKeyIdentifier, authorityKeyId.toSchema()), extension(OID.cRLNumber, asn1js.Integer.fromBigInt(BigInt(template.crlNumber)))],
  });
  crl.signature = signatureAlgorithmIdentifier(issuer.signer.algorithm);
  crl.signatureAlgorithm = signatureAlgorithmIdentifier(issuer.signer.algorithm);
  // pkijs keeps encodeTBS protected on CRLs (as on requests); the TBS is what the CA key signs.
  const tbs = new Uint8Array((crl as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER());
  crl.tbsView = tbs;
  crl.signatureValue = new asn1js.BitString({ valueHex: exactBuffer(await issuer.signer.sign(tbs)) });
  // pkijs types a CRL's toSchema loosely; it is the CertificateList SEQUENCE.
  return new Uint8Array((crl.toSchema() as asn1js.Sequence).toBER());
}
