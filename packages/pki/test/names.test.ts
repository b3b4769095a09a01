// Names, certificate-summary helpers and the OID table on their own: the order and string types of a built name,
// RFC 4514 escaping, the validity windows at their exact edges, serial and keyUsage decoding. No CA is needed:
// the helpers read fields, so the certificates here are filled in memory and never signed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildName, EXPIRING_WITHIN_DAYS, formatName, fromHex, keyUsageOf, nameAttribute, NAME_ATTRIBUTES, OID, serialNumberHex, validityStatus } from '../src/index.js';

const DAY = 86_400_000;

/** The ASN.1 universal tag of each attribute value of a name, in wire order. */
function tagsOf(name: pkijs.RelativeDistinguishedNames): number[] {
  return name.typesAndValues.map((tv) => (tv.value as asn1js.BaseBlock).idBlock.tagNumber);
}

describe('names', () => {
  it('orders attributes most general first on the wire, and formats them most specific first', () => {
    const name = buildName({ CN: '张三', serialNumber: '110105194912310021', O: '某某公司', C: 'CN', OU: '人事', L: '海淀', ST: '北京', organizationIdentifier: '91110000600037341L', SN: '张', GN: '三' });
    assert.deepEqual(
      name.typesAndValues.map((tv) => tv.type),
      [OID.country, OID.state, OID.locality, OID.organization, OID.organizationalUnit, OID.organizationIdentifier, OID.surname, OID.givenName, OID.serialNumber, OID.commonName],
    );
    assert.equal(formatName(name), 'CN=张三,serialNumber=110105194912310021,GN=三,SN=张,organizationIdentifier=91110000600037341L,OU=人事,O=某某公司,L=海淀,ST=北京,C=CN');
  });

  it('keeps one attribute per RDN, through DER', () => {
    const name = buildName({ CN: 'x', O: 'y' });
    const der = new Uint8Array(name.toSchema().toBER());
    const parsed = pkijs.RelativeDistinguishedNames.fromBER(der);
    assert.equal(formatName(parsed), 'CN=x,O=y');
    const sequence = asn1js.fromBER(der).result as asn1js.Sequence;
    assert.equal(sequence.valueBlock.value.length, 2, 'two RDNs, not one multi-valued RDN');
  });

  it('encodes the country and the serial number as PrintableString, the rest as UTF8String', () => {
    assert.deepEqual(tagsOf(buildName({ C: 'CN', O: 'o', serialNumber: '1', CN: 'c' })), [19, 12, 19, 12]);
  });

  it('refuses an attribute it does not know, naming every one', () => {
    assert.throws(() => buildName({ CN: 'x', E: 'a@b', X: 'y' }), { message: 'unknown name attribute: E, X' });
  });

  it('escapes RFC 4514 specials, a leading blank or #, and a trailing blank', () => {
    const formatted = formatName(buildName({ CN: ' #a,b+c"d\\e<f>g;h=i ' }));
    assert.equal(formatted, 'CN=\\ #a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h\\=i\\ ');
    assert.equal(formatName(buildName({ CN: '#x' })), 'CN=\\#x');
    assert.equal(formatName(buildName({ CN: 'a b' })), 'CN=a b', 'an inner blank stays');
    assert.equal(formatName(buildName({ CN: 'x#' })), 'CN=x#', 'a # inside stays');
  });

  it('names an attribute it has no short name for by its OID', () => {
    const name = new pkijs.RelativeDistinguishedNames({
      typesAndValues: [new pkijs.AttributeTypeAndValue({ type: '1.2.3.4', value: new asn1js.Utf8String({ value: 'v' }) })],
    });
    assert.equal(formatName(name), '1.2.3.4=v');
  });

  it('reads the first attribute of a type, the common name by default', () => {
    const name = buildName({ CN: '张三', O: '公司', serialNumber: '42' });
    assert.equal(nameAttribute(name), '张三');
    assert.equal(nameAttribute(name, OID.organization), '公司');
    assert.equal(nameAttribute(name, OID.serialNumber), '42');
    assert.equal(nameAttribute(buildName({ O: '公司' })), undefined);
  });
});

describe('certificate summary helpers', () => {
  it('tells the validity status at the exact edges of the window and of the 30-day renewal period', () => {
    assert.equal(EXPIRING_WITHIN_DAYS, 30);
    const notBefore = new Date(Date.UTC(2026, 0, 1));
    const notAfter = new Date(Date.UTC(2028, 0, 1));
    const at = (ms: number) => validityStatus(notBefore, notAfter, new Date(ms));
    assert.equal(at(notBefore.getTime() - 1), 'notYetValid');
    assert.equal(at(notBefore.getTime()), 'valid');
    assert.equal(at(notAfter.getTime() - 30 * DAY - 1), 'valid');
    assert.equal(at(notAfter.getTime() - 30 * DAY), 'expiring');
    assert.equal(at(notAfter.getTime()), 'expiring');
    assert.equal(at(notAfter.getTime() + 1), 'expired');
    const soon = new Date(Date.now() + 10 * DAY);
    assert.equal(validityStatus(new Date(Date.now() - DAY), soon), 'expiring', 'judged now by default');
    assert.equal(validityStatus(new Date(Date.now() - DAY), new Date(Date.now() + 100 * DAY)), 'valid');
  });

  it('gives the serial number in lower-case hex without leading zero bytes, keeping a lone zero', () => {
    const serial = (hex: string) => {
      const certificate = new pkijs.Certificate();
      certificate.serialNumber = new asn1js.Integer({ valueHex: fromHex(hex).buffer });
      return serialNumberHex(certificate);
    };
    assert.equal(serial('00ABCD'), 'abcd');
    assert.equal(serial('0000ab'), 'ab');
    assert.equal(serial('0102'), '0102', 'a leading zero nibble of a non-zero byte stays');
    assert.equal(serial('00'), '00');
    assert.equal(serial('7f00'), '7f00');
  });

  it('decodes keyUsage bits in both bytes, and answers undefined without the extension', () => {
    const withBits = (bytes: number[], unusedBits: number) => {
      const certificate = new pkijs.Certificate();
      const bits = new asn1js.BitString({ valueHex: new Uint8Array(bytes).buffer, unusedBits });
      certificate.extensions = [
        new pkijs.Extension({ extnID: OID.basicConstraints, critical: true, extnValue: new asn1js.Sequence().toBER() }),
        new pkijs.Extension({ extnID: OID.keyUsage, critical: true, extnValue: bits.toBER() }),
      ];
      return keyUsageOf(certificate);
    };
    assert.deepEqual(withBits([0b1100_0000], 6), ['digitalSignature', 'nonRepudiation']);
    assert.deepEqual(withBits([0b0010_0000], 5), ['keyEncipherment']);
    assert.deepEqual(withBits([0b0001_0110], 1), ['dataEncipherment', 'keyCertSign', 'cRLSign']);
    assert.deepEqual(withBits([0b0000_1001, 0b1000_0000], 7), ['keyAgreement', 'encipherOnly', 'decipherOnly']);
    assert.deepEqual(withBits([0b0000_0000], 0), []);
    const none = new pkijs.Certificate();
    assert.equal(keyUsageOf(none), undefined);
    none.extensions = [new pkijs.Extension({ extnID: OID.basicConstraints, extnValue: new asn1js.Sequence().toBER() })];
    assert.equal(keyUsageOf(none), undefined);
  });
});

describe('OIDs', () => {
  it('are the registered ones (PKCS#7/9, NIST, ANSI X9.62, X.520, RFC 5280, GM/T 0006)', () => {
    assert.deepEqual(OID, {
      data: '1.2.840.113549.1.7.1',
      signedData: '1.2.840.113549.1.7.2',
      contentType: '1.2.840.113549.1.9.3',
      messageDigest: '1.2.840.113549.1.9.4',
      signingTime: '1.2.840.113549.1.9.5',
      signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
      sha1: '1.3.14.3.2.26',
      sha256: '2.16.840.1.101.3.4.2.1',
      sha384: '2.16.840.1.101.3.4.2.2',
      sha512: '2.16.840.1.101.3.4.2.3',
      rsaEncryption: '1.2.840.113549.1.1.1',
      sha256WithRSA: '1.2.840.113549.1.1.11',
      sha384WithRSA: '1.2.840.113549.1.1.12',
      sha512WithRSA: '1.2.840.113549.1.1.13',
      ecPublicKey: '1.2.840.10045.2.1',
      prime256v1: '1.2.840.10045.3.1.7',
      ecdsaWithSHA256: '1.2.840.10045.4.3.2',
      ecdsaWithSHA384: '1.2.840.10045.4.3.3',
      ecdsaWithSHA512: '1.2.840.10045.4.3.4',
      sm2Curve: '1.2.156.10197.1.301',
      commonName: '2.5.4.3',
      surname: '2.5.4.4',
      serialNumber: '2.5.4.5',
      country: '2.5.4.6',
      locality: '2.5.4.7',
      state: '2.5.4.8',
      organization: '2.5.4.10',
      organizationalUnit: '2.5.4.11',
      givenName: '2.5.4.42',
      organizationIdentifier: '2.5.4.97',
      subjectKeyIdentifier: '2.5.29.14',
      keyUsage: '2.5.29.15',
      cRLNumber: '2.5.29.20',
      cRLReason: '2.5.29.21',
      basicConstraints: '2.5.29.19',
      crlDistributionPoints: '2.5.29.31',
      certificatePolicies: '2.5.29.32',
      authorityKeyIdentifier: '2.5.29.35',
      extKeyUsage: '2.5.29.37',
    });
    assert.deepEqual(Object.keys(NAME_ATTRIBUTES).sort(), ['C', 'CN', 'GN', 'L', 'O', 'OU', 'SN', 'ST', 'organizationIdentifier', 'serialNumber']);
  });
});
