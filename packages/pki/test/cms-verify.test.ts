// verifySignedData bound to what, who and when: each hostile case is a real signature, refused with its own code.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  createSignedData,
  sha256,
  toBase64,
  verifySignedData,
  webCryptoSigner,
  type CertificateTemplate,
  type MessageSigner,
  type NameAttributes,
  type VerifyOptions,
} from '../src/index.js';
import { hostileSignedData } from './support/hostile-cms.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from './support/test-ca.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZHANG = 'SHA256:zhangsan';
const LI = 'SHA256:lisi';
const USCC = '91110000600037341L';
const utf8 = (text: string) => new TextEncoder().encode(text);

interface Holder {
  certificate: Uint8Array;
  signer: MessageSigner;
  privateKey: CryptoKey;
}

describe('verifySignedData: binding to content, signer and time', () => {
  let ca: TestCa;
  let zhang: Holder;
  let li: Holder;
  const declarationA = utf8('{"declaration":"A","insured":"张三","personal":"640.00"}');
  const declarationB = utf8('{"declaration":"B","insured":"张三","personal":"6400.00"}');

  async function holder(subject: NameAttributes, overrides: Partial<CertificateTemplate> = {}): Promise<Holder> {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    return { certificate: await ca.issue(subject, spki, overrides), signer: webCryptoSigner(keys.privateKey), privateKey: keys.privateKey };
  }

  function options(content: Uint8Array, extra: Partial<VerifyOptions> = {}): VerifyOptions {
    return { content, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root], ...extra } as VerifyOptions;
  }

  before(async () => {
    ca = await createTestCa();
    zhang = await holder({ C: 'CN', serialNumber: ZHANG, CN: '张三' });
    li = await holder({ C: 'CN', serialNumber: LI, CN: '李四' });
  });

  it('accepts the expected person signing the expected content, detached, attached or by digest; OpenSSL agrees', async () => {
    const detached = await createSignedData({ content: declarationA, certificate: zhang.certificate }, zhang.signer);
    const attached = await createSignedData({ content: declarationA, certificate: zhang.certificate, attached: true }, zhang.signer);
    for (const cms of [detached, attached]) {
      const result = await verifySignedData(cms, options(declarationA));
      assert.equal(result.valid, true, result.message);
      assert.equal(result.signer?.subjectCommonName, '张三');
    }
    const byDigest = await verifySignedData(attached, { contentDigest: await sha256(declarationA), expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] });
    assert.equal(byDigest.valid, true, byDigest.message);
    assert.equal(byDigest.message, 'signature verified');
    assert.deepEqual(byDigest.content, declarationA, 'checked by digest, the attached content is handed back');
    assert.equal(opensslVerifyCms(detached, ca.root, declarationA).ok, true);
    assert.equal(opensslVerifyCms(attached, ca.root).ok, true);
  });

  it('refuses an attached signature over other content than the one expected (CONTENT_MISMATCH)', async () => {
    const signedA = await createSignedData({ content: declarationA, certificate: zhang.certificate, attached: true }, zhang.signer);
    assert.equal(opensslVerifyCms(signedA, ca.root).ok, true, 'a genuine signature, only over A');
    const mismatch = await verifySignedData(signedA, options(declarationB));
    assert.equal(mismatch.problem, 'CONTENT_MISMATCH');
    assert.ok(mismatch.signingTime instanceof Date, 'a refusal still reports the claimed signingTime');
    assert.match(mismatch.message, /attached content is not the content expected/);
    const byDigest = await verifySignedData(signedA, { contentDigest: await sha256(declarationB), expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] });
    assert.equal(byDigest.problem, 'CONTENT_MISMATCH');
  });

  it('refuses a messageDigest of other content, attached or detached (DIGEST_MISMATCH)', async () => {
    const otherDigest = await sha256(declarationB);
    const attached = await createSignedData({ content: declarationA, digest: otherDigest, certificate: zhang.certificate, attached: true }, zhang.signer);
    const attachedResult = await verifySignedData(attached, options(declarationA));
    assert.equal(attachedResult.problem, 'DIGEST_MISMATCH');
    assert.ok(attachedResult.signingTime instanceof Date);
    assert.match(attachedResult.message, /messageDigest is not the digest of the expected content/);
    assert.deepEqual(attachedResult.content, declarationA, 'the content is handed back for the record');
    const detached = await createSignedData({ digest: otherDigest, certificate: zhang.certificate }, zhang.signer);
    assert.equal((await verifySignedData(detached, options(declarationA))).problem, 'DIGEST_MISMATCH');
  });

  it('refuses another holder’s valid certificate, and checks organisations and exact certificates (WRONG_SIGNER)', async () => {
    const byLi = await createSignedData({ content: declarationA, certificate: li.certificate }, li.signer);
    const refused = await verifySignedData(byLi, options(declarationA));
    assert.equal(refused.problem, 'WRONG_SIGNER');
    assert.match(refused.message, /someone else/);
    assert.equal(refused.signer?.subjectCommonName, '李四');
    assert.equal((await verifySignedData(byLi, options(declarationA, { expectedSigner: { serialNumber: LI } }))).valid, true);
    assert.equal((await verifySignedData(byLi, options(declarationA, { expectedSigner: { certificate: zhang.certificate } }))).problem, 'WRONG_SIGNER');
    assert.equal((await verifySignedData(byLi, options(declarationA, { expectedSigner: { certificate: li.certificate } }))).valid, true);

    const company = await holder({ C: 'CN', O: '示例科技有限公司', organizationIdentifier: USCC, CN: '示例科技有限公司 (李四)' });
    const byCompany = await createSignedData({ content: declarationA, certificate: company.certificate }, company.signer);
    assert.equal((await verifySignedData(byCompany, options(declarationA, { expectedSigner: { organizationIdentifier: USCC } }))).valid, true);
    assert.equal((await verifySignedData(byCompany, options(declarationA, { expectedSigner: { organizationIdentifier: '91350100M000100Y43' } }))).problem, 'WRONG_SIGNER');
    assert.equal((await verifySignedData(byCompany, options(declarationA))).problem, 'WRONG_SIGNER');
  });

  it('judges the certificate at the server’s time, not at the signingTime the signer claims', async () => {
    const now = Date.now();
    const expired = await holder({ serialNumber: ZHANG, CN: '张三' }, { notBefore: new Date(now - DAY), notAfter: new Date(now - HOUR) });
    const backDated = await createSignedData({ content: declarationA, certificate: expired.certificate, signingTime: new Date(now - 2 * HOUR) }, expired.signer);
    assert.equal((await verifySignedData(backDated, options(declarationA))).problem, 'CERT_EXPIRED');
    const honest = await createSignedData({ content: declarationA, certificate: expired.certificate }, expired.signer);
    assert.equal((await verifySignedData(honest, options(declarationA))).problem, 'CERT_EXPIRED');

    const future = await holder({ serialNumber: ZHANG, CN: '张三' }, { notBefore: new Date(now + DAY), notAfter: new Date(now + 365 * DAY) });
    const postDated = await createSignedData({ content: declarationA, certificate: future.certificate, signingTime: new Date(now + 2 * DAY) }, future.signer);
    assert.equal((await verifySignedData(postDated, options(declarationA))).problem, 'CERT_NOT_YET_VALID');
  });

  it('refuses a signingTime far from the time of receipt, and re-verifies an archived signature at its stored receipt time', async () => {
    const hourAgo = new Date(Date.now() - HOUR);
    const old = await createSignedData({ content: declarationA, certificate: zhang.certificate, signingTime: hourAgo }, zhang.signer);
    const refused = await verifySignedData(old, options(declarationA));
    assert.equal(refused.problem, 'SIGNING_TIME_SKEW');
    assert.equal(refused.signingTime?.getTime(), Math.floor(hourAgo.getTime() / 1000) * 1000);
    const archived = await verifySignedData(old, options(declarationA, { now: new Date(hourAgo.getTime() + 30_000) }));
    assert.equal(archived.valid, true, archived.message);
    const postDated = await createSignedData({ content: declarationA, certificate: zhang.certificate, signingTime: new Date(Date.now() + HOUR) }, zhang.signer);
    assert.equal((await verifySignedData(postDated, options(declarationA))).problem, 'SIGNING_TIME_SKEW');
    const slightlyOff = await createSignedData({ content: declarationA, certificate: zhang.certificate, signingTime: new Date(Date.now() - 4 * 60_000) }, zhang.signer);
    assert.equal((await verifySignedData(slightlyOff, options(declarationA))).valid, true, 'within the default five minutes');
    assert.equal((await verifySignedData(slightlyOff, options(declarationA, { maxClockSkewMs: 60_000 }))).problem, 'SIGNING_TIME_SKEW');
  });

  it('refuses a certificate not meant for signatures: keyEncipherment only, or no keyUsage at all (KEY_USAGE_INVALID)', async () => {
    for (const keyUsage of [['keyEncipherment'], []] as const) {
      const encryption = await holder({ serialNumber: ZHANG, CN: '张三' }, { keyUsage: [...keyUsage] });
      const cms = await createSignedData({ content: declarationA, certificate: encryption.certificate }, encryption.signer);
      const result = await verifySignedData(cms, options(declarationA));
      assert.equal(result.problem, 'KEY_USAGE_INVALID', keyUsage.join() || 'no keyUsage');
      assert.match(result.message, /not for digital signatures/);
    }
    const digitalSignature = await holder({ serialNumber: ZHANG, CN: '张三' }, { keyUsage: ['digitalSignature'] });
    const signedWithIt = await createSignedData({ content: declarationA, certificate: digitalSignature.certificate }, digitalSignature.signer);
    assert.equal((await verifySignedData(signedWithIt, options(declarationA))).valid, true);
    const nonRepudiation = await holder({ serialNumber: ZHANG, CN: '张三' }, { keyUsage: ['nonRepudiation'] });
    const cms = await createSignedData({ content: declarationA, certificate: nonRepudiation.certificate }, nonRepudiation.signer);
    assert.equal((await verifySignedData(cms, options(declarationA))).valid, true);
  });

  it('refuses SHA-1 and any content type but id-data; finds a signer named by key identifier', async () => {
    const sha1 = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-1' });
    const sha1Result = await verifySignedData(sha1, options(declarationA));
    assert.equal(sha1Result.problem, 'UNSUPPORTED_DIGEST');
    assert.ok(sha1Result.signingTime instanceof Date);
    assert.match(sha1Result.message, /SHA-256 or stronger is required/);
    const sha256Control = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256' });
    assert.equal((await verifySignedData(sha256Control, options(declarationA))).valid, true, 'the same builder with SHA-256 verifies');
    const byKeyId = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', bySubjectKeyIdentifier: true });
    const keyIdResult = await verifySignedData(byKeyId, options(declarationA));
    assert.equal(keyIdResult.valid, true, `a signer named by subject key identifier: ${keyIdResult.message}`);
    assert.equal((await verifySignedData(byKeyId, options(declarationA, { expectedSigner: { serialNumber: LI } }))).problem, 'WRONG_SIGNER');
    const tstInfo = '1.2.840.113549.1.9.16.1.4'; // pkijs would take its checkDate from such content
    const otherType = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', eContentType: tstInfo, attached: true });
    const otherTypeResult = await verifySignedData(otherType, options(declarationA));
    assert.equal(otherTypeResult.problem, 'CONTENT_TYPE_MISMATCH');
    assert.ok(otherTypeResult.signingTime instanceof Date);
    assert.match(otherTypeResult.message, /id-data in both is required/);
    const attributeDiffers = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', contentTypeAttribute: tstInfo });
    assert.equal((await verifySignedData(attributeDiffers, options(declarationA))).problem, 'CONTENT_TYPE_MISMATCH');
  });

  it('refuses a repeated signed attribute and more than one signer (MALFORMED): which one counts is ambiguous', async () => {
    const signed = { content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256' } as const;
    for (const repeated of ['signingTime', 'messageDigest', 'contentType'] as const) {
      const result = await verifySignedData(await hostileSignedData({ ...signed, repeated }), options(declarationA));
      assert.equal(result.problem, 'MALFORMED', `${repeated} twice: ${result.message}`);
      assert.match(result.message, /repeated/);
    }
    for (const multiValued of ['signingTime', 'messageDigest', 'contentType'] as const) {
      const result = await verifySignedData(await hostileSignedData({ ...signed, multiValued }), options(declarationA));
      assert.equal(result.problem, 'MALFORMED', `${multiValued} with two values: ${result.message}`);
      assert.match(result.message, /several values/);
    }
    const twoSigners = await verifySignedData(await hostileSignedData({ ...signed, signers: 2 }), options(declarationA));
    assert.equal(twoSigners.problem, 'MALFORMED', twoSigners.message);
    assert.match(twoSigners.message, /exactly one signer/);
    assert.equal((await verifySignedData(await hostileSignedData({ ...signed, signers: 1 }), options(declarationA))).valid, true, 'the control');
  });

  it('refuses a signature that the certificate in the CMS did not make (SIGNATURE_INVALID); OpenSSL agrees', async () => {
    // 李四's key, 张三's certificate: everything else is right, so only the signature check can refuse it.
    const ours = await createSignedData({ content: declarationA, certificate: zhang.certificate }, li.signer);
    const hostile = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: li.privateKey, hash: 'SHA-256' });
    for (const cms of [ours, hostile]) {
      const result = await verifySignedData(cms, options(declarationA));
      assert.equal(result.valid, false);
      assert.equal(result.problem, 'SIGNATURE_INVALID', result.message);
      assert.match(result.message, /signature does not match/);
      assert.equal(opensslVerifyCms(cms, ca.root, declarationA).ok, false);
    }
    // The control: the same builder with the certificate's own key verifies.
    const control = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256' });
    assert.equal((await verifySignedData(control, options(declarationA))).valid, true);
  });

  it('refuses a signature without contentType, messageDigest or signingTime, or without signed attributes (MISSING_ATTRIBUTES)', async () => {
    const all = ['contentType', 'signingTime', 'messageDigest'] as const;
    for (const missing of all) {
      const cms = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', signedAttributes: all.filter((a) => a !== missing) });
      const result = await verifySignedData(cms, options(declarationA));
      assert.equal(result.problem, 'MISSING_ATTRIBUTES', `without ${missing}: ${result.message}`);
      assert.match(result.message, /required signed attributes/);
    }
    for (const attached of [false, true]) {
      const bare = await hostileSignedData({ content: declarationA, certificate: zhang.certificate, privateKey: zhang.privateKey, hash: 'SHA-256', signedAttributes: [], attached });
      // A real signature over the content itself: OpenSSL accepts it, the portal must not (no signingTime to bind).
      assert.equal(opensslVerifyCms(bare, ca.root, attached ? undefined : declarationA).ok, true, 'OpenSSL verifies the bare signature');
      assert.equal((await verifySignedData(bare, options(declarationA))).problem, 'MISSING_ATTRIBUTES');
    }
  });

  it('throws when the caller leaves out the expected content or signer', async () => {
    const cms = await createSignedData({ content: declarationA, certificate: zhang.certificate }, zhang.signer);
    const loose = { trustedRoots: [ca.root], expectedSigner: { serialNumber: ZHANG } } as unknown as VerifyOptions;
    await assert.rejects(verifySignedData(cms, loose), TypeError);
    await assert.rejects(verifySignedData(cms, { content: declarationA, trustedRoots: [ca.root] } as unknown as VerifyOptions), TypeError);
    await assert.rejects(verifySignedData(cms, { contentDigest: new Uint8Array(20), expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] }), TypeError);
  });

  it('throws on a blank signer binding, an invalid clock or skew, instead of switching a check off', async () => {
    const cms = await createSignedData({ content: declarationA, certificate: zhang.certificate }, zhang.signer);
    const base = { content: declarationA, trustedRoots: [ca.root] };
    const blanks: unknown[] = [{}, [], { serialNumber: undefined }, { serialNumber: '' }, { organizationIdentifier: undefined }, { certificate: new Uint8Array() }, { serialNumber: ZHANG, organizationIdentifier: '' }];
    for (const expectedSigner of blanks) {
      await assert.rejects(verifySignedData(cms, { ...base, expectedSigner } as unknown as VerifyOptions), TypeError, JSON.stringify(expectedSigner));
    }
    const signer = { expectedSigner: { serialNumber: ZHANG } };
    await assert.rejects(verifySignedData(toBase64(cms) as unknown as Uint8Array, { ...base, ...signer }), TypeError, 'base64 given as it came from the page');
    await assert.rejects(verifySignedData(cms, { ...base, ...signer, now: new Date(Number.NaN) }), TypeError);
    await assert.rejects(verifySignedData(cms, { ...base, ...signer, maxClockSkewMs: Number.NaN }), TypeError);
    await assert.rejects(verifySignedData(cms, { ...base, ...signer, maxClockSkewMs: -1 }), TypeError);
    assert.equal((await verifySignedData(cms, { ...base, ...signer, maxClockSkewMs: 60_000 })).valid, true);
  });
});
