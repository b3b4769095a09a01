// The light DER reader against pkijs: on every certificate these tests make (sicert's own issuer, OpenSSL's, a
// stored fixture) it must read what pkijs reads; on anything broken it must throw its own DerError, never
// something odd, never loop.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { certificateFields, DerError, fromHex, keyIdOf, publicKeyAlgorithm, toHex, webCryptoSigner } from '../src/index.js';
import { decodeString } from '../src/der-reader.js';
import { OPENSSL_PLANS, opensslCertificate } from './support/openssl-certificates.js';
import { certificateFieldsWithPkijs, keyIdWithPkijs, publicKeyAlgorithmWithPkijs } from './support/pkijs-readings.js';
import { createTestCa } from './support/test-ca.js';

/** Runs `read` and requires it to succeed or to throw a DerError with a message; returns what it threw, if anything. */
function onlyDerErrors(read: () => unknown): DerError | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof DerError, `a DerError, not ${String(error)}`);
    assert.equal(error.code, 'MALFORMED_DER');
    assert.ok(error.message.length > 0);
    return error;
  }
}

describe('certificateFields (light DER reader)', () => {
  const certificates: [string, Uint8Array][] = [];

  before(async () => {
    const ca = await createTestCa();
    const intermediate = await ca.intermediate({ C: 'CN', O: 'sicert test', CN: 'sicert Test Issuing CA' });
    const spkiOf = async (params: EcKeyGenParams | RsaHashedKeyGenParams) => {
      const keys = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
      return { spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), signer: webCryptoSigner(keys.privateKey) };
    };
    const ec = await spkiOf({ name: 'ECDSA', namedCurve: 'P-256' });
    const rsa = await spkiOf({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' });
    certificates.push(
      ['test root', ca.root],
      ['intermediate CA', intermediate.certificate],
      ['ECDSA holder', await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, ec.spki)],
      ['RSA holder below the intermediate', await intermediate.issue({ C: 'CN', ST: '广东省', L: '广州市', O: '测试单位', OU: '人事部', CN: '李四', serialNumber: '11010519491231002X' }, rsa.spki)],
      ['organisation', await ca.issue({ C: 'CN', O: '某某有限公司', organizationIdentifier: '91110000600037341L', CN: '某某有限公司' }, ec.spki)],
      ['no common name, serial with the high bit', await ca.issue({ C: 'CN', O: '测试单位' }, ec.spki, { serialNumber: fromHex('00ff0102') })],
      ['stored fixture (legacy store root)', new Uint8Array(readFileSync(new URL('../../agent/test/fixtures/legacy-store/root.der', import.meta.url)))],
      ...OPENSSL_PLANS.map((plan): [string, Uint8Array] => [`OpenSSL: ${plan.name}`, opensslCertificate(plan)]),
    );
  });

  it('reads every certificate as pkijs reads it: names, serial, validity, common name, public key, its algorithm and key id', async () => {
    assert.ok(certificates.length >= 13);
    for (const [name, der] of certificates) {
      const light = certificateFields(der);
      const reference = certificateFieldsWithPkijs(der);
      assert.deepEqual(
        { ...light, subject: toHex(light.subject), issuer: toHex(light.issuer), serialNumber: toHex(light.serialNumber), publicKey: toHex(light.publicKey) },
        { ...reference, subject: toHex(reference.subject), issuer: toHex(reference.issuer), serialNumber: toHex(reference.serialNumber), publicKey: toHex(reference.publicKey) },
        name,
      );
      assert.equal(publicKeyAlgorithm(light.publicKey), publicKeyAlgorithmWithPkijs(reference.publicKey), name);
      assert.equal(await keyIdOf(light.publicKey), await keyIdWithPkijs(reference.publicKey), name);
    }
    const algorithms = certificates.map(([, der]) => publicKeyAlgorithm(certificateFields(der).publicKey));
    for (const expected of ['ECDSA-P256', 'RSA-2048', 'RSA-3072', 'SM2', 'EC-1.3.132.0.34']) assert.ok(algorithms.includes(expected), expected);
  });

  it('ignores bytes after the certificate, as pkijs does (tokens may pad what they store)', () => {
    for (const [name, der] of certificates) {
      const padded = new Uint8Array([...der, 0, 0, 0, 0]);
      assert.deepEqual(certificateFields(padded), certificateFields(der), name);
    }
  });

  it('refuses every truncation of a certificate with a DerError', () => {
    for (const [name, der] of certificates.slice(0, 4)) {
      for (let length = 0; length < der.length; length++) {
        assert.ok(onlyDerErrors(() => certificateFields(der.subarray(0, length))), `${name} cut to ${length} bytes`);
      }
    }
  });

  it('says what is wrong: indefinite lengths, oversized lengths, high tags, other structures', () => {
    const cases: [string, RegExp][] = [
      ['3080', /indefinite length/],
      ['3085ffffffffff', /too long/],
      ['3f2200', /high tag number/],
      ['30820100', /256 bytes of content announced, 0 present/],
      ['0400', /expected tag 0x30, found 0x04/],
      ['3000', /not a SEQUENCE of tbsCertificate/],
      ['', /missing/],
    ];
    for (const [hex, message] of cases) {
      assert.throws(() => certificateFields(fromHex(hex)), (error: unknown) => error instanceof DerError && message.test(error.message), hex);
    }
  });

  it('throws nothing but DerError for any bytes, and for any one byte changed in a certificate', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void onlyDerErrors(() => certificateFields(bytes))), { numRuns: 2000 });
    for (const der of [certificates[3]![1], certificateFields(certificates[3]![1]).publicKey, certificateFields(certificates[2]![1]).publicKey]) {
      fc.assert(
        fc.property(fc.nat(der.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
          const changed = der.slice();
          changed[at] = value;
          onlyDerErrors(() => certificateFields(changed));
          onlyDerErrors(() => publicKeyAlgorithm(changed));
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('decodes the character strings of names as asn1js does', () => {
    const text = 'Zhang San 张三 𠀀';
    const latin = 'Zhang San';
    const cases: [asn1js.BaseStringBlock, string][] = [
      [new asn1js.Utf8String({ value: text }), text],
      [new asn1js.BmpString({ value: '张三 abc' }), '张三 abc'],
      [new asn1js.UniversalString({ value: '张三 abc' }), '张三 abc'],
      [new asn1js.PrintableString({ value: latin }), latin],
      [new asn1js.IA5String({ value: latin }), latin],
      [new asn1js.TeletexString({ value: latin }), latin],
      [new asn1js.VisibleString({ value: latin }), latin],
    ];
    for (const [block, expected] of cases) {
      const der = new Uint8Array(block.toBER());
      const parsed = asn1js.fromBER(der).result as asn1js.BaseStringBlock;
      const content = der.subarray(der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2);
      assert.equal(decodeString(der[0]!, content), parsed.valueBlock.value, block.constructor.name);
      assert.equal(decodeString(der[0]!, content), expected);
    }
    assert.equal(decodeString(0x02, new Uint8Array([1])), undefined, 'an INTEGER is not a name string');
  });
});
