import { contentOf, encodingOf, type Tlv } from './der-reader.js';
import { minimalInteger, oidText, strictAlgorithm, strictChildren, strictName, strictOid, strictTlv, strictValue } from './der-strict.js';

/** One signed attribute: its type and the TLVs of its values (views into the CMS). */
export interface ParsedAttribute {
  readonly type: string;
  readonly values: readonly Tlv[];
}

/** How a SignerInfo names its certificate: issuer Name and serial INTEGER (both encodings), or a key identifier. */
export type ParsedSid = { readonly issuer: Uint8Array; readonly serial: Uint8Array } | { readonly keyId: Uint8Array };

/** The one SignerInfo the fast path verifies. */
export interface ParsedSignerInfo {
  readonly sid: ParsedSid;
  readonly digestAlgorithm: string;
  readonly signatureAlgorithm: string;
  /** Undefined when the SignerInfo has no signed attributes. */
  readonly signedAttributes: readonly ParsedAttribute[] | undefined;
  /** The `[0] IMPLICIT` signed attributes' encoding, header included (the signature is over it re-tagged as a SET). */
  readonly signedAttributesEncoding: Uint8Array | undefined;
  readonly signature: Uint8Array;
}

/** A CMS SignedData read once, strictly; every field a view into the caller's bytes. */
export interface ParsedSignedData {
  readonly eContentType: string;
  /** The attached content, when there is one. */
  readonly eContent: Uint8Array | undefined;
  /** The certificates' encodings, in order. */
  readonly certificates: readonly Uint8Array[];
  /** How many SignerInfos the CMS has (each structurally valid); only the first is kept. */
  readonly signerCount: number;
  readonly signer: ParsedSignerInfo | undefined;
}

const SIGNED_DATA = '1.2.840.113549.1.7.2';

function oidOf(bytes: Uint8Array, tlv: Tlv | undefined): string | undefined {
  if (tlv?.tag !== 0x06) return undefined;
  const content = contentOf(bytes, tlv);
  return strictOid(content) ? oidText(content) : undefined;
}

function algorithmOid(bytes: Uint8Array, tlv: Tlv | undefined): string | undefined {
  if (!tlv || !strictAlgorithm(bytes, tlv)) return undefined;
  return oidOf(bytes, strictChildren(bytes, tlv)![0]);
}

/** Attributes (signed or unsigned): each SEQUENCE { type, SET OF values }, every value strict. */
function attributesOf(bytes: Uint8Array, set: Tlv): ParsedAttribute[] | undefined {
  const out: ParsedAttribute[] = [];
  for (const attribute of strictChildren(bytes, set) ?? [undefined]) {
    const parts = attribute?.tag === 0x30 ? strictChildren(bytes, attribute) : undefined;
    const type = oidOf(bytes, parts?.[0]);
    const values = parts?.length === 2 && parts[1]!.tag === 0x31 ? strictChildren(bytes, parts[1]!) : undefined;
    if (type === undefined || !values?.every((value) => strictValue(bytes, value))) return undefined;
    out.push({ type, values });
  }
  return out;
}

function sidOf(bytes: Uint8Array, tlv: Tlv): ParsedSid | undefined {
  if (tlv.tag === 0x80) return { keyId: contentOf(bytes, tlv) };
  if (tlv.tag !== 0x30) return undefined;
  const [issuer, serial, extra] = strictChildren(bytes, tlv) ?? [];
  if (!issuer || serial?.tag !== 0x02 || extra || !strictName(bytes, issuer) || !minimalInteger(contentOf(bytes, serial))) return undefined;
  return { issuer: encodingOf(bytes, issuer), serial: encodingOf(bytes, serial) };
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL, signatureAlgorithm, signature, [1] unsignedAttrs OPTIONAL } */
function signerInfoOf(bytes: Uint8Array, tlv: Tlv): ParsedSignerInfo | undefined {
  const fields = tlv.tag === 0x30 ? strictChildren(bytes, tlv) : undefined;
  if (!fields || fields.length < 5 || fields.length > 7) return undefined;
  const [version, sidTlv, digest] = fields as [Tlv, Tlv, Tlv];
  let next = 3;
  const signedTlv = fields[next]?.tag === 0xa0 ? fields[next++] : undefined;
  const [signatureAlgorithmTlv, signatureTlv, unsignedTlv, extra] = fields.slice(next);
  if (version.tag !== 0x02 || !minimalInteger(contentOf(bytes, version)) || signatureTlv?.tag !== 0x04 || extra) return undefined;
  if (unsignedTlv && (unsignedTlv.tag !== 0xa1 || !attributesOf(bytes, unsignedTlv))) return undefined;
  const sid = sidOf(bytes, sidTlv);
  const digestAlgorithm = algorithmOid(bytes, digest);
  const signatureAlgorithm = algorithmOid(bytes, signatureAlgorithmTlv);
  const signedAttributes = signedTlv ? attributesOf(bytes, signedTlv) : undefined;
  if (!sid || !digestAlgorithm || !signatureAlgorithm || (signedTlv && !signedAttributes)) return undefined;
  return {
    sid,
    digestAlgorithm,
    signatureAlgorithm,
    signedAttributes,
    signedAttributesEncoding: signedTlv ? encodingOf(bytes, signedTlv) : undefined,
    signature: contentOf(bytes, signatureTlv),
  };
}

/** EncapsulatedContentInfo ::= SEQUENCE { eContentType, [0] EXPLICIT OCTET STRING OPTIONAL } (primitive only). */
function encapsulatedOf(bytes: Uint8Array, tlv: Tlv): { eContentType: string; eContent: Uint8Array | undefined } | undefined {
  const [typeTlv, wrapper, extra] = (tlv.tag === 0x30 ? strictChildren(bytes, tlv) : undefined) ?? [];
  const eContentType = oidOf(bytes, typeTlv);
  if (!eContentType || extra || (wrapper && wrapper.tag !== 0xa0)) return undefined;
  if (!wrapper) return { eContentType, eContent: undefined };
  const [octets, more] = strictChildren(bytes, wrapper) ?? [];
  return octets?.tag === 0x04 && !more ? { eContentType, eContent: contentOf(bytes, octets) } : undefined;
}

/**
 * Reads a DER ContentInfo holding a SignedData, once, without an ASN.1 library. Undefined for anything it does not
 * accept as strict DER of the shapes sicert verifies (BER lengths, constructed strings, CRLs in the SignedData,
 * other certificate choices, trailing bytes, …): the caller then asks the pkijs reference, which gives those their
 * verdict. Certificates are returned as encodings; the caller parses them (and caches the parse).
 */
export function parseSignedData(cms: Uint8Array): ParsedSignedData | undefined {
  const outer = strictTlv(cms, 0, cms.length);
  if (outer?.tag !== 0x30 || outer.end !== cms.length) return undefined;
  const [typeTlv, explicit, extra] = strictChildren(cms, outer) ?? [];
  if (oidOf(cms, typeTlv) !== SIGNED_DATA || explicit?.tag !== 0xa0 || extra) return undefined;
  const [signedData, more] = strictChildren(cms, explicit) ?? [];
  const fields = signedData?.tag === 0x30 && !more ? strictChildren(cms, signedData) : undefined;
  if (!fields || fields.length < 4 || fields.length > 5) return undefined;
  const [version, digestAlgorithms, encapsulated] = fields as [Tlv, Tlv, Tlv];
  const certificateSet = fields.length === 5 ? fields[3] : undefined;
  const signerInfos = fields[fields.length - 1]!;
  if (version.tag !== 0x02 || !minimalInteger(contentOf(cms, version)) || digestAlgorithms.tag !== 0x31 || signerInfos.tag !== 0x31) return undefined;
  if (!strictChildren(cms, digestAlgorithms)?.every((algorithm) => strictAlgorithm(cms, algorithm))) return undefined;
  const content = encapsulatedOf(cms, encapsulated);
  if (!content) return undefined;
  let certificates: Uint8Array[] = [];
  if (certificateSet) {
    const list = certificateSet.tag === 0xa0 ? strictChildren(cms, certificateSet) : undefined;
    if (!list?.every((certificate) => certificate.tag === 0x30)) return undefined;
    certificates = list.map((certificate) => encodingOf(cms, certificate));
  }
  const signers = strictChildren(cms, signerInfos)?.map((signerInfo) => signerInfoOf(cms, signerInfo));
  if (!signers || signers.some((signer) => signer === undefined)) return undefined;
  return { ...content, certificates, signerCount: signers.length, signer: signers[0] };
}
