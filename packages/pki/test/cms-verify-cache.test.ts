// The fast path's caches may save work, never change an answer: a chain result is not trusted across another set
// of anchors or outside the window it holds for, a refusal is never kept as a success, revocation is asked every
// time, and what a caller is handed cannot reach back into the cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as pkijs from 'pkijs';
import { createSignedData, issueCertificate, verifySignedData, webCryptoSigner, type MessageSigner, type VerifyOptions } from '../src/index.js';
import { verifyFast } from '../src/cms-verify-fast.js';
import { chainCacheSize } from '../src/chain-cache.js';
// The same module instance the fast path uses: the package's own conditional import.
import { backend } from '#verify-backend';
import { createTestCa, type TestCa } from './support/test-ca.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZHANG = 'SHA256:zhangsan';
const declaration = new TextEncoder().encode('{"declaration":"A","insured":"张三","personal":"640.00"}');

async function p256(): Promise<{ spki: Uint8Array; signer: MessageSigner }> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  return { spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)), signer: webCryptoSigner(keys.privateKey) };
}

/** Counts calls to a method on a prototype (or a static on a class) until `restore`. */
function spy<T extends object>(target: T, name: keyof T & string): { count: () => number; restore: () => void } {
  const original = target[name] as (...args: unknown[]) => unknown;
  let calls = 0;
  (target as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    calls++;
    return original.apply(this, args);
  };
  return { count: () => calls, restore: () => ((target as Record<string, unknown>)[name] = original) };
}

describe('verifySignedData: the fast path caches', () => {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  let ca: TestCa;
  let other: TestCa;
  let root: Uint8Array;
  let intermediate: Uint8Array;
  let signerCertificate: Uint8Array;
  let signer: MessageSigner;
  const options = (extra: Partial<VerifyOptions> = {}): VerifyOptions => ({ content: declaration, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [root], now, ...extra }) as VerifyOptions;
  const signedAt = (signingTime: Date) => createSignedData({ content: declaration, certificate: signerCertificate, chain: [intermediate], signingTime }, signer);

  before(async () => {
    ca = await createTestCa();
    other = await createTestCa();
    // A root, an intermediate that expires in two days, and a signer below it valid for a year: the chain holds
    // for two days only, the signer's own validity for longer.
    const rootKey = await p256();
    root = await issueCertificate({ subject: { C: 'CN', CN: 'Cache Root' }, publicKey: rootKey.spki, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 3650 * DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true }, { signer: rootKey.signer });
    const middleKey = await p256();
    intermediate = await issueCertificate({ subject: { C: 'CN', CN: 'Cache Issuing CA' }, publicKey: middleKey.spki, notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 2 * DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true }, { certificate: root, signer: rootKey.signer });
    const own = await p256();
    signer = own.signer;
    signerCertificate = await issueCertificate({ subject: { C: 'CN', serialNumber: ZHANG, CN: '张三' }, publicKey: own.spki, notBefore: new Date(now.getTime() - HOUR), notAfter: new Date(now.getTime() + 365 * DAY), keyUsage: ['digitalSignature'] }, { certificate: intermediate, signer: middleKey.signer });
  });

  const engine = spy(pkijs.CertificateChainValidationEngine.prototype, 'verify');
  const parses = spy(pkijs.Certificate, 'fromBER');
  const imports = spy(backend, 'importKey');
  after(() => {
    engine.restore();
    parses.restore();
    imports.restore();
  });

  it('validates a chain once and a signer certificate once, then answers from the cache', async () => {
    const cms = await signedAt(now);
    assert.equal((await verifyFast(cms, options()))?.valid, true, 'the fast path judges it');
    const [runs, parsed, imported] = [engine.count(), parses.count(), imports.count()];
    assert.equal(imported, 1, 'the signer key imported once');
    for (let i = 0; i < 3; i++) assert.equal((await verifySignedData(cms, options())).valid, true);
    assert.equal(engine.count(), runs, 'no chain validation for a signer seen before');
    assert.equal(parses.count(), parsed, 'no certificate parse for a signer seen before');
    assert.equal(imports.count(), imported, 'no key import for a signer seen before');
  });

  it('never trusts a kept chain across another set of anchors', async () => {
    const cms = await signedAt(now);
    assert.equal((await verifySignedData(cms, options())).valid, true);
    // Twice each: the second time every anchor has been seen, and a key without them would find the kept chain.
    for (let i = 0; i < 2; i++) {
      const otherAnchors = await verifySignedData(cms, options({ trustedRoots: [other.root] }));
      assert.equal(otherAnchors.problem, 'CHAIN_UNTRUSTED', 'the same signer and chain, under anchors that do not issue it');
      assert.equal((await verifySignedData(cms, options({ trustedRoots: [ca.root, other.root] }))).problem, 'CHAIN_UNTRUSTED');
    }
    assert.equal((await verifySignedData(cms, options({ trustedRoots: [other.root, root] }))).valid, true);
  });

  it('asks isRevoked on every call: a signer revoked after a good verification is refused', async () => {
    const cms = await signedAt(now);
    const asked: pkijs.Certificate[] = [];
    let revoked = false;
    const isRevoked = (_serial: string, certificate: pkijs.Certificate) => (asked.push(certificate), revoked);
    assert.equal((await verifySignedData(cms, options({ isRevoked }))).valid, true);
    revoked = true;
    assert.equal((await verifySignedData(cms, options({ isRevoked }))).problem, 'REVOKED');
    assert.equal(asked.length, 2);
    assert.equal(asked[0], asked[1], 'the same parsed certificate both times: parsed once per signer');
  });

  it('does not use a kept chain outside the window it holds for (past an intermediate’s notAfter)', async () => {
    assert.equal((await verifySignedData(await signedAt(now), options())).valid, true, 'kept at now');
    const later = new Date(now.getTime() + 3 * DAY);
    const result = await verifySignedData(await signedAt(later), options({ now: later }));
    assert.equal(result.problem, 'CHAIN_UNTRUSTED', 'the intermediate has expired; the signer has not');
    assert.equal(result.signer?.status, 'valid');
  });

  it('never keeps a refused chain as a good one', async () => {
    const withoutIntermediate = await createSignedData({ content: declaration, certificate: signerCertificate, signingTime: now }, signer);
    const size = chainCacheSize();
    for (let i = 0; i < 2; i++) assert.equal((await verifySignedData(withoutIntermediate, options())).problem, 'CHAIN_UNTRUSTED');
    assert.equal(chainCacheSize(), size);
    const runs = engine.count();
    assert.equal((await verifySignedData(withoutIntermediate, options())).problem, 'CHAIN_UNTRUSTED');
    assert.equal(engine.count(), runs + 1, 'a refusal is validated again every time');
  });

  it('hands out copies: changing a result does not change the next one; the status is computed per call', async () => {
    const cms = await signedAt(now);
    const first = await verifySignedData(cms, options());
    first.signerCertificate![0] = 0;
    first.signer!.keyUsage!.push('keyCertSign');
    first.signer!.serialNumber = 'ff';
    const second = await verifySignedData(cms, options({ expectedSigner: { certificate: signerCertificate } }));
    assert.equal(second.valid, true, second.message);
    assert.deepEqual(second.signerCertificate, signerCertificate);
    assert.deepEqual(second.signer?.keyUsage, ['digitalSignature']);
    const nearEnd = new Date(now.getTime() + 350 * DAY);
    const expiring = await verifySignedData(await signedAt(nearEnd), options({ now: nearEnd }));
    assert.equal(expiring.signer?.status, 'expiring', 'within 30 days of notAfter at that now');
  });
});
