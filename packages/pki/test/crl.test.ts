// CRLs: issued by a CA key, read back, checked by pkijs and by OpenSSL (`openssl crl -verify`, and
// `openssl verify -crl_check` telling a good certificate from a revoked one).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { exactBuffer, issueCertificate, issueCrl, keyIdOf, parseCertificate, parseCrl, serialNumberHex, verifyCrl, webCryptoSigner, type CrlTemplate, type NameAttributes } from '../src/index.js';
import { opensslCertificateText, opensslVerifyCrl, opensslVerifyWithCrl } from '@sicert/test-support/openssl';

const DAY = 86_400_000;

async function keyPair() {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return { spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), signer: webCryptoSigner(keys.privateKey) };
}

async function publicKey(): Promise<Uint8Array> {
  return (await keyPair()).spki;
}

/** A root CA made with this package's own sources (the shared test CA uses the build), and its CRLs. */
interface TestCa {
  root: Uint8Array;
  issue(subject: NameAttributes, spki: Uint8Array): Promise<Uint8Array>;
  crl(template: CrlTemplate): Promise<Uint8Array>;
}

async function createTestCa(): Promise<TestCa> {
  const { spki, signer } = await keyPair();
  const now = Date.now();
  const root = await issueCertificate(
    { subject: { C: 'CN', O: 'sicert test', CN: 'sicert Test Root CA' }, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true },
    { signer },
  );
  return {
    root,
    issue: (subject, key) =>
      issueCertificate({ subject, publicKey: key, notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY), keyUsage: ['digitalSignature', 'nonRepudiation'] }, { certificate: root, signer }),
    crl: (template) => issueCrl(template, { certificate: root, signer }),
  };
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
    assert.match(checked.output, /Version 2 \(0x1\)/);
    // tbsCertList: version, signature, issuer, thisUpdate, nextUpdate, [0] extensions; no empty revokedCertificates
    const tbs = (asn1js.fromBER(exactBuffer(crl)).result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    assert.equal(tbs.valueBlock.value.length, 6);
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

  it('signs for a CA that OpenSSL made, naming it by its own subjectKeyIdentifier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-openssl-ca-'));
    try {
      const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
      openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.der', '-outform', 'DER', '-days', '30', '-subj', '/C=CN/CN=OpenSSL CA',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'basicConstraints=critical,CA:TRUE');
      openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ee.key', '-out', 'ee.csr', '-subj', '/C=CN/CN=ee');
      openssl('x509', '-req', '-in', 'ee.csr', '-CA', 'ca.der', '-CAform', 'DER', '-CAkey', 'ca.key', '-out', 'ee.der', '-outform', 'DER', '-days', '10');
      openssl('pkcs8', '-topk8', '-nocrypt', '-in', 'ca.key', '-outform', 'DER', '-out', 'ca.p8');
      const key = await crypto.subtle.importKey('pkcs8', exactBuffer(readFileSync(join(dir, 'ca.p8'))), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      const root = new Uint8Array(readFileSync(join(dir, 'ca.der')));
      const endEntity = new Uint8Array(readFileSync(join(dir, 'ee.der')));
      const crl = await issueCrl(template([{ serialNumber: serialNumberHex(parseCertificate(endEntity)), revocationDate: now, reason: 'keyCompromise' }]), { certificate: root, signer: webCryptoSigner(key) });
      assert.equal(opensslVerifyCrl(crl, root).ok, true);
      const skid = /Subject Key Identifier:\s*([0-9A-F:]+)/.exec(execFileSync('openssl', ['x509', '-inform', 'DER', '-in', 'ca.der', '-noout', '-text'], { cwd: dir, encoding: 'utf8' }))![1];
      assert.match(opensslVerifyCrl(crl, root).output, new RegExp(`Authority Key Identifier: \\s*(keyid:)?${skid}`));
      assert.match(opensslVerifyWithCrl(endEntity, root, crl).output, /certificate revoked/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names an issuer by the subjectKeyIdentifier it carries wherever it stands, and by its key when it has none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-openssl-ski-'));
    try {
      writeFileSync(join(dir, 'min.cnf'), '[req]\ndistinguished_name=dn\n[dn]\n'); // no default extensions: only those asked for, in order
      const caWith = async (ski: string) => {
        execFileSync('openssl', ['req', '-config', 'min.cnf', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.der', '-outform', 'DER',
          '-days', '30', '-subj', '/C=CN/CN=OpenSSL CA', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', `subjectKeyIdentifier=${ski}`], { cwd: dir, stdio: 'pipe' });
        execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', 'ca.key', '-outform', 'DER', '-out', 'ca.p8'], { cwd: dir, stdio: 'pipe' });
        const key = await crypto.subtle.importKey('pkcs8', exactBuffer(readFileSync(join(dir, 'ca.p8'))), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
        const root = new Uint8Array(readFileSync(join(dir, 'ca.der')));
        const crl = await issueCrl(template([]), { certificate: root, signer: webCryptoSigner(key) });
        assert.equal(opensslVerifyCrl(crl, root).ok, true);
        return { root, text: opensslVerifyCrl(crl, root).output };
      };
      // A key identifier chosen by hand, third among the extensions: copied, not recomputed.
      assert.match((await caWith('0102030405060708')).text, /Authority Key Identifier: \s*(keyid:)?01:02:03:04:05:06:07:08\n/);
      const bare = await caWith('none');
      assert.doesNotMatch(opensslCertificateText(bare.root), /Subject Key Identifier/);
      const spki = new Uint8Array(parseCertificate(bare.root).subjectPublicKeyInfo.toSchema().toBER());
      const computed = (await keyIdOf(spki)).toUpperCase().match(/../g)!.join(':');
      assert.match(bare.text, new RegExp(`Authority Key Identifier: \\s*(keyid:)?${computed}\\n`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a truncated CRL number or reason code as absent, not as the bytes that are there', async () => {
    const crl = await ca.crl(template([{ serialNumber: '0a', revocationDate: now, reason: 'keyCompromise' }], 1));
    const hex = Buffer.from(crl).toString('hex');
    // Each extension's INTEGER/ENUMERATED claims five content bytes and holds one: asn1js still returns the object.
    const broken = hex.replace('0603551d140403020101', '0603551d140403020501').replace('0603551d1504030a0101', '0603551d1504030a0501');
    assert.notEqual(broken, hex);
    const read = parseCrl(new Uint8Array(Buffer.from(broken, 'hex')));
    assert.equal(read.crlNumber, undefined);
    assert.deepEqual(read.revoked.map((e) => [e.serialNumber, e.reason]), [['0a', 'unspecified']]);
  });

  it('uses UTCTime up to 2049 and GeneralizedTime from 2050, and keeps CRL numbers 0 and beyond 2^53', async () => {
    // A UTCTime of 2050 would read back as 1950: the switch has to happen exactly at the year boundary.
    const thisUpdate = new Date('2049-12-31T23:59:59Z');
    const nextUpdate = new Date('2050-01-01T00:00:00Z');
    const crl = await ca.crl({ crlNumber: 2n ** 70n, thisUpdate, nextUpdate, revoked: [{ serialNumber: '01', revocationDate: nextUpdate }] });
    const read = parseCrl(crl);
    assert.deepEqual([read.thisUpdate, read.nextUpdate, read.crlNumber, read.revoked[0]?.revocationDate], [thisUpdate, nextUpdate, 2n ** 70n, nextUpdate]);
    const text = opensslVerifyCrl(crl, ca.root).output;
    assert.match(text, /Last Update: Dec 31 23:59:59 2049 GMT/);
    assert.match(text, /Next Update: Jan {2}1 00:00:00 2050 GMT/);
    assert.equal(parseCrl(await ca.crl(template([], 0))).crlNumber, 0n, 'the first CRL may be number 0');
  });

  it('reads serials back as the certificate gives them: no leading zero byte, inner zeros kept', async () => {
    // 80 is written 00 80 (a high bit needs a zero byte before it); 1200ab and 100 have zeros that are digits.
    const serials = ['80', 'ff01', '1200ab', '100', '10', '7f'];
    const crl = await ca.crl(template(serials.map((serialNumber) => ({ serialNumber, revocationDate: now }))));
    assert.deepEqual(parseCrl(crl).revoked.map((e) => e.serialNumber), ['80', 'ff01', '1200ab', '0100', '10', '7f'], 'whole bytes, as serialNumberHex');
    assert.equal(opensslVerifyCrl(crl, ca.root).ok, true);
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
    // Current from its thisUpdate to its nextUpdate, both instants included (the CRL keeps whole seconds).
    const second = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000);
    assert.equal((await verifyCrl(crl, ca.root, second(now))).valid, true, 'at thisUpdate');
    assert.equal((await verifyCrl(crl, ca.root, second(new Date(now.getTime() + 7 * DAY)))).valid, true, 'at nextUpdate');
    assert.deepEqual(await verifyCrl(crl, ca.root, new Date(second(now).getTime() - 1)), { valid: false, problem: 'NOT_YET_VALID' });
    assert.deepEqual(await verifyCrl(crl, ca.root, new Date(second(new Date(now.getTime() + 7 * DAY)).getTime() + 1)), { valid: false, problem: 'STALE' });
    // A signature algorithm pkijs does not know (ecdsa-with-SHA256's OID with its last arc changed) makes it throw:
    // the CRL is refused as unsigned, not with an exception.
    const unknownAlgorithm = Buffer.from(Buffer.from(crl).toString('hex').replaceAll('06082a8648ce3d040302', '06082a8648ce3d040309'), 'hex');
    assert.deepEqual(await verifyCrl(new Uint8Array(unknownAlgorithm), ca.root, now), { valid: false, problem: 'SIGNATURE_INVALID' });
    assert.deepEqual(await verifyCrl(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), ca.root, now), { valid: false, problem: 'MALFORMED' });

    const key = await keyPair();
    const otherRoot = await issueCertificate(
      { subject: { C: 'CN', CN: '别的CA' }, publicKey: key.spki, notBefore: now, notAfter: new Date(now.getTime() + DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true },
      { signer: key.signer },
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
      [template([{ serialNumber: 'zz0a', revocationDate: now }]), /not 1-40 hex digits/],
      [template([{ serialNumber: '0azz', revocationDate: now }]), /not 1-40 hex digits/],
      [template([{ serialNumber: '1'.repeat(41), revocationDate: now }]), /not 1-40 hex digits/],
      [template([{ serialNumber: 'ab', revocationDate: new Date(Number.NaN) }]), /every revocationDate must be a valid Date/],
      [template([{ serialNumber: 'ab', revocationDate: now, reason: 'lost' as never }]), /unknown reason/],
      [template([{ serialNumber: 'ab', revocationDate: now, reason: 'toString' as never }]), /unknown reason/],
    ];
    for (const [bad, message] of refusals) await assert.rejects(ca.crl(bad), message);

    const key = await keyPair();
    const endEntity = await ca.issue({ C: 'CN', CN: '王五' }, key.spki);
    await assert.rejects(issueCrl(template([]), { certificate: endEntity, signer: key.signer }), /cRLSign/);
  });
});
