// verifySignedData's fast path against its pkijs reference (verifySignedDataReference) over a corpus of good and
// bad signatures: every case must get the same verdict (valid, problem, signer serial), and the strict-DER cases
// must be judged by the fast path itself, not handed back to the reference.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { verifySignedData, type SignedDataVerification, type VerifyOptions } from '../src/index.js';
import { verifyFast } from '../src/cms-verify-fast.js';
import { verifySignedDataReference } from '../src/cms-verify-reference.js';
import { buildCorpus, flipped, type Corpus, type CorpusCase } from './support/verify-corpus.js';

type Outcome = { valid: boolean; problem: string | undefined; serial: string | undefined } | { threw: string };

async function outcome(verify: (cms: Uint8Array, options: VerifyOptions) => Promise<SignedDataVerification>, cms: Uint8Array, options: VerifyOptions): Promise<Outcome> {
  try {
    const result = await verify(cms, options);
    return { valid: result.valid, problem: result.problem, serial: result.signer?.serialNumber };
  } catch (error) {
    return { threw: (error as Error).name };
  }
}

async function compare(item: CorpusCase): Promise<Outcome> {
  const reference = await outcome(verifySignedDataReference, item.cms, item.options);
  const fast = await outcome(verifySignedData, item.cms, item.options);
  assert.deepEqual(fast, reference, `${item.name}: fast ${JSON.stringify(fast)}, reference ${JSON.stringify(reference)}`);
  return reference;
}

/** A small seeded generator (mulberry32): the same mutations on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('verifySignedData: fast path and reference agree', () => {
  let corpus: Corpus;

  before(async () => {
    corpus = await buildCorpus();
  });

  it('gives every corpus case the reference verdict, and judges the strict-DER ones itself', async () => {
    const problems = new Set<string>();
    for (const item of corpus.cases) {
      const verdict = await compare(item);
      if ('problem' in verdict) problems.add(verdict.problem ?? 'valid');
      const fast = await verifyFast(item.cms, item.options);
      if (item.fast) assert.ok(fast, `${item.name}: the fast path answers strict DER itself`);
    }
    // The corpus reaches every verdict the reference can give, so agreement is not agreement on a few codes.
    const all = ['valid', 'MALFORMED', 'MISSING_ATTRIBUTES', 'UNSUPPORTED_DIGEST', 'CONTENT_TYPE_MISMATCH', 'CONTENT_MISMATCH', 'DIGEST_MISMATCH', 'SIGNATURE_INVALID', 'CHAIN_UNTRUSTED', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'SIGNING_TIME_SKEW', 'KEY_USAGE_INVALID', 'WRONG_SIGNER', 'REVOKED'];
    assert.deepEqual([...problems].sort(), all.sort());
  });

  it('refuses bytes after the CMS as MALFORMED: they are not part of what was signed', async () => {
    const trailing = corpus.cases.find((c) => c.name === 'trailing bytes')!;
    const verdict = await verifySignedData(trailing.cms, trailing.options);
    assert.deepEqual([verdict.valid, verdict.problem], [false, 'MALFORMED']);
    assert.match(verdict.message, /2 bytes follow the CMS/);
  });

  it('hands BER and malformed input to the reference path', async () => {
    for (const item of corpus.cases.filter((c) => /^BER|truncated|trailing|garbage|empty|not a CMS/.test(c.name))) {
      assert.equal(await verifyFast(item.cms, item.options), undefined, item.name);
    }
  });

  it('agrees on a few hundred random byte flips and truncations of good signatures', async () => {
    const next = random(0x5151_c0de);
    let judgedFast = 0;
    let count = 0;
    for (const good of corpus.goods) {
      for (let i = 0; i < 110; i++) {
        const cms = next() < 0.75 ? flipped(good.cms, Math.floor(next() * good.cms.length), 1 + Math.floor(next() * 255)) : good.cms.subarray(0, Math.floor(next() * good.cms.length));
        await compare({ name: `${good.name}, mutation ${i}`, cms, options: good.options });
        if (await verifyFast(cms, good.options)) judgedFast++;
        count++;
      }
    }
    assert.ok(count >= 300);
    // Most flips leave strict DER (a flipped signature, digest or name byte): the fast path must judge those.
    assert.ok(judgedFast > count / 4, `${judgedFast} of ${count} judged by the fast path`);
  });
});
