// The fast path of verifySignedData: one strict DER read, cached certificates, keys and chains. Same checks, same
// codes, same order as the pkijs reference (cms-verify-reference.ts); whatever it cannot judge exactly goes there.
import { backend } from '#verify-backend';
import { equalBytes } from './bytes.js';
import { cachedCertificate, keyOf, summaryAt, type CachedCertificate } from './certificate-cache.js';
import { chainProblem, DEFER } from './chain-cache.js';
import { parseSignedData, type ParsedAttribute, type ParsedSid, type ParsedSignedData } from './cms-parse.js';
import { contentOf, type Tlv } from './der-reader.js';
import { minimalInteger, oidText, strictChildren, strictTime, strictTlv } from './der-strict.js';
import { OID } from './oids.js';
import { ACCEPTED_DIGESTS, acceptedSignatureOid, isExpectedSigner, validityProblem } from './signer-checks.js';
import { chainDate, fail, validityMessage } from './verify-common.js';
import type { HashName, VerifyKey } from './verify-backend-types.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS, type SignedDataVerification, type VerifyOptions } from './verify-options.js';

/** asn1js refuses any value longer than this (its `maxContentLength`), so the reference refuses such a CMS. */
const MAX_FAST_BYTES = 16 * 1024 * 1024;
/** More certificates than any real chain: such a CMS takes the reference path, which bounds its parse itself. */
const MAX_FAST_CERTIFICATES = 16;
const CURVE_SIZE = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const;

/** The single value of a signed attribute; `null` when the attribute is repeated or multi-valued (RFC 5652 §11). */
function attributeValue(attributes: readonly ParsedAttribute[] | undefined, type: string): Tlv | undefined | null {
  const found = attributes?.filter((a) => a.type === type) ?? [];
  if (found.length === 0) return undefined;
  if (found.length > 1 || found[0]!.values.length !== 1) return null;
  return found[0]!.values[0];
}

/**
 * The index of the certificate the SignerInfo names, as pkijs finds it: the first with the same serial INTEGER
 * and issuer, or the same subjectKeyIdentifier; -1 for none. pkijs compares names after normalising case and
 * spaces, so a same-serial certificate whose issuer differs only in bytes is left to the reference path.
 */
function signerIndex(entries: readonly CachedCertificate[], sid: ParsedSid): number | typeof DEFER {
  for (const [i, entry] of entries.entries()) {
    if ('keyId' in sid) {
      if (entry.keyId && equalBytes(entry.keyId, sid.keyId)) return i;
    } else if (equalBytes(entry.serial, sid.serial)) {
      return equalBytes(entry.issuer, sid.issuer) ? i : DEFER;
    }
  }
  return -1;
}

/** The raw `r‖s` of a DER ECDSA signature, or undefined when it is not strict DER of the curve's size. */
function rawEcdsa(signature: Uint8Array, size: number): Uint8Array | undefined {
  const sequence = strictTlv(signature, 0, signature.length);
  if (sequence?.tag !== 0x30 || sequence.end !== signature.length) return undefined;
  const [r, s, extra] = strictChildren(signature, sequence) ?? [];
  if (r?.tag !== 0x02 || s?.tag !== 0x02 || extra) return undefined;
  const raw = new Uint8Array(2 * size);
  for (const [i, integer] of [r, s].entries()) {
    let value = contentOf(signature, integer);
    if (!minimalInteger(value) || value[0]! & 0x80) return undefined;
    if (value[0] === 0) value = value.subarray(1);
    if (value.length > size) return undefined;
    raw.set(value, (i + 1) * size - value.length);
  }
  return raw;
}

function signatureVerifies(key: VerifyKey, hash: HashName, signedAttributes: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> | typeof DEFER {
  const { description } = key;
  const value = description.name === 'ECDSA' ? rawEcdsa(signature, CURVE_SIZE[description.namedCurve]) : signature;
  if (!value) return DEFER;
  // The signature is over the DER of the attributes as a SET OF, not over their [0] IMPLICIT tagging (RFC 5652 §5.4).
  const data = signedAttributes.slice();
  data[0] = 0x31;
  return backend.verify(key, hash, data, value);
}

/** The verdict, or undefined to hand the CMS to the reference path. */
async function fastVerdict(cms: Uint8Array, parsed: ParsedSignedData, options: VerifyOptions, share: boolean): Promise<SignedDataVerification | undefined> {
  const now = options.now ?? new Date();
  if (parsed.certificates.length > MAX_FAST_CERTIFICATES) return undefined;
  const entries: CachedCertificate[] = [];
  for (const der of parsed.certificates) {
    const cached = cachedCertificate(der);
    const entry = cached instanceof Promise ? await cached : cached;
    if (!entry) return undefined;
    entries.push(entry);
  }
  const signerInfo = parsed.signer;
  if (parsed.signerCount !== 1 || !signerInfo) return fail('MALFORMED', 'exactly one signer is expected');

  const contentType = attributeValue(signerInfo.signedAttributes, OID.contentType);
  const messageDigest = attributeValue(signerInfo.signedAttributes, OID.messageDigest);
  const timeValue = attributeValue(signerInfo.signedAttributes, OID.signingTime);
  if (contentType === null || messageDigest === null || timeValue === null) return fail('MALFORMED', 'a signed attribute is repeated or has several values');
  if (!contentType || !messageDigest || !timeValue) {
    return fail('MISSING_ATTRIBUTES', 'contentType, messageDigest and signingTime are required signed attributes');
  }
  if (timeValue.tag !== 0x17 && timeValue.tag !== 0x18) return fail('MALFORMED', 'signingTime is not a time');
  if (contentType.tag !== 0x06 || messageDigest.tag !== 0x04) return fail('MALFORMED', 'malformed contentType or messageDigest');
  const signingTime = strictTime(timeValue.tag, contentOf(cms, timeValue));
  if (!signingTime) return undefined;

  const digestAlgorithm = ACCEPTED_DIGESTS[signerInfo.digestAlgorithm] as HashName | undefined;
  if (!digestAlgorithm || !acceptedSignatureOid(signerInfo.signatureAlgorithm)) {
    return fail('UNSUPPORTED_DIGEST', `digest ${signerInfo.digestAlgorithm} / signature ${signerInfo.signatureAlgorithm}: SHA-256 or stronger is required`, { signingTime });
  }
  if (options.contentDigest && digestAlgorithm !== 'SHA-256') return fail('UNSUPPORTED_DIGEST', 'a contentDigest can only check a SHA-256 signature', { signingTime });

  const typeText = oidText(contentOf(cms, contentType));
  if (parsed.eContentType !== OID.data || typeText !== parsed.eContentType) {
    return fail('CONTENT_TYPE_MISMATCH', `content type ${parsed.eContentType}, attribute ${typeText}: id-data in both is required`, { signingTime });
  }

  const carried = parsed.eContent?.slice();
  if (carried) {
    const same = options.content ? equalBytes(carried, options.content) : equalBytes(await backend.digest('SHA-256', carried), options.contentDigest);
    if (!same) return fail('CONTENT_MISMATCH', 'the attached content is not the content expected', { signingTime });
  }
  const content = options.content ?? carried;
  const computed = options.content ? backend.digest(digestAlgorithm, options.content) : options.contentDigest;
  const expectedDigest = computed instanceof Promise ? await computed : computed;
  if (!equalBytes(contentOf(cms, messageDigest), expectedDigest)) {
    return fail('DIGEST_MISMATCH', 'the signed messageDigest is not the digest of the expected content', { signingTime, ...(content ? { content } : {}) });
  }

  const index = signerIndex(entries, signerInfo.sid);
  if (index === DEFER) return undefined;
  const entry = entries[index];
  if (!entry) return fail('CHAIN_UNTRUSTED', 'the signer certificate is not in the CMS', { signingTime });
  if (!entry.summary) return undefined;
  const extra = { signer: summaryAt(entry.summary, entry, now), signerCertificate: share ? entry.der : entry.der.slice(), signingTime, ...(content ? { content } : {}) };

  const pendingKey = keyOf(entry);
  const key = pendingKey instanceof Promise ? await pendingKey : pendingKey;
  if (!key) return undefined;
  const checked = signatureVerifies(key, digestAlgorithm, signerInfo.signedAttributesEncoding!, signerInfo.signature);
  const verified = checked instanceof Promise ? await checked : checked;
  if (verified === DEFER) return undefined;
  if (!verified) return fail('SIGNATURE_INVALID', 'the signature does not match the signed attributes', extra);

  const intermediates = entries.filter((c, i) => i !== index && c.isCa);
  const chain = chainProblem(entry, intermediates, options.trustedRoots, chainDate(entry.certificate, now));
  const untrusted = chain instanceof Promise ? await chain : chain;
  if (untrusted === DEFER) return undefined;
  if (untrusted !== undefined) return fail('CHAIN_UNTRUSTED', untrusted, extra);
  const validity = validityProblem(entry.certificate, now);
  if (validity) return fail(validity, validityMessage(validity, now), extra);
  if (!entry.signsDocuments) return fail('KEY_USAGE_INVALID', 'the signer certificate is not for digital signatures', extra);
  if (!isExpectedSigner(entry.certificate, entry.der, options.expectedSigner)) return fail('WRONG_SIGNER', 'signed by someone else than expected', extra);

  const maxSkew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (Math.abs(signingTime.getTime() - now.getTime()) > maxSkew) {
    return fail('SIGNING_TIME_SKEW', `signingTime ${signingTime.toISOString()} is more than ${maxSkew} ms from ${now.toISOString()}`, extra);
  }
  // Never cached: the store behind isRevoked is the one thing that changes between two calls for the same signer.
  const revoked = options.isRevoked?.(extra.signer.serialNumber, entry.certificate) ?? false;
  if (typeof revoked === 'boolean' ? revoked : await revoked) {
    return fail('REVOKED', 'the signer certificate is revoked', extra);
  }
  return { valid: true, message: 'signature verified', ...extra };
}

/**
 * The fast path of {@link verifySignedData} for options already checked: the verdict, or undefined when the CMS
 * must go to the reference path (not strict DER, a shape the fast reader leaves alone, a certificate or key pkijs
 * might read differently). Never undefined once `isRevoked` has been asked. `share`: the verdict's
 * `signerCertificate` is the cache's own array, not a copy — only for a caller that never hands it out (verifyMany's
 * threads, which clone it into their answer), as one copy less a signature counts at tens of thousands a second.
 */
export function verifyFast(cms: Uint8Array, options: VerifyOptions, share = false): Promise<SignedDataVerification | undefined> {
  const parsed = cms.length <= MAX_FAST_BYTES ? parseSignedData(cms) : undefined;
  return parsed ? fastVerdict(cms, parsed, options, share) : Promise.resolve(undefined);
}
