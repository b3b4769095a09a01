import { sha256 } from './bytes.js';
import { certificateParts } from './certificate-fields.js';
import { DER_NULL, derOid, encode, TAG, tlv, type Der } from './der-writer.js';
import { OID } from './oids.js';
import type { MessageSigner, SignatureKeyAlgorithm } from './signer.js';

/** What to sign into a CMS SignedData. */
export interface SignedDataInput {
  /** The content. Required for an attached signature. */
  content?: Uint8Array;
  /** SHA-256 of the content, when the caller has only the digest (detached only). */
  digest?: Uint8Array;
  /** Carry the content inside the CMS (attached) instead of beside it (detached, the default). */
  attached?: boolean;
  /** Signer certificate, DER. */
  certificate: Uint8Array;
  /** Issuer certificates to include, DER. */
  chain?: Uint8Array[];
  /** Signing time to state in the signed attributes; default now. */
  signingTime?: Date;
}

/** What changes from one signature to the next under one {@link SignedDataTemplate}. */
export type SignedContent = Omit<SignedDataInput, 'certificate' | 'chain'>;

/**
 * A signer's certificate (and chain) encoded once, ready to build any number of SignedData structures: keep one
 * for an operation or a whole batch.
 */
export interface SignedDataTemplate {
  /** Signs `content` (its signed attributes) with `signer` and returns the DER ContentInfo. */
  build(content: SignedContent, signer: MessageSigner): Promise<Uint8Array<ArrayBuffer>>;
}

// Everything that does not depend on the certificate or the signature, encoded once when the module loads.
const VERSION_1 = new Uint8Array([TAG.integer, 0x01, 0x01]);
const SIGNED_DATA = derOid(OID.signedData);
const DATA = derOid(OID.data);
const SIGNING_TIME = derOid(OID.signingTime);
const MESSAGE_DIGEST = derOid(OID.messageDigest);
// SHA-256 with its parameters absent (RFC 5754); ECDSA without parameters, RSA with NULL (RFC 5754 §3).
const SHA256_ALGORITHM = encode(tlv(TAG.sequence, derOid(OID.sha256)));
const DIGEST_ALGORITHMS = encode(tlv(TAG.set, SHA256_ALGORITHM));
const SIGNATURE_ALGORITHMS: Readonly<Record<SignatureKeyAlgorithm, Uint8Array>> = {
  'ECDSA-P256': encode(tlv(TAG.sequence, derOid(OID.ecdsaWithSHA256))),
  'RSA-2048': encode(tlv(TAG.sequence, derOid(OID.sha256WithRSA), DER_NULL)),
};
const DETACHED_CONTENT_INFO = encode(tlv(TAG.sequence, DATA));
const CONTENT_TYPE_ATTRIBUTE = encode(attribute(derOid(OID.contentType), DATA));

/** Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue } with one value. */
function attribute(type: Uint8Array, value: Der): Der {
  return tlv(TAG.sequence, type, tlv(TAG.set, value));
}

function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A signing time as RFC 5652 §11.3 wants it: UTCTime for 1950-2049, GeneralizedTime otherwise, in whole seconds,
 * in UTC.
 */
function signingTime(date: Date): Der {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw new Error('the signing time must be a date between the years 0 and 9999');
  const rest = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join('') + 'Z';
  const utc = year >= 1950 && year < 2050;
  const text = (utc ? twoDigits(year % 100) : String(year).padStart(4, '0')) + rest;
  return tlv(utc ? TAG.utcTime : TAG.generalizedTime, new TextEncoder().encode(text));
}

/**
 * Encodes `certificate` (and `chain`) for CMS once: the certificates field, the signer identifier
 * (issuerAndSerialNumber) and the ESS signingCertificateV2 attribute (RFC 5035), which binds every signature to
 * this exact certificate by its SHA-256 hash, issuer and serial number. Throws a `DerError` for a certificate that
 * is not DER.
 */
export async function prepareSignedData(certificate: Uint8Array, chain: readonly Uint8Array[] = []): Promise<SignedDataTemplate> {
  const signer = certificateParts(certificate);
  const carried = chain.map((der) => certificateParts(der).certificate);
  const serial = tlv(TAG.integer, signer.serialContent);
  const sid = encode(tlv(TAG.sequence, signer.issuer, serial));
  // ESSCertIDv2 ::= SEQUENCE { certHash, issuerSerial SEQUENCE { GeneralNames, serial } }; hashAlgorithm is
  // left out: SHA-256 is its DEFAULT, and DER forbids encoding a default.
  const issuerSerial = tlv(TAG.sequence, tlv(TAG.sequence, tlv(TAG.context4, signer.issuer)), serial);
  const essCertIdV2 = tlv(TAG.sequence, tlv(TAG.octetString, await sha256(signer.certificate)), issuerSerial);
  const signingCertificate = encode(attribute(derOid(OID.signingCertificateV2), tlv(TAG.sequence, tlv(TAG.sequence, essCertIdV2))));
  // [0] IMPLICIT CertificateSet, the signer's certificate first, then the chain in the order given.
  const certificates = encode(tlv(TAG.context0, signer.certificate, ...carried));

  return {
    async build(input, messageSigner) {
      if (input.attached && !input.content) throw new Error('an attached signature needs the content');
      const digest = input.digest ?? (input.content ? await sha256(input.content) : undefined);
      if (!digest || digest.length !== 32) throw new Error('a SHA-256 digest of 32 bytes is required');
      const signatureAlgorithm = SIGNATURE_ALGORITHMS[messageSigner.algorithm] as Uint8Array | undefined;
      if (!signatureAlgorithm) throw new Error(`unsupported signature algorithm: ${messageSigner.algorithm}`);
      // DER orders a SET OF by encoding (OpenSSL re-encodes the attributes so before it verifies). These four
      // always sort this way: all are SEQUENCEs, so their length octet decides, and the lengths are fixed at 0x18,
      // 0x1c (0x1e as GeneralizedTime), 0x2f, and at least 0x42 for signingCertificateV2 (even with an empty issuer).
      const attributes = [
        CONTENT_TYPE_ATTRIBUTE,
        encode(attribute(SIGNING_TIME, signingTime(input.signingTime ?? new Date()))),
        encode(attribute(MESSAGE_DIGEST, tlv(TAG.octetString, digest))),
        signingCertificate,
      ];
      // Signed over as a SET (RFC 5652 §5.4), carried as [0] IMPLICIT in the SignerInfo.
      const signature = await messageSigner.sign(encode(tlv(TAG.set, ...attributes)));
      const signerInfo = tlv(
        TAG.sequence,
        VERSION_1,
        sid,
        SHA256_ALGORITHM,
        tlv(TAG.context0, ...attributes),
        signatureAlgorithm,
        tlv(TAG.octetString, signature),
      );
      const encapContentInfo = input.attached && input.content ? tlv(TAG.sequence, DATA, tlv(TAG.context0, tlv(TAG.octetString, input.content))) : DETACHED_CONTENT_INFO;
      const signedData = tlv(TAG.sequence, VERSION_1, DIGEST_ALGORITHMS, encapContentInfo, certificates, tlv(TAG.set, signerInfo));
      return encode(tlv(TAG.sequence, SIGNED_DATA, tlv(TAG.context0, signedData)));
    },
  };
}

/**
 * Builds a CMS SignedData (RFC 5652) with the signed attributes contentType, messageDigest, signingTime and
 * signingCertificateV2 and the signer's certificate (then `chain`), signing the attributes with `signer`. Returns
 * the DER ContentInfo. Built from pre-encoded parts, without an ASN.1 library; to sign many times with one
 * certificate, keep a {@link prepareSignedData} template instead.
 */
export async function createSignedData(input: SignedDataInput, signer: MessageSigner): Promise<Uint8Array<ArrayBuffer>> {
  const template = await prepareSignedData(input.certificate, input.chain);
  return template.build(input, signer);
}
