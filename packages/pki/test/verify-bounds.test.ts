// What a stranger's input may make the verifier keep, and when: memory is bounded in bytes, not only in entries
// (any CMS may carry any certificates and attributes, kept before its signature is checked), and verifyMany judges
// each item as it stood when the call was made.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { closeVerifyPool, createSignedData, exactBuffer, verifyMany, verifySignedData, type VerifyManyItem } from '../src/index.js';
import { certificateCacheBytes, MAX_CACHED_CERTIFICATE_BYTES } from '../src/certificate-cache.js';
import { certificateHash, recall } from '../src/certificate-hash.js';
import { verifySignedDataReference } from '../src/cms-verify-reference.js';
import { strictMemoBytes } from '../src/der-strict.js';
import { LruMap } from '../src/lru.js';
import { holder, rewritten, ZHANG, type Holder } from './support/verify-corpus.js';
import { createTestCa, type TestCa } from './support/test-ca.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** `certificate` with a non-critical extension of `size` bytes added (its signature no longer matches: irrelevant here). */
function enlarged(certificate: Uint8Array, size: number, seed: number): Uint8Array {
  const parsed = pkijs.Certificate.fromBER(exactBuffer(certificate));
  const filler = new Uint8Array(size).fill(seed & 0xff);
  filler.set(new Uint8Array(new Uint32Array([seed]).buffer), size - 4);
  parsed.extensions = [...(parsed.extensions ?? []), new pkijs.Extension({ extnID: '1.2.3.4.5', critical: false, extnValue: new asn1js.OctetString({ valueHex: filler }).toBER() })];
  return new Uint8Array(parsed.toSchema(true).toBER());
}

describe('verification memory is bounded in bytes', () => {
  let ca: TestCa;
  let zhang: Holder;
  const content = utf8('{"declaration":"A","insured":"张三","personal":"640.00"}');
  before(async () => {
    ca = await createTestCa();
    zhang = await holder(ca);
  });

  it('an LRU with a weight budget evicts the oldest entries until the weights fit', () => {
    const lru = new LruMap<string, Uint8Array>(100, 1_000, (v) => v.length);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, new Uint8Array(300));
    assert.ok(lru.weight <= 1_000, `weight ${lru.weight}`);
    assert.equal(lru.size, 3);
    assert.equal(lru.get('k0'), undefined);
    assert.ok(lru.get('k9'));
  });

  it('keeps no certificate larger than the cache takes, nor its encoding, and still gives the reference verdict', async () => {
    const good = await createSignedData({ content, certificate: zhang.certificate }, zhang.signer);
    const options = { content, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] };
    await verifySignedData(good, options);
    const before = certificateCacheBytes();
    for (let i = 0; i < 8; i++) {
      const big = enlarged(zhang.certificate, 64 * 1024 + i, i);
      assert.ok(big.length > MAX_CACHED_CERTIFICATE_BYTES);
      const cms = rewritten(good, (signedData) => signedData.certificates!.push(pkijs.Certificate.fromBER(exactBuffer(big))));
      const verdict = await verifySignedData(cms, options);
      const reference = await verifySignedDataReference(cms, options);
      assert.deepEqual({ valid: verdict.valid, problem: verdict.problem }, { valid: reference.valid, problem: reference.problem });
      assert.equal(recall(big), undefined, 'the large encoding is not remembered');
    }
    assert.ok(certificateCacheBytes() - before < 8 * 1024, `the cache grew by ${certificateCacheBytes() - before} bytes`);
  });

  it('hashes an encoding larger than any certificate every time rather than keeping it (trust anchors too)', async () => {
    const large = new Uint8Array(64 * 1024).fill(7);
    await certificateHash(large);
    assert.equal(recall(large), undefined);
    const small = new Uint8Array(1024).fill(7);
    await certificateHash(small);
    assert.ok(recall(small), 'an ordinary size is remembered');
  });

  it('does not memoise large attribute values', async () => {
    const memo = strictMemoBytes();
    for (let i = 0; i < 8; i++) {
      const value = new Uint8Array(256 * 1024).fill(i + 1);
      const cms = await createSignedData({ content, certificate: zhang.certificate }, zhang.signer);
      // An unsigned attribute of 256 KiB, distinct each time, the kind a stranger may add to any CMS.
      const padded = rewritten(cms, (signedData) => {
        signedData.signerInfos[0]!.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
          type: 1,
          attributes: [new pkijs.Attribute({ type: '1.2.3.5', values: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: value })] })] })],
        });
      });
      assert.equal((await verifySignedData(padded, { content, expectedSigner: { serialNumber: ZHANG }, trustedRoots: [ca.root] })).valid, true);
    }
    assert.ok(strictMemoBytes() - memo < 64 * 1024, `the memo grew by ${strictMemoBytes() - memo} bytes`);
  });
});

describe('verifyMany judges the items as they were when it was called', () => {
  let ca: TestCa;
  let zhang: Holder;
  after(() => closeVerifyPool());
  before(async () => {
    ca = await createTestCa();
    zhang = await holder(ca);
  });

  for (const count of [4, 64]) {
    it(`${count} items changed by the caller while the call runs (${count < 8 ? 'in the calling thread' : 'on threads'})`, async () => {
      const signed = utf8('pay 999');
      const cms = await createSignedData({ content: signed, certificate: zhang.certificate }, zhang.signer);
      const items: VerifyManyItem[] = Array.from({ length: count }, () => ({ cms: cms.slice(), content: utf8('pay 100'), expectedSigner: { serialNumber: ZHANG } }));
      const pending = verifyMany(items, { trustedRoots: [ca.root] });
      for (const item of items) item.content!.set(signed);
      const verdicts = await pending;
      assert.deepEqual(new Set(verdicts.map((v) => v.problem)), new Set(['DIGEST_MISMATCH']), 'every item judged as given: other content than signed');
    });
  }

  it('answers MALFORMED for an item whose bytes were transferred away, and verifies the others', async () => {
    const cms = await createSignedData({ content: utf8('A'), certificate: zhang.certificate }, zhang.signer);
    const items: VerifyManyItem[] = Array.from({ length: 16 }, () => ({ cms: cms.slice(), content: utf8('A'), expectedSigner: { serialNumber: ZHANG } }));
    structuredClone(items[3]!.cms.buffer, { transfer: [items[3]!.cms.buffer] });
    const verdicts = await verifyMany(items, { trustedRoots: [ca.root] });
    assert.equal(verdicts[3]!.problem, 'MALFORMED');
    assert.equal(verdicts.filter((v) => v.valid).length, 15);
  });
});
