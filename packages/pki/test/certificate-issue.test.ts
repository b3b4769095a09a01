// Issuing certificates and certification requests from this package's sources, checked byte for byte where DER
// leaves one answer and by OpenSSL where it parses: what a CA built on sicert hands out must be what RFC 5280 says.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import {
  certificateFields,
  createCertificationRequest,
  ecPublicKeyInfo,
  exactBuffer,
  issueCertificate,
  keyIdOf,
  OID,
  parseCertificate,
  randomSerialNumber,
  readCertificationRequest,
  rsaPublicKeyInfo,
  serialNumberHex,
  summarizeCertificate,
  toHex,
  verifyCertificationRequest,
  webCryptoSigner,
  type KeyUsageName,
  type MessageSigner,
} from '../src/index.js';
import { opensslCertificateText, opensslVerifyCertificate, opensslVerifyRequest } from '@sicert/test-support/openssl';

const DAY = 86_400_000;
const now = Date.now();

async function keyPair(params: EcKeyGenParams | RsaHashedKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' }) {
  const keys = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
  return { spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), signer: webCryptoSigner(keys.privateKey) };
}

function selfSigned(spki: Uint8Array, signer: MessageSigner, keyUsage: KeyUsageName[], isCA?: boolean) {
  return issueCertificate({ subject: { C: 'CN', CN: 'sicert 测试' }, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY), keyUsage, ...(isCA === undefined ? {} : { isCA }) }, { signer });
}

/** The DER extnValue of extension `oid`, as hex. */
function extensionValue(der: Uint8Array, oid: string): { critical: boolean; hex: string } | undefined {
  const found = parseCertificate(der).extensions?.find((e) => e.extnID === oid);
  return found && { critical: found.critical, hex: toHex(found.extnValue.valueBlock.valueHexView) };
}

describe('issueCertificate', () => {
  it('encodes keyUsage as DER requires: a critical BIT STRING without trailing zero bits', async () => {
    const { spki, signer } = await keyPair();
    // 03 len unusedBits bits: DER drops the trailing zero bits and counts them (X.690 §11.2.2).
    const cases: [KeyUsageName[], string][] = [
      [['digitalSignature'], '03020780'],
      [['digitalSignature', 'nonRepudiation'], '030206c0'],
      [['nonRepudiation', 'digitalSignature'], '030206c0'],
      [['keyEncipherment'], '03020520'],
      [['keyCertSign', 'cRLSign'], '03020106'],
      [['digitalSignature', 'keyAgreement'], '03020388'],
      [['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'], '030201fe'],
    ];
    for (const [usages, hex] of cases) {
      const der = await selfSigned(spki, signer, usages);
      assert.deepEqual(extensionValue(der, OID.keyUsage), { critical: true, hex }, usages.join());
      assert.deepEqual(new Set(summarizeCertificate(der).keyUsage), new Set(usages));
    }
    assert.equal(extensionValue(await selfSigned(spki, signer, []), OID.keyUsage), undefined, 'no usages, no extension');
  });

  it('writes years outside 1950-2049 as GeneralizedTime in whole seconds, which OpenSSL and the light reader read', async () => {
    const { spki, signer } = await keyPair();
    const notBefore = new Date(now - DAY);
    const notAfter = new Date('2056-03-01T08:30:15.750Z');
    const der = await issueCertificate({ subject: { CN: 'sicert 长期根' }, publicKey: spki, notBefore, notAfter, keyUsage: ['keyCertSign', 'cRLSign'], isCA: true }, { signer });
    // 18 0f "20560301083015Z": GeneralizedTime, no fraction.
    assert.ok(toHex(der).includes(`180f${toHex(new TextEncoder().encode('20560301083015Z'))}`));
    assert.equal(certificateFields(der).notAfter.toISOString(), '2056-03-01T08:30:15.000Z');
    assert.equal(summarizeCertificate(der).notAfter, '2056-03-01T08:30:15.000Z');
    assert.match(opensslCertificateText(der), /Not After : Mar {2}1 08:30:15 2056 GMT/);
    // Within 1950-2049 the time stays a UTCTime, also in whole seconds.
    const utc = await issueCertificate({ subject: { CN: 'sicert 短期' }, publicKey: spki, notBefore, notAfter: new Date('2049-12-31T23:59:59.900Z'), keyUsage: ['digitalSignature'] }, { signer });
    assert.ok(toHex(utc).includes(`170d${toHex(new TextEncoder().encode('491231235959Z'))}`));
  });

  it('marks CA and end-entity certificates in a critical basicConstraints; OpenSSL builds the chain only through the CA', async () => {
    const root = await keyPair();
    const rootDer = await selfSigned(root.spki, root.signer, ['keyCertSign', 'cRLSign'], true);
    assert.deepEqual(extensionValue(rootDer, OID.basicConstraints), { critical: true, hex: '30030101ff' });
    assert.match(opensslCertificateText(rootDer), /Basic Constraints: critical\s+CA:TRUE/);
    const leaf = await keyPair();
    const leafDer = await issueCertificate(
      { subject: { C: 'CN', CN: '张三' }, publicKey: leaf.spki, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY), keyUsage: ['digitalSignature'] },
      { certificate: rootDer, signer: root.signer },
    );
    assert.deepEqual(extensionValue(leafDer, OID.basicConstraints), { critical: true, hex: '3000' }, 'cA FALSE is the DEFAULT: DER leaves it out');
    assert.equal(opensslVerifyCertificate(leafDer, rootDer).ok, true);
    const notCa = await selfSigned(root.spki, root.signer, ['keyCertSign', 'cRLSign'], false);
    assert.equal(opensslVerifyCertificate(leafDer, notCa).ok, false, 'the same key, without cA, issues nothing');
  });

  it('names keys as RFC 7093 does: subject key id of its own key, authority key id of the issuer’s', async () => {
    const root = await keyPair();
    const rootDer = await selfSigned(root.spki, root.signer, ['keyCertSign'], true);
    const rootKeyId = await keyIdOf(root.spki);
    assert.deepEqual(extensionValue(rootDer, OID.subjectKeyIdentifier), { critical: false, hex: `0414${rootKeyId}` });
    assert.deepEqual(extensionValue(rootDer, OID.authorityKeyIdentifier), { critical: false, hex: `30168014${rootKeyId}` }, 'self-signed: its own key');
    const leaf = await keyPair();
    const leafDer = await issueCertificate(
      { subject: { CN: '张三' }, publicKey: leaf.spki, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY), keyUsage: ['digitalSignature'], serialNumber: new Uint8Array([0x01, 0x02, 0x03]) },
      { certificate: rootDer, signer: root.signer },
    );
    assert.deepEqual(extensionValue(leafDer, OID.subjectKeyIdentifier)?.hex, `0414${await keyIdOf(leaf.spki)}`);
    assert.deepEqual(extensionValue(leafDer, OID.authorityKeyIdentifier)?.hex, `30168014${rootKeyId}`);
    assert.equal(serialNumberHex(parseCertificate(leafDer)), '010203');
  });

  it('writes extendedKeyUsage only when asked, and random serials that are positive and non-zero', async () => {
    const { spki, signer } = await keyPair();
    const clientAuth = '1.3.6.1.5.5.7.3.2';
    const template = { subject: { CN: '张三' }, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY), keyUsage: ['digitalSignature'] as KeyUsageName[] };
    const withEku = await issueCertificate({ ...template, extendedKeyUsage: [clientAuth] }, { signer });
    assert.match(opensslCertificateText(withEku), /Extended Key Usage:\s+TLS Web Client Authentication/);
    assert.equal(extensionValue(withEku, OID.extKeyUsage)?.critical, false);
    for (const extendedKeyUsage of [undefined, []]) {
      assert.equal(extensionValue(await issueCertificate({ ...template, ...(extendedKeyUsage ? { extendedKeyUsage } : {}) }, { signer }), OID.extKeyUsage), undefined);
    }
    for (let i = 0; i < 64; i++) {
      const serial = randomSerialNumber(1);
      assert.ok(serial[0]! >= 1 && serial[0]! < 0x80, `serial byte ${serial[0]}`);
    }
    assert.equal(randomSerialNumber().length, 16);
  });

  it('writes the CRL distribution point and the certificate policies, non-critical, only when asked', async () => {
    const { spki, signer } = await keyPair();
    const template = { subject: { CN: '张三' }, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + DAY), keyUsage: ['digitalSignature'] as KeyUsageName[] };
    const policy = '1.3.6.1.4.1.99999.1';
    const full = await issueCertificate({ ...template, crlUrl: 'http://127.0.0.1:8080/crl', policies: [policy] }, { signer });
    const text = opensslCertificateText(full);
    assert.match(text, /X509v3 CRL Distribution Points: \n\s+Full Name:\s+URI:http:\/\/127\.0\.0\.1:8080\/crl/);
    assert.match(text, /X509v3 Certificate Policies: \n\s+Policy: 1\.3\.6\.1\.4\.1\.99999\.1/);
    // A critical extension a relying party does not know makes it refuse the certificate: these two are informative.
    assert.equal(extensionValue(full, OID.crlDistributionPoints)?.critical, false);
    assert.equal(extensionValue(full, OID.certificatePolicies)?.critical, false);
    for (const extra of [{}, { crlUrl: '', policies: [] }]) {
      const bare = await issueCertificate({ ...template, ...extra }, { signer });
      assert.deepEqual([extensionValue(bare, OID.crlDistributionPoints), extensionValue(bare, OID.certificatePolicies)], [undefined, undefined]);
    }
  });
});

describe('certification requests', () => {
  for (const [name, params] of [
    ['ECDSA-P256', { name: 'ECDSA', namedCurve: 'P-256' }],
    ['RSA-2048', { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }],
  ] as const) {
    it(`${name}: builds a self-signed PKCS#10 request that OpenSSL verifies and that reads back`, async () => {
      const { spki, signer } = await keyPair(params);
      const csr = await createCertificationRequest({ C: 'CN', O: '测试单位', CN: '张三' }, spki, signer);
      const openssl = opensslVerifyRequest(csr);
      assert.equal(openssl.ok, true, openssl.output);
      assert.match(openssl.output, /CN ?= ?张三/);
      assert.equal(await verifyCertificationRequest(csr), true);
      assert.deepEqual(await readCertificationRequest(csr), { subject: 'CN=张三,O=测试单位,C=CN', publicKey: spki, keyAlgorithm: name });
    });
  }

  it('refuses a request whose signature does not verify, and bytes that are no request', async () => {
    const { spki, signer } = await keyPair();
    const other = await keyPair();
    await assert.rejects(createCertificationRequest({ CN: '张三' }, spki, other.signer), /does not verify/);
    const csr = await createCertificationRequest({ CN: '张三' }, spki, signer);
    const tampered = csr.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    assert.equal(await verifyCertificationRequest(tampered), false);
    await assert.rejects(readCertificationRequest(tampered), /does not verify/);
    assert.equal(await verifyCertificationRequest(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])), false);
  });
});

describe('public keys from their parts', () => {
  it('ecPublicKeyInfo and rsaPublicKeyInfo give the SubjectPublicKeyInfo Node exports, byte for byte', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const jwk = ec.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    assert.equal(toHex(ecPublicKeyInfo(point)), ec.export({ format: 'der', type: 'spki' }).toString('hex'));

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const rsaJwk = rsa.export({ format: 'jwk' });
    // The modulus's top bit is set: DER needs a leading zero byte, which rsaPublicKeyInfo must add.
    const spki = rsaPublicKeyInfo(Buffer.from(rsaJwk.n!, 'base64url'), Buffer.from(rsaJwk.e!, 'base64url'));
    assert.equal(toHex(spki), rsa.export({ format: 'der', type: 'spki' }).toString('hex'));
    const parsed = asn1js.fromBER(exactBuffer(spki));
    assert.equal(parsed.offset, spki.length);
  });
});
