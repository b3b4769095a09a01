// CRLs: issued by a CA key, read back, checked by pkijs and by OpenSSL (`openssl crl -verify`, and
// `openssl verify -crl_check` telling a good certificate from a revoked one).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { issueCertificate, issueCrl, parseCertificate, parseCrl, serialNumberHex, verifyCrl, webCryptoSigner, type CrlTemplate } from '../src/index.js';
import { opensslVerifyCrl, opensslVerifyWithCrl } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';

const DAY = 86_400_000;

async function publicKey(): Promise<Uint8Array> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
}

describe('CRLs', () => {
  let ca: TestCa;
  let certificate: Uint8Array;
  let other: Uint8Array;
  let serial: string;
  const now = new Date();
  const template = (revoked: CrlTemplate['revoked'], crlNumber: number | bigint = 1): CrlTemplate => ({ crlNumber, thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * DAY), revoked });

  before(async () => {
    ca = await createTestCa();
    certificate = await ca.issue({ C: 'CN', CN: '张三' }, await publicKey());
    other = await ca.issue({ C: 'CN', CN: '李四' }, await publicKey());
    serial = serialNumberHex(parseCertificate(certificate));
  });

  it('issues an empty CRL that OpenSSL verifies and that leaves a certificate good', async () => {
    const crl = await ca.crl(template([]));
    const checked = opensslVerifyCrl(crl, ca.root);
    assert.equal(checked.ok, true, checked.output);
    assert.match(checked.output, /X509v3 CRL Number: \s*1\b/);
    assert.match(checked.output, /X509v3 Authority Key Identifier/);
    assert.match(checked.output, /No Revoked Certificates/);
    const verified = opensslVerifyWithCrl(certificate, ca.root, crl);
    assert.equal(verified.ok, true, verified.output);
    const read = parseCrl(crl);
    assert.deepEqual([read.crlNumber, read.revoked, read.issuer], [1n, [], 'CN=sicert Test Root CA,O=sicert test,C=CN']);
    assert.equal(read.thisUpdate.getTime(), Math.floor(now.getTime() / 1000) * 1000);
  });

  it('lists revoked serials with their reasons, and OpenSSL then refuses exactly those certificates', async () => {
    const revokedAt = new Date(now.getTime() - 60_000);
    // Upper case and a leading zero: the serial is matched as a number, not as a string.
    const crl = await ca.crl(template([{ serialNumber: `0${serial.toUpperCase()}`, revocationDate: revokedAt, reason: 'keyCompromise' }], 2));
    const checked = opensslVerifyCrl(crl, ca.root);
    assert.equal(checked.ok, true, checked.output);
    assert.match(checked.output, new RegExp(`Serial Number: ${serial.toUpperCase()}`));
    assert.match(checked.output, /Key Compromise/);
    const refused = opensslVerifyWithCrl(certificate, ca.root, crl);
    assert.equal(refused.ok, false);
    assert.match(refused.output, /certificate revoked/);
    assert.equal(opensslVerifyWithCrl(other, ca.root, crl).ok, true, 'another certificate of the same CA stays good');
    const [entry] = parseCrl(crl).revoked;
    assert.deepEqual(entry, { serialNumber: serial, revocationDate: new Date(Math.floor(revokedAt.getTime() / 1000) * 1000), reason: 'keyCompromise' });
  });

  it('writes no reasonCode for unspecified, and reads every other reason back', async () => {
    const otherSerial = serialNumberHex(parseCertificate(other));
    const crl = await ca.crl(template([
      { serialNumber: serial, revocationDate: now },
      { serialNumber: otherSerial, revocationDate: now, reason: 'superseded' },
      { serialNumber: '0a', revocationDate: now, reason: 'cessationOfOperation' },
    ]));
    const text = opensslVerifyCrl(crl, ca.root).output;
    assert.equal(text.match(/CRL Reason Code/g)?.length, 2, text);
    assert.deepEqual(parseCrl(crl).revoked.map((e) => [e.serialNumber, e.reason]), [[serial, 'unspecified'], [otherSerial, 'superseded'], ['0a', 'cessationOfOperation']]);
  });

  it('uses GeneralizedTime from 2050 and keeps a CRL number beyond 2^53', async () => {
    const thisUpdate = new Date('2051-03-01T00:00:00Z');
    const crl = await ca.crl({ crlNumber: 2n ** 70n, thisUpdate, nextUpdate: new Date('2051-03-08T00:00:00Z'), revoked: [] });
    const read = parseCrl(crl);
    assert.deepEqual([read.thisUpdate, read.nextUpdate, read.crlNumber], [thisUpdate, new Date('2051-03-08T00:00:00Z'), 2n ** 70n]);
  });

  it('verifyCrl accepts the issuer’s current CRL and refuses a stranger’s, a tampered, a stale or a future one', async () => {
    const crl = await ca.crl(template([{ serialNumber: serial, revocationDate: now, reason: 'keyCompromise' }]));
    const ok = await verifyCrl(crl, ca.root, now);
    assert.equal(ok.valid, true);
    assert.deepEqual(ok.valid && ok.crl.revoked.map((e) => e.serialNumber), [serial]);

    const stranger = await createTestCa(); // the same subject name, another key
    assert.deepEqual(await verifyCrl(crl, stranger.root, now), { valid: false, problem: 'SIGNATURE_INVALID' });
    const tampered = new Uint8Array(crl);
    tampered[tampered.length - 5]! ^= 0x01;
    assert.deepEqual(await verifyCrl(tampered, ca.root, now), { valid: false, problem: 'SIGNATURE_INVALID' });
    assert.deepEqual(await verifyCrl(crl, ca.root, new Date(now.getTime() + 8 * DAY)), { valid: false, problem: 'STALE' });
    assert.deepEqual(await verifyCrl(crl, ca.root, new Date(now.getTime() - DAY)), { valid: false, problem: 'NOT_YET_VALID' });
    assert.deepEqual(await verifyCrl(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), ca.root, now), { valid: false, problem: 'MALFORMED' });

    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const otherRoot = await issueCertificate(
      { subject: { C: 'CN', CN: '别的CA' }, publicKey: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), notBefore: now, notAfter: new Date(now.getTime() + DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true },
      { signer: webCryptoSigner(keys.privateKey) },
    );
    assert.deepEqual(await verifyCrl(crl, otherRoot, now), { valid: false, problem: 'WRONG_ISSUER' });
  });

  it('refuses a template no verifier would accept, and an issuer that may not sign CRLs', async () => {
    const refusals: [CrlTemplate, RegExp][] = [
      [{ ...template([]), nextUpdate: now }, /nextUpdate must be after thisUpdate/],
      [template([], -1), /non-negative integer/],
      [template([], 1.5), /non-negative integer/],
      [{ ...template([]), thisUpdate: new Date(Number.NaN) }, /valid Dates/],
      [template([{ serialNumber: 'ab', revocationDate: now }, { serialNumber: '00AB', revocationDate: now }]), /listed twice/],
      [template([{ serialNumber: 'xyz', revocationDate: now }]), /not 1-40 hex digits/],
      [template([{ serialNumber: 'ab', revocationDate: now, reason: 'lost' as never }]), /unknown reason/],
    ];
    for (const [bad, message] of refusals) await assert.rejects(ca.crl(bad), message);

    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const endEntity = await ca.issue({ C: 'CN', CN: '王五' }, new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
    await assert.rejects(issueCrl(template([]), { certificate: endEntity, signer: webCryptoSigner(keys.privateKey) }), /cRLSign/);
  });
});
