import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  createSignedData,
  ecdsaRawToDer,
  summarizeCertificate,
  verifySignedData,
  webCryptoSigner,
  type MessageSigner,
} from '../src/index.js';
import { ecdsaDerToRaw } from './support/ecdsa-der.js';
import { opensslCertificateText, opensslVerifyCertificate, opensslVerifyCms } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from './support/test-ca.js';

const ALGORITHMS = {
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256' },
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

describe('certificates and CMS', () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa();
  });

  for (const [name, params] of Object.entries(ALGORITHMS)) {
    describe(name, () => {
      let signer: MessageSigner;
      let certificate: Uint8Array;
      before(async () => {
        const keys = (await crypto.subtle.generateKey(params, true, ['sign', 'verify']));
        signer = webCryptoSigner(keys.privateKey);
        const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
        certificate = await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, spki, { crlUrl: 'http://127.0.0.1/crl', policies: ['1.3.6.1.4.1.99999.1'] });
      });

      it('issues a certificate that OpenSSL verifies and that summarises correctly', () => {
        assert.equal(opensslVerifyCertificate(certificate, ca.root).ok, true);
        const summary = summarizeCertificate(certificate);
        assert.equal(summary.subjectCommonName, '张三');
        assert.equal(summary.subject, 'CN=张三,O=测试单位,C=CN');
        assert.equal(summary.keyAlgorithm, name);
        assert.deepEqual(summary.keyUsage, ['digitalSignature', 'nonRepudiation']);
        assert.equal(summary.status, 'valid');
        const text = opensslCertificateText(certificate);
        assert.match(text, /Digital Signature, Non Repudiation/);
        // one attribute per RDN: OpenSSL separates RDNs with ", " and values of one RDN with " + "
        assert.match(text, /Subject: C ?= ?CN, O ?= ?.+, CN ?= ?/);
        assert.doesNotMatch(text, /Subject: .* \+ /);
        assert.match(text, /URI:http:\/\/127\.0\.0\.1\/crl/);
        assert.match(text, /Policy: 1\.3\.6\.1\.4\.1\.99999\.1/);
      });

      it('signs detached and attached CMS that pkijs and OpenSSL both verify', async () => {
        for (let i = 0; i < 8; i++) {
          const content = new TextEncoder().encode(`社保缴费申报 #${i}`);
          const detached = await createSignedData({ content, certificate }, signer);
          const ours = await verifySignedData(detached, { content, expectedSigner: { certificate }, trustedRoots: [ca.root] });
          assert.equal(ours.valid, true, ours.message);
          assert.equal(ours.signer?.subjectCommonName, '张三');
          const openssl = opensslVerifyCms(detached, ca.root, content);
          assert.equal(openssl.ok, true, openssl.output);

          const attached = await createSignedData({ content, certificate, attached: true }, signer);
          const fromAttached = await verifySignedData(attached, { content, expectedSigner: { certificate }, trustedRoots: [ca.root] });
          assert.equal(fromAttached.valid, true, fromAttached.message);
          assert.deepEqual(fromAttached.content, content);
          assert.equal(opensslVerifyCms(attached, ca.root).ok, true);
        }
      });

      it('rejects tampered content, an untrusted root and a revoked signer', async () => {
        const content = new TextEncoder().encode('amount=100');
        const cms = await createSignedData({ content, certificate }, signer);
        const tampered = await verifySignedData(cms, { content: new TextEncoder().encode('amount=900'), expectedSigner: { certificate }, trustedRoots: [ca.root] });
        assert.equal(tampered.valid, false);
        assert.equal(tampered.problem, 'DIGEST_MISMATCH');
        const other = await createTestCa();
        const untrusted = await verifySignedData(cms, { content, expectedSigner: { certificate }, trustedRoots: [other.root] });
        assert.equal(untrusted.problem, 'CHAIN_UNTRUSTED');
        const revoked = await verifySignedData(cms, { content, expectedSigner: { certificate }, trustedRoots: [ca.root], isRevoked: () => true });
        assert.equal(revoked.problem, 'REVOKED');
        assert.equal((await verifySignedData(new Uint8Array([1, 2, 3]), { content, expectedSigner: { certificate }, trustedRoots: [ca.root] })).problem, 'MALFORMED');
      });
    });
  }

  it('encodes ECDSA integers minimally and positively', () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // high bit: needs a 0x00 pad
    raw[32] = 0x00;
    raw[33] = 0x00;
    raw[34] = 0x01; // leading zeros: must be stripped
    const der = ecdsaRawToDer(raw);
    assert.equal(der[2], 0x02);
    assert.equal(der[3], 33);
    assert.equal(der[4], 0x00);
    const sAt = 4 + 33;
    assert.equal(der[sAt], 0x02);
    assert.equal(der[sAt + 1], 30);
    assert.deepEqual(ecdsaDerToRaw(der), raw);
  });
});
