// The helpers key stores use instead of ASN.1 of their own, checked against Node's own X.509 and key parsing.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { certificateFields, fromHex, keyIdOf, publicKeyAlgorithm, toHex } from '../src/index.js';
import { createTestCa, type TestCa } from './support/test-ca.js';

const KEYS = {
  'ECDSA-P256': () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
  'RSA-2048': () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
} as const;

/** RFC 7093 method 1 computed with Node alone: SHA-256 of the subjectPublicKey bits, first 160 bits. */
function expectedKeyId(spki: Uint8Array, algorithm: keyof typeof KEYS): string {
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  const bits =
    algorithm === 'ECDSA-P256'
      ? Buffer.concat([Buffer.from([4]), Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url'), Buffer.from(key.export({ format: 'jwk' }).y!, 'base64url')])
      : key.export({ format: 'der', type: 'pkcs1' });
  return createHash('sha256').update(bits).digest('hex').slice(0, 40);
}

describe('public key helpers', () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa();
  });

  for (const [algorithm, generate] of Object.entries(KEYS) as [keyof typeof KEYS, () => ReturnType<(typeof KEYS)['RSA-2048']>][]) {
    it(`${algorithm}: key id, algorithm and certificate fields agree with Node's parsing`, async () => {
      const spki = new Uint8Array(generate().export({ format: 'der', type: 'spki' }));
      assert.equal(await keyIdOf(spki), expectedKeyId(spki, algorithm));
      assert.equal(publicKeyAlgorithm(spki), algorithm);

      const der = await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, spki, { serialNumber: fromHex('00ff0102') });
      const fields = certificateFields(der);
      const x509 = new X509Certificate(Buffer.from(der));
      assert.deepEqual(fields.publicKey, spki);
      assert.equal(fields.commonName, '张三');
      assert.equal(fields.notBefore.getTime(), new Date(x509.validFrom).getTime());
      assert.equal(fields.notAfter.getTime(), new Date(x509.validTo).getTime());
      // CKA_SERIAL_NUMBER is the whole DER INTEGER, tag and length included, with its sign byte.
      assert.equal(x509.serialNumber, 'FF0102');
      assert.equal(toHex(fields.serialNumber), '020400ff0102');
      // The issuer of an issued certificate is, byte for byte, the subject of its CA.
      assert.deepEqual(fields.issuer, certificateFields(ca.root).subject);
      assert.notDeepEqual(fields.subject, fields.issuer);
      assert.ok(Buffer.from(der).includes(Buffer.from(fields.subject)), 'the subject is the DER carried in the certificate');
    });
  }

  it('a certificate without a common name has none, and something that is not a certificate throws', async () => {
    const spki = new Uint8Array(KEYS['ECDSA-P256']().export({ format: 'der', type: 'spki' }));
    assert.equal(certificateFields(await ca.issue({ C: 'CN', O: '测试单位' }, spki)).commonName, undefined);
    assert.throws(() => certificateFields(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])));
  });
});
