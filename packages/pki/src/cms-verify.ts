import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';
import { parseCertificate, serialNumberHex, summarizeCertificate, type CertificateSummary } from './certificate-summary.js';
import { OID } from './oids.js';

/** Why a signature was not accepted; stable codes a portal backend can store and show. */
export type SignatureProblem =
  | 'MALFORMED'
  | 'MISSING_ATTRIBUTES'
  | 'DIGEST_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'CHAIN_UNTRUSTED'
  | 'CERT_NOT_VALID_AT_SIGNING_TIME'
  | 'REVOKED';

/** Outcome of {@link verifySignedData}. */
export interface SignedDataVerification {
  valid: boolean;
  problem?: SignatureProblem;
  /** For logs and developers. */
  message: string;
  signer?: CertificateSummary;
  signerCertificate?: Uint8Array;
  signingTime?: Date;
  /** The signed content: the detached content given, or the one the CMS carries. */
  content?: Uint8Array;
}

/** What {@link verifySignedData} checks against. */
export interface VerifyOptions {
  /** Content of a detached signature. */
  content?: Uint8Array;
  /** Trust anchors, DER. The signer must chain to one of them. */
  trustedRoots: Uint8Array[];
  /** Revocation check by the signer certificate's serial (lower-case hex); true means revoked. */
  isRevoked?: (serialNumber: string, certificate: pkijs.Certificate) => boolean | Promise<boolean>;
}

function fail(problem: SignatureProblem, message: string, extra: Partial<SignedDataVerification> = {}): SignedDataVerification {
  return { valid: false, problem, message, ...extra };
}

function attributeValue(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType | undefined {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0] as asn1js.AsnType | undefined;
}

/**
 * Verifies a CMS SignedData (DER ContentInfo) with pkijs: the signature over the signed attributes, the
 * messageDigest against the content, the signer certificate's chain to a trusted root, the certificate's
 * validity at the stated signing time, and optionally revocation.
 */
export async function verifySignedData(cms: Uint8Array, options: VerifyOptions): Promise<SignedDataVerification> {
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(exactBuffer(cms));
    if (contentInfo.contentType !== OID.signedData) return fail('MALFORMED', 'not a CMS SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    return fail('MALFORMED', `cannot parse the CMS: ${String(error)}`);
  }
  const signerInfo = signedData.signerInfos[0];
  if (signedData.signerInfos.length !== 1 || !signerInfo) return fail('MALFORMED', 'exactly one signer is expected');

  const timeValue = attributeValue(signerInfo, OID.signingTime);
  if (!attributeValue(signerInfo, OID.contentType) || !attributeValue(signerInfo, OID.messageDigest) || !timeValue) {
    return fail('MISSING_ATTRIBUTES', 'contentType, messageDigest and signingTime are required signed attributes');
  }
  const signingTime = (timeValue as asn1js.UTCTime | asn1js.GeneralizedTime).toDate();
  const eContent = signedData.encapContentInfo.eContent;
  const content = options.content ?? (eContent ? new Uint8Array(eContent.getValue()) : undefined);
  if (!content) return fail('MALFORMED', 'a detached signature needs its content');

  const trustedCerts = options.trustedRoots.map(parseCertificate);
  let result: pkijs.SignedDataVerifyResult;
  try {
    result = await signedData.verify({
      signer: 0,
      data: exactBuffer(content),
      trustedCerts,
      checkChain: true,
      checkDate: signingTime,
      extendedMode: true,
    });
  } catch (error) {
    const e = error as Partial<pkijs.SignedDataVerifyResult>;
    const extra = { signingTime, content };
    if (e.code === 5) {
      return /date|valid(?:ity)? period|expired/i.test(e.message ?? '')
        ? fail('CERT_NOT_VALID_AT_SIGNING_TIME', e.message ?? '', extra)
        : fail('CHAIN_UNTRUSTED', e.message ?? '', extra);
    }
    if (e.code === 3 || e.code === 2) return fail('CHAIN_UNTRUSTED', e.message ?? 'signer certificate not found', extra);
    if (/digest/i.test(e.message ?? '')) return fail('DIGEST_MISMATCH', e.message ?? '', extra);
    return fail('MALFORMED', e.message ?? String(error), extra);
  }
  const certificate = result.signerCertificate;
  if (!certificate) return fail('CHAIN_UNTRUSTED', 'signer certificate not found');
  const signerCertificate = new Uint8Array(certificate.toSchema().toBER());
  const extra = { signer: summarizeCertificate(certificate, signingTime), signerCertificate, signingTime, content };
  if (!result.signatureVerified) return fail('SIGNATURE_INVALID', 'the signature does not match the signed attributes', extra);
  // pkijs checks the chain at checkDate; say so plainly when the signer itself was out of its validity window.
  if (signingTime < certificate.notBefore.value || signingTime > certificate.notAfter.value) {
    return fail('CERT_NOT_VALID_AT_SIGNING_TIME', 'the certificate was not valid at the signing time', extra);
  }
  if (options.isRevoked && (await options.isRevoked(serialNumberHex(certificate), certificate))) {
    return fail('REVOKED', 'the signer certificate is revoked', extra);
  }
  return { valid: true, message: 'signature verified', ...extra };
}
