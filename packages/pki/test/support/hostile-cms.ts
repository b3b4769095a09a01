// CMS that sicert's own builder refuses to make: other digest algorithms and content types. Built with pkijs
// directly so that the verifier's refusals are tested against real signatures, not hand-broken bytes.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, exactBuffer, parseCertificate } from '../../src/index.js';

export interface HostileCmsInput {
  content: Uint8Array;
  certificate: Uint8Array;
  privateKey: CryptoKey;
  /** WebCrypto hash name for the messageDigest and the signature. */
  hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  /** The encapsulated content type; default id-data. */
  eContentType?: string;
  /** The contentType signed attribute; default the eContentType. */
  contentTypeAttribute?: string;
  attached?: boolean;
  /**
   * Name the signer by its subject key identifier (a version 3 SignerInfo) instead of issuer and serial;
   * `'wrapped'`: the key identifier inside a constructed [0], as some encoders write it.
   */
  bySubjectKeyIdentifier?: boolean | 'wrapped';
  /** The signed attributes to include; default all three. None: the signature is over the content itself. */
  signedAttributes?: readonly SignedAttributeName[];
  /** A signed attribute given twice (a second Attribute of the same type). */
  repeated?: SignedAttributeName;
  /** A signed attribute with its value twice in its SET OF values (one Attribute, two values). */
  multiValued?: SignedAttributeName;
  /** How many SignerInfos, each a valid signature by the same key; default 1. */
  signers?: number;
}

/** The signed attributes a sicert signature carries. */
export type SignedAttributeName = 'contentType' | 'signingTime' | 'messageDigest';

function subjectKeyIdentifier(certificate: pkijs.Certificate): ArrayBuffer {
  const extension = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
  if (!(extension?.parsedValue instanceof asn1js.OctetString)) throw new Error('no subjectKeyIdentifier');
  return exactBuffer(extension.parsedValue.valueBlock.valueHexView);
}

export async function hostileSignedData(input: HostileCmsInput): Promise<Uint8Array> {
  const certificate = parseCertificate(input.certificate);
  const eContentType = input.eContentType ?? OID.data;
  const digest = await crypto.subtle.digest(input.hash, exactBuffer(input.content));
  const all: Record<SignedAttributeName, pkijs.Attribute> = {
    contentType: new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: input.contentTypeAttribute ?? eContentType })] }),
    signingTime: new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
    messageDigest: new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
  };
  const attributes = (input.signedAttributes ?? (['contentType', 'signingTime', 'messageDigest'] as const)).map((name) => all[name]);
  if (input.repeated) attributes.push(all[input.repeated]);
  if (input.multiValued) {
    const once = all[input.multiValued];
    attributes[attributes.indexOf(once)] = new pkijs.Attribute({ type: once.type, values: [once.values[0], once.values[0]] });
  }
  const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType });
  if (input.attached) encapContentInfo.eContent = new asn1js.OctetString({ valueHex: exactBuffer(input.content) });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo,
    certificates: [certificate],
    signerInfos: Array.from(
      { length: input.signers ?? 1 },
      () =>
        new pkijs.SignerInfo({
          version: input.bySubjectKeyIdentifier ? 3 : 1,
          sid: input.bySubjectKeyIdentifier === 'wrapped'
            ? new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [new asn1js.OctetString({ valueHex: subjectKeyIdentifier(certificate) })] })
            : input.bySubjectKeyIdentifier
            ? new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 }, valueHex: subjectKeyIdentifier(certificate) })
            : new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          ...(attributes.length ? { signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }) } : {}),
        }),
    ),
  });
  // Without signed attributes pkijs signs the content itself, which a detached signature must be given.
  for (let i = 0; i < signedData.signerInfos.length; i++) {
    await signedData.sign(input.privateKey, i, input.hash, attributes.length ? undefined : exactBuffer(input.content));
  }
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
