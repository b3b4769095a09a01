import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes, exactBuffer } from './bytes.js';
import { parseCertificate, serialNumberHex, summarizeCertificate } from './certificate-summary.js';
import { OID } from './oids.js';
import {
  ACCEPTED_DIGESTS,
  acceptedSignatureAlgorithm,
  findSignerCertificate,
  isCaCertificate,
  isExpectedSigner,
  signsDocuments,
  validityProblem,
} from './signer-checks.js';
import { validateChain } from './chain-engine.js';
import { chainDate, checkInput, fail, validityMessage } from './verify-common.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, type SignedDataVerification, type VerifyOptions } from './verify-options.js';

/** The single value of a signed attribute; `null` when the attribute is repeated or multi-valued (RFC 5652 §11). */
function attributeValue(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType | undefined | null {
  const found = signerInfo.signedAttrs?.attributes.filter((a) => a.type === type) ?? [];
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0]!.values.length !== 1) return null;
  return found[0]!.values[0] as asn1js.AsnType;
}

async function digest(algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, exactBuffer(data)));
}

/**
 * The reference path of {@link verifySignedData}: the same checks, all on pkijs, parsing everything on every call.
 * The fast path hands it whatever its strict DER reader does not accept (BER, odd shapes, malformed input), and the
 * tests compare the two over a corpus of good and bad signatures. Not exported from the package's index.
 *
 * Verifies a CMS SignedData (DER ContentInfo) as a portal backend must before it acts on it, and bound to what
 * the server expects rather than to what the CMS says:
 * - the content: `content` (or its SHA-256 `contentDigest`) is required; an attached signature must carry exactly
 *   that content, and the signed messageDigest must be its digest; contentType must be `id-data` in both places;
 * - the algorithms: SHA-256 or stronger;
 * - the signature over the signed attributes, with the signer certificate the CMS names;
 * - the signer: chained to `trustedRoots`, valid at `now` (the server's clock, never the claimed signingTime),
 *   with keyUsage digitalSignature or nonRepudiation, the `expectedSigner`, and not revoked (`isRevoked`);
 * - the claimed signingTime within `maxClockSkewMs` of `now`.
 * Stateless and safe to call concurrently. Throws a TypeError only when the options omit the binding.
 */
export async function verifySignedDataReference(cms: Uint8Array, options: VerifyOptions): Promise<SignedDataVerification> {
  checkInput(cms, options);
  const now = options.now ?? new Date();
  let signedData: pkijs.SignedData;
  try {
    const outer = asn1js.fromBER(exactBuffer(cms));
    // Bytes after the ContentInfo are not part of the signature, and a portal that stored them would store
    // something else than what was signed (pkijs alone would ignore them).
    if (outer.offset !== -1 && outer.offset !== cms.byteLength) return fail('MALFORMED', `${cms.byteLength - outer.offset} bytes follow the CMS`);
    const contentInfo = new pkijs.ContentInfo({ schema: outer.result });
    if (contentInfo.contentType !== OID.signedData) return fail('MALFORMED', 'not a CMS SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    return fail('MALFORMED', `cannot parse the CMS: ${String(error)}`);
  }
  const signerInfo = signedData.signerInfos[0];
  if (signedData.signerInfos.length !== 1 || !signerInfo) return fail('MALFORMED', 'exactly one signer is expected');

  const contentType = attributeValue(signerInfo, OID.contentType);
  const messageDigest = attributeValue(signerInfo, OID.messageDigest);
  const timeValue = attributeValue(signerInfo, OID.signingTime);
  if (contentType === null || messageDigest === null || timeValue === null) return fail('MALFORMED', 'a signed attribute is repeated or has several values');
  if (!contentType || !messageDigest || !timeValue) {
    return fail('MISSING_ATTRIBUTES', 'contentType, messageDigest and signingTime are required signed attributes');
  }
  if (!(timeValue instanceof asn1js.UTCTime || timeValue instanceof asn1js.GeneralizedTime)) return fail('MALFORMED', 'signingTime is not a time');
  if (!(contentType instanceof asn1js.ObjectIdentifier) || !(messageDigest instanceof asn1js.OctetString)) return fail('MALFORMED', 'malformed contentType or messageDigest');
  const signingTime = timeValue.toDate();

  const digestAlgorithm = ACCEPTED_DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!digestAlgorithm || !acceptedSignatureAlgorithm(signerInfo)) {
    return fail('UNSUPPORTED_DIGEST', `digest ${signerInfo.digestAlgorithm.algorithmId} / signature ${signerInfo.signatureAlgorithm.algorithmId}: SHA-256 or stronger is required`, { signingTime });
  }
  if (options.contentDigest && digestAlgorithm !== 'SHA-256') return fail('UNSUPPORTED_DIGEST', 'a contentDigest can only check a SHA-256 signature', { signingTime });

  const eContentType = signedData.encapContentInfo.eContentType;
  if (eContentType !== OID.data || contentType.valueBlock.toString() !== eContentType) {
    return fail('CONTENT_TYPE_MISMATCH', `content type ${eContentType}, attribute ${contentType.valueBlock.toString()}: id-data in both is required`, { signingTime });
  }

  const eContent = signedData.encapContentInfo.eContent;
  if (eContent && !(eContent instanceof asn1js.OctetString)) return fail('MALFORMED', 'the attached content is not an OCTET STRING');
  const carried = eContent ? new Uint8Array(eContent.getValue()) : undefined;
  if (carried) {
    const same = options.content ? equalBytes(carried, options.content) : equalBytes(await digest('SHA-256', carried), options.contentDigest);
    if (!same) return fail('CONTENT_MISMATCH', 'the attached content is not the content expected', { signingTime });
  }
  const content = options.content ?? carried;
  const expectedDigest = options.content ? await digest(digestAlgorithm, options.content) : options.contentDigest;
  if (!equalBytes(new Uint8Array(messageDigest.valueBlock.valueHexView), expectedDigest)) {
    return fail('DIGEST_MISMATCH', 'the signed messageDigest is not the digest of the expected content', { signingTime, ...(content ? { content } : {}) });
  }

  const certificate = findSignerCertificate(signedData, signerInfo);
  if (!certificate) return fail('CHAIN_UNTRUSTED', 'the signer certificate is not in the CMS', { signingTime });
  const signerCertificate = new Uint8Array(certificate.toSchema().toBER());
  const extra = { signer: summarizeCertificate(certificate, now), signerCertificate, signingTime, ...(content ? { content } : {}) };

  let signatureVerified = false;
  try {
    const signedAttributes = signerInfo.signedAttrs!.encodedValue;
    signatureVerified = await pkijs.getCrypto(true).verifyWithPublicKey(signedAttributes, signerInfo.signature, certificate.subjectPublicKeyInfo, signerInfo.signatureAlgorithm, digestAlgorithm);
  } catch {
    signatureVerified = false;
  }
  if (!signatureVerified) return fail('SIGNATURE_INVALID', 'the signature does not match the signed attributes', extra);

  const intermediates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate && c !== certificate && isCaCertificate(c));
  const chain = await validateChain(options.trustedRoots.map(parseCertificate), intermediates, certificate, chainDate(certificate, now));
  if (!chain.trusted) return fail('CHAIN_UNTRUSTED', chain.message, extra);
  const validity = validityProblem(certificate, now);
  if (validity) return fail(validity, validityMessage(validity, now), extra);
  if (!signsDocuments(certificate)) return fail('KEY_USAGE_INVALID', 'the signer certificate is not for digital signatures', extra);
  if (!isExpectedSigner(certificate, signerCertificate, options.expectedSigner)) return fail('WRONG_SIGNER', 'signed by someone else than expected', extra);

  const maxSkew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (Math.abs(signingTime.getTime() - now.getTime()) > maxSkew) {
    return fail('SIGNING_TIME_SKEW', `signingTime ${signingTime.toISOString()} is more than ${maxSkew} ms from ${now.toISOString()}`, extra);
  }
  if (options.isRevoked && (await options.isRevoked(serialNumberHex(certificate), certificate))) {
    return fail('REVOKED', 'the signer certificate is revoked', extra);
  }
  return { valid: true, message: 'signature verified', ...extra };
}
