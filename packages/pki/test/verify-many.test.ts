// verifyMany: the single call's verdicts, item for item, in order, over worker threads (the built Node variant
// of #verify-many, as a portal backend loads it) and in the calling thread for a handful of items.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as pkijs from 'pkijs';
import { closeVerifyPool, verifyMany, verifySignedData, type SignedDataVerification, type VerifyManyItem, type VerifyManyOptions } from '../src/index.js';
import { buildCorpus, type Corpus } from './support/verify-many-corpus.js';

/** What the single call answers for `item` under the same shared options. */
function oneByOne(items: readonly VerifyManyItem[], options: VerifyManyOptions & { now: Date }): Promise<SignedDataVerification[]> {
  return Promise.all(
    items.map((item) => {
      const { cms, now, ...binding } = item;
      const { threads: _threads, ...shared } = options;
      return verifySignedData(cms, { ...shared, ...binding, now: now ?? options.now });
    }),
  );
}

/** The corpus `times` over, in an order that interleaves good and bad signatures. */
function shuffled(corpus: Corpus, times: number): VerifyManyItem[] {
  const items = Array.from({ length: times }, () => corpus.entries.map((entry) => entry.item)).flat();
  return items.map((item, index) => ({ item, key: (index * 7919) % items.length })).sort((x, y) => x.key - y.key).map(({ item }) => item);
}

describe('verifyMany', () => {
  let corpus: Corpus;
  before(async () => {
    corpus = await buildCorpus();
  });
  after(() => closeVerifyPool());

  it('gives each item the verdict verifySignedData gives it, for every problem code, in the items’ order', async () => {
    const now = new Date();
    const options = { trustedRoots: [corpus.ca.root], now, threads: 2 };
    const items = corpus.entries.map((entry) => entry.item);
    const results = await verifyMany(items, options);
    assert.deepEqual(
      results.map((r) => r.problem ?? 'valid'),
      corpus.entries.map((e) => e.expected),
    );
    assert.deepEqual(results, await oneByOne(items, options), 'field for field, messages, summaries and dates included');
    const mixed = shuffled(corpus, 5);
    assert.deepEqual(await verifyMany(mixed, options), await oneByOne(mixed, options));
  });

  it('hands back the content an item gave as the same array, and an attached one checked by digest', async () => {
    const items = corpus.entries.map((entry) => entry.item);
    const results = await verifyMany(items, { trustedRoots: [corpus.ca.root], threads: 2 });
    const detached = results[0]!;
    assert.equal(detached.content, items[0]!.content, 'not a copy: the caller’s own bytes');
    assert.deepEqual(results[1]!.content, new TextEncoder().encode('{"declaration":"A","insured":"张三","personal":"640.00"}'));
  });

  it('asks isRevoked on the calling thread, once per distinct signer certificate, only for otherwise valid signatures (REVOKED)', async () => {
    const now = new Date();
    const items = shuffled(corpus, 3);
    const asked: { serial: string; certificate: pkijs.Certificate }[] = [];
    const isRevoked = (serial: string, certificate: pkijs.Certificate) => {
      asked.push({ serial, certificate });
      return Promise.resolve(new Uint8Array(certificate.toSchema().toBER()).every((byte, i) => byte === corpus.zhang.certificate[i]));
    };
    const options = { trustedRoots: [corpus.ca.root], now, isRevoked, threads: 2 };
    const results = await verifyMany(items, options);
    assert.equal(asked.length, 2, 'two signers are valid apart from revocation: 张三 and 李四, asked once each');
    assert.ok(asked.every(({ serial, certificate }) => certificate instanceof pkijs.Certificate && /^[0-9a-f]+$/.test(serial)));
    assert.deepEqual(results, await oneByOne(items, options));
    assert.ok(results.some((r) => r.problem === 'REVOKED'), '张三’s valid signatures are refused');
    assert.ok(results.some((r) => r.valid), '李四’s are not');
  });

  it('runs a handful of items in the calling thread with the same verdicts', async () => {
    const options = { trustedRoots: [corpus.ca.root], now: new Date() };
    const few = corpus.entries.slice(0, 5).map((entry) => entry.item);
    assert.deepEqual(await verifyMany(few, options), await oneByOne(few, options));
  });

  it('answers an empty list with an empty list', async () => {
    assert.deepEqual(await verifyMany([], { trustedRoots: [corpus.ca.root] }), []);
  });

  it('refuses an item without its binding with a TypeError naming the item, before any work', async () => {
    const good = corpus.entries[0]!.item;
    const options = { trustedRoots: [corpus.ca.root] };
    const cases: [unknown, RegExp][] = [
      [{ cms: good.cms, expectedSigner: good.expectedSigner }, /item 2: pass the expected content or contentDigest/],
      [{ cms: good.cms, contentDigest: new Uint8Array(20), expectedSigner: good.expectedSigner }, /item 2: contentDigest must be a SHA-256 digest/],
      [{ cms: good.cms, content: good.content }, /item 2: pass the expectedSigner/],
      [{ cms: good.cms, content: good.content, expectedSigner: { serialNumber: ' ' } }, /item 2: pass the expectedSigner/],
      [{ cms: 'MIAGCSqGSIb3DQEHAqCAMIACAQEx', content: good.content, expectedSigner: good.expectedSigner }, /item 2: pass the CMS as DER bytes/],
      [{ ...good, now: new Date(NaN) }, /item 2: now must be a valid Date/],
      [null, /item 2: pass an object/],
    ];
    for (const [bad, message] of cases) {
      const items = [good, good, bad, good] as VerifyManyItem[];
      await assert.rejects(verifyMany(items, options), (error: Error) => error instanceof TypeError && message.test(error.message));
    }
    await assert.rejects(verifyMany([good], { trustedRoots: [corpus.ca.root], maxClockSkewMs: -1 }), TypeError);
    await assert.rejects(verifyMany([good], { trustedRoots: [corpus.ca.root], threads: 0 }), /threads must be a whole number/);
    await assert.rejects(verifyMany([good], {} as VerifyManyOptions), /trustedRoots must be an array/);
  });
});
