import { childrenOf, contentOf, decodeString, decodeTime, DerError, encodingOf, expectTlv, type Tlv } from './der-reader.js';
import { encode, TAG, tlv } from './der-writer.js';

/**
 * What a key store files a certificate under, as DER where a store keeps DER: a PKCS#11 token's CKA_SUBJECT,
 * CKA_ISSUER, CKA_SERIAL_NUMBER and CKA_LABEL, the validity that picks the newest of several, and the public key
 * that finds the certificate's key pair. Lets a key store handle certificates without ASN.1 of its own.
 */
export interface CertificateFields {
  /** The subject Name, DER. */
  subject: Uint8Array<ArrayBuffer>;
  /** The issuer Name, DER. */
  issuer: Uint8Array<ArrayBuffer>;
  /** The serial number as a DER INTEGER (tag and length included, as CKA_SERIAL_NUMBER wants it). */
  serialNumber: Uint8Array<ArrayBuffer>;
  /** The subject's common name, when it has one. */
  commonName: string | undefined;
  notBefore: Date;
  notAfter: Date;
  /** The SubjectPublicKeyInfo, DER. */
  publicKey: Uint8Array<ArrayBuffer>;
}

/** A certificate taken apart, each part a view into the input. */
export interface CertificateParts {
  /** The certificate's own encoding: the input without any bytes that follow it. */
  certificate: Uint8Array;
  /** The serial number INTEGER's content octets. */
  serialContent: Uint8Array;
  issuer: Uint8Array;
  subject: Uint8Array;
  publicKey: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** The first commonName of the subject, when it is a character string. */
  commonName: string | undefined;
}

/** commonName (2.5.4.3) as OBJECT IDENTIFIER content octets. */
const COMMON_NAME = [0x55, 0x04, 0x03];

/**
 * The first commonName in a Name (RFC 5280: SEQUENCE OF SET OF SEQUENCE { type, value }), checking the whole
 * Name's structure on the way, as a parser that builds every attribute would.
 */
function firstCommonName(der: Uint8Array, name: Tlv, what: string): string | undefined {
  let commonName: string | undefined;
  for (const rdn of childrenOf(der, name, what)) {
    if (rdn.tag !== TAG.set) throw new DerError(`${what}: a relative distinguished name is not a SET at byte ${rdn.start}`);
    for (const attribute of childrenOf(der, rdn, what)) {
      if (attribute.tag !== TAG.sequence) throw new DerError(`${what}: an attribute is not a SEQUENCE at byte ${attribute.start}`);
      const [type, value, extra] = childrenOf(der, attribute, what);
      if (!type || type.tag !== TAG.oid || !value || extra) throw new DerError(`${what}: an attribute is not a type and one value at byte ${attribute.start}`);
      const oid = contentOf(der, type);
      if (commonName === undefined && oid.length === 3 && COMMON_NAME.every((b, i) => oid[i] === b)) {
        commonName = decodeString(value.tag, contentOf(der, value));
      }
    }
  }
  return commonName;
}

/**
 * Takes a DER X.509 certificate apart (RFC 5280 §4.1) down to the fields a key store and a CMS signer need.
 * Throws a {@link DerError} on anything that is not one. Bytes after the certificate are ignored, as pkijs
 * ignores them (some tokens pad the values they store).
 */
export function certificateParts(der: Uint8Array): CertificateParts {
  const outer = expectTlv(der, 0, der.length, TAG.sequence, 'certificate');
  const [tbs, signatureAlgorithm, signatureValue, extra] = childrenOf(der, outer, 'certificate');
  if (!tbs || tbs.tag !== TAG.sequence || signatureAlgorithm?.tag !== TAG.sequence || signatureValue?.tag !== TAG.bitString || extra) {
    throw new DerError('certificate: not a SEQUENCE of tbsCertificate, signatureAlgorithm and signatureValue');
  }
  const fields = childrenOf(der, tbs, 'tbsCertificate');
  const offset = fields[0]?.tag === TAG.context0 ? 1 : 0;
  const [serial, signature, issuer, validity, subject, publicKey] = fields.slice(offset);
  const expect = (field: Tlv | undefined, tag: number, what: string): Tlv => {
    if (field?.tag !== tag) throw new DerError(`certificate: ${what} is missing or not of the right type`);
    return field;
  };
  expect(serial, TAG.integer, 'the serial number');
  expect(signature, TAG.sequence, 'the signature algorithm');
  expect(issuer, TAG.sequence, 'the issuer');
  expect(validity, TAG.sequence, 'the validity');
  expect(subject, TAG.sequence, 'the subject');
  expect(publicKey, TAG.sequence, 'the subject public key info');
  if (serial!.end === serial!.contentStart) throw new DerError('certificate: the serial number is empty');
  const [notBefore, notAfter, extraTime] = childrenOf(der, validity!, 'validity');
  if (!notBefore || !notAfter || extraTime) throw new DerError('certificate: the validity is not two times');
  firstCommonName(der, issuer!, 'issuer');
  return {
    certificate: encodingOf(der, outer),
    serialContent: contentOf(der, serial!),
    issuer: encodingOf(der, issuer!),
    subject: encodingOf(der, subject!),
    publicKey: encodingOf(der, publicKey!),
    notBefore: decodeTime(notBefore.tag, contentOf(der, notBefore), 'notBefore'),
    notAfter: decodeTime(notAfter.tag, contentOf(der, notAfter), 'notAfter'),
    commonName: firstCommonName(der, subject!, 'subject'),
  };
}

/** The {@link CertificateFields} of a DER certificate. Throws a {@link DerError} on anything that is not a certificate. */
export function certificateFields(der: Uint8Array): CertificateFields {
  const parts = certificateParts(der);
  return {
    subject: parts.subject.slice(),
    issuer: parts.issuer.slice(),
    // Re-encoded with a minimal header, as the INTEGER's own DER (a BER length form is not carried over).
    serialNumber: encode(tlv(TAG.integer, parts.serialContent)),
    commonName: parts.commonName,
    notBefore: parts.notBefore,
    notAfter: parts.notAfter,
    publicKey: parts.publicKey.slice(),
  };
}
