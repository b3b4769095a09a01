import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes } from './bytes.js';
import { keyUsageOf } from './certificate-summary.js';
import { nameAttribute } from './names.js';
import { OID } from './oids.js';
import type { ExpectedSigner, SignatureProblem } from './verify-options.js';

/** Digest algorithms a signature may use, by OID, with their WebCrypto names: SHA-256 or stronger only. */
export const ACCEPTED_DIGESTS: Readonly<Record<string, string>> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/**
 * Signature algorithms accepted in a SignerInfo. ECDSA names its own hash; `rsaEncryption` takes the SignerInfo's
 * digest algorithm, which {@link ACCEPTED_DIGESTS} has already vetted.
 */
const ACCEPTED_SIGNATURES = new Set<string>([
  OID.ecdsaWithSHA256,
  OID.ecdsaWithSHA384,
  OID.ecdsaWithSHA512,
  OID.sha256WithRSA,
  OID.sha384WithRSA,
  OID.sha512WithRSA,
  OID.rsaEncryption,
]);

/** True when the SignerInfo's signature algorithm is one sicert accepts. */
export function acceptedSignatureAlgorithm(signerInfo: pkijs.SignerInfo): boolean {
  return acceptedSignatureOid(signerInfo.signatureAlgorithm.algorithmId);
}

/** True when `oid` names a signature algorithm sicert accepts in a SignerInfo. */
export function acceptedSignatureOid(oid: string): boolean {
  return ACCEPTED_SIGNATURES.has(oid);
}

/** The bytes of a `[0] SubjectKeyIdentifier` sid, as pkijs leaves it (implicitly tagged, or wrapped by some encoders). */
function sidKeyIdentifier(sid: unknown): Uint8Array | undefined {
  if (sid instanceof asn1js.Constructed) {
    const inner = sid.valueBlock.value[0];
    return inner instanceof asn1js.OctetString ? inner.valueBlock.valueHexView : undefined;
  }
  return sid instanceof asn1js.Primitive ? sid.valueBlock.valueHexView : undefined;
}

/**
 * The certificate the SignerInfo names, among those the CMS carries: by issuer and serial number, or (version 3
 * SignerInfos) by the subjectKeyIdentifier extension, as RFC 5652 §5.3 defines it.
 */
export function findSignerCertificate(signedData: pkijs.SignedData, signerInfo: pkijs.SignerInfo): pkijs.Certificate | undefined {
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  const keyId = sidKeyIdentifier(sid);
  if (!keyId) return undefined;
  return certificates.find((c) => {
    const ski: unknown = c.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue;
    return ski instanceof asn1js.OctetString && equalBytes(ski.valueBlock.valueHexView, keyId);
  });
}

/** True for a certificate whose basicConstraints say it is a CA: only those may be intermediates of a chain. */
export function isCaCertificate(certificate: pkijs.Certificate): boolean {
  const basic = certificate.extensions?.find((e) => e.extnID === OID.basicConstraints)?.parsedValue as pkijs.BasicConstraints | undefined;
  return basic?.cA === true;
}

/**
 * Whether the certificate's own validity window contains `now`. Judged on the server's clock, never on the
 * signer's claimed signingTime: a signer could otherwise back-date a signature into an expired certificate.
 */
export function validityProblem(certificate: pkijs.Certificate, now: Date): SignatureProblem | undefined {
  if (now < certificate.notBefore.value) return 'CERT_NOT_YET_VALID';
  if (now > certificate.notAfter.value) return 'CERT_EXPIRED';
  return undefined;
}

/**
 * A certificate is for signatures when its keyUsage has digitalSignature or nonRepudiation (RFC 5280 §4.2.1.3).
 * A certificate without the extension is refused as well: every certificate a social-insurance CA issues carries
 * it, and accepting its absence would accept keys the CA meant for encryption only.
 */
export function signsDocuments(certificate: pkijs.Certificate): boolean {
  const usage = keyUsageOf(certificate);
  return usage !== undefined && (usage.includes('digitalSignature') || usage.includes('nonRepudiation'));
}

/** Whether `certificate` (DER `der`) is the signer the caller expects. */
export function isExpectedSigner(certificate: pkijs.Certificate, der: Uint8Array, expected: ExpectedSigner): boolean {
  if ('certificate' in expected) return equalBytes(der, expected.certificate);
  if ('serialNumber' in expected) return expected.serialNumber !== '' && nameAttribute(certificate.subject, OID.serialNumber) === expected.serialNumber;
  return expected.organizationIdentifier !== '' && nameAttribute(certificate.subject, OID.organizationIdentifier) === expected.organizationIdentifier;
}
