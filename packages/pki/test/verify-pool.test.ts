// verifyMany's threads: a thread that dies fails its call and is replaced, closing fails a running call, and a
// process that used the pool exits without closing it. The pool is tested from the sources (its threads register
// tsx to load verify-chunk.ts) and through the built package (its threads load dist/verify-chunk.js).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exitNextChunkForTest } from '#verify-many';
import { closeVerifyPool, toBase64, verifyMany, VerifyManyError, verifySignedData, type VerifyManyItem } from '../src/index.js';
import { VerifyPool } from '../src/verify-pool.js';
import { buildCorpus, type Corpus } from './support/verify-many-corpus.js';

const PKI = new URL('..', import.meta.url).pathname;

function many(corpus: Corpus, count: number): VerifyManyItem[] {
  return Array.from({ length: count }, (_, i) => corpus.entries[i % corpus.entries.length]!.item);
}

/**
 * By name, not class: run without `--conditions=sicert-source` (npm test passes it), `#verify-many` resolves to the
 * built file (package.json "imports"), whose VerifyManyError is the built one.
 */
const threadEnded = (error: unknown) =>
  error instanceof Error && error.name === 'VerifyManyError' && (error as VerifyManyError).code === 'THREAD_ENDED' && /a verification thread ended \(exit code 70\) before it answered/.test(error.message);

describe('verifyMany’s thread pool', () => {
  let corpus: Corpus;
  before(async () => {
    corpus = await buildCorpus();
  });
  after(() => closeVerifyPool());

  it('loads its threads from the TypeScript sources, reuses them across calls, and keeps order', async () => {
    const pool = new VerifyPool();
    try {
      const now = new Date();
      const items = many(corpus, 40);
      const first = await pool.verify(items, { trustedRoots: [corpus.ca.root], now }, 2);
      assert.deepEqual(first.map((r) => r.problem ?? 'valid'), items.map((_, i) => corpus.entries[i % corpus.entries.length]!.expected));
      const reference = await verifySignedData(items[3]!.cms, { ...items[3]!, trustedRoots: [corpus.ca.root], now } as Parameters<typeof verifySignedData>[1]);
      assert.deepEqual(first[3], reference);
      assert.deepEqual(await pool.verify(items, { trustedRoots: [corpus.ca.root], now }, 2), first);
    } finally {
      await pool.close();
    }
  });

  // The timeouts guard against a hang (a lost chunk never answered), they time nothing.
  it('fails the call of a thread that dies mid-call with a stable error, and the next call works', { timeout: 60_000 }, async () => {
    const pool = new VerifyPool();
    try {
      const shared = { trustedRoots: [corpus.ca.root], now: new Date() };
      pool.exitNextChunkForTest = true;
      await assert.rejects(pool.verify(many(corpus, 40), shared, 2), threadEnded);
      const again = await pool.verify(many(corpus, 40), shared, 2);
      assert.equal(again.length, 40);
      assert.equal(again.filter((r) => r.valid).length, 40 - many(corpus, 40).filter((_, i) => corpus.entries[i % corpus.entries.length]!.expected !== 'valid').length);
    } finally {
      await pool.close();
    }
  });

  it('does the same through the built package: a dead thread fails verifyMany, which then works again', { timeout: 60_000 }, async () => {
    const items = many(corpus, 40);
    const options = { trustedRoots: [corpus.ca.root], threads: 2 };
    exitNextChunkForTest();
    await assert.rejects(verifyMany(items, options), threadEnded);
    const results = await verifyMany(items, options);
    assert.deepEqual(results.map((r) => r.problem ?? 'valid'), items.map((_, i) => corpus.entries[i % corpus.entries.length]!.expected));
  });

  it('fails a running call when the pool is closed, rather than leaving it waiting', { timeout: 60_000 }, async () => {
    const pool = new VerifyPool();
    const running = pool.verify(many(corpus, 200), { trustedRoots: [corpus.ca.root], now: new Date() }, 2);
    const refused = assert.rejects(running, (error) => error instanceof VerifyManyError && error.code === 'POOL_CLOSED');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    await refused;
  });

  it('lets a process that used the pool exit without closeVerifyPool (the built package, plain node)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-verify-many-'));
    try {
      const items = many(corpus, 20);
      const input = join(dir, 'items.json');
      writeFileSync(input, JSON.stringify({ root: toBase64(corpus.ca.root), items: items.map((item) => ({ cms: toBase64(item.cms), content: toBase64(item.content ?? new Uint8Array()), digest: item.contentDigest && toBase64(item.contentDigest), signer: 'certificate' in item.expectedSigner ? { certificate: toBase64(item.expectedSigner.certificate) } : item.expectedSigner, now: item.now?.getTime() })) }));
      const script = `
        import { readFileSync } from 'node:fs';
        import { fromBase64, verifyMany } from '@sicert/pki';
        const { root, items } = JSON.parse(readFileSync(${JSON.stringify(input)}, 'utf8'));
        const signer = (s) => (s.certificate ? { certificate: fromBase64(s.certificate) } : s);
        const results = await verifyMany(items.map((i) => ({ cms: fromBase64(i.cms), ...(i.digest ? { contentDigest: fromBase64(i.digest) } : { content: fromBase64(i.content) }), expectedSigner: signer(i.signer), ...(i.now ? { now: new Date(i.now) } : {}) })), { trustedRoots: [fromBase64(root)], threads: 2 });
        // What still holds the event loop once the call is answered: idle threads must not (their ports).
        const held = process.getActiveResourcesInfo().filter((r) => /MessagePort|Worker/.test(r));
        console.log(JSON.stringify({ verdicts: results.map((r) => r.problem ?? 'valid'), held }));`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: PKI, stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // A guard against a hang, not a timing: a process held by its threads never exits.
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      clearTimeout(guard);
      assert.equal(signal, null, 'the process ended by itself, not killed after a minute');
      assert.equal(code, 0);
      const { verdicts, held } = JSON.parse(output) as { verdicts: string[]; held: string[] };
      assert.deepEqual(held, [], 'the idle threads hold nothing (the process would otherwise wait for their idle end)');
      assert.deepEqual(verdicts, items.map((_, i) => corpus.entries[i % corpus.entries.length]!.expected));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
