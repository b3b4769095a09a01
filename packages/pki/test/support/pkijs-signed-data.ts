// The CMS SignedData builder sicert used before the fast path, on pkijs, kept as the reference the fast path is
// compared with byte for byte (test/cms-bytes.test.ts). Same structure: contentType, signingTime, messageDigest
// and signingCertificateV2 as signed attributes, DER-sorted; the signer's certificate, then the chain.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, OID, parseCertificate, sha256, sha256AlgorithmIdentifier, signatureAlgorithmIdentifier, type MessageSigner, type SignedDataInput } from '../../src/index.js';

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function signingCertificateV2(certificate: pkijs.Certificate, certHash: Uint8Array): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({ value: [new pkijs.GeneralName({ type: 4, value: certificate.issuer }).toSchema()] }),
      new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: exactBuffer(certHash) }), issuerSerial] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The pkijs-built SignedData (DER ContentInfo) for `input`, signed by `signer`. */
export async function createSignedDataWithPkijs(input: SignedDataInput, signer: MessageSigner): Promise<Uint8Array<ArrayBuffer>> {
  if (input.attached && !input.content) throw new Error('an attached signature needs the content');
  const digest = input.digest ?? (input.content ? await sha256(input.content) : undefined);
  if (!digest || digest.length !== 32) throw new Error('a SHA-256 digest of 32 bytes is required');
  const certificate = parseCertificate(input.certificate);
  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: input.signingTime ?? new Date() })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: exactBuffer(digest) })),
    attribute(OID.signingCertificateV2, signingCertificateV2(certificate, await sha256(input.certificate))),
  ];
  const sorted = attributes
    .map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER()) }))
    .sort((x, y) => compareBytes(x.der, y.der))
    .map((x) => x.a);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sorted });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const signature = await signer.sign(toSign);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: sha256AlgorithmIdentifier(),
    signedAttrs,
    signatureAlgorithm: signatureAlgorithmIdentifier(signer.algorithm),
    signature: new asn1js.OctetString({ valueHex: exactBuffer(signature) }),
  });
  const encapContentInfo = new pkijs.EncapsulatedContentInfo({ eContentType: OID.data });
  // Assigned after construction: pkijs's constructor would split the content into a constructed OCTET STRING (BER).
  if (input.attached && input.content) encapContentInfo.eContent = new asn1js.OctetString({ valueHex: exactBuffer(input.content) });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo,
    digestAlgorithms: [sha256AlgorithmIdentifier()],
    certificates: [certificate, ...(input.chain ?? []).map(parseCertificate)],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema() });
  return new Uint8Array(contentInfo.toSchema().toBER());
}
