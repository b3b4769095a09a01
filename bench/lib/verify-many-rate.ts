// verifyMany on all cores against verifySignedData on one thread, in the same run over the same signatures, and
// node's raw verify for scale: the issue asks verifyMany for ≥ 1.7 × the single-thread rate on two cores. A
// throwaway measurement for `npm run bench` (the integrator calls verifyManyRates from sign.bench.ts); alone:
// `node --import tsx bench/lib/verify-many-rate.ts`.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { closeVerifyPool, createSignedData, verifyMany, verifySignedData, webCryptoSigner, type VerifyManyItem } from '@sicert/pki';
import { createTestCa } from '@sicert/test-support/test-ca';
import { benchKeyPair } from './bench-keys.js';
import type { Algorithm } from './bench-token.js';


/** One algorithm's rates, verifications a second. */
export interface VerifyManyRate {
  algorithm: Algorithm;
  /** node's `crypto.verify` over the signed attributes' digest-size input, in this thread. */
  raw: number;
  /** verifySignedData, awaited one after another in this thread. */
  single: number;
  /** verifyMany over `threads` worker threads. */
  many: number;
  threads: number;
  /** many / single: the issue asks ≥ 1.7 on two cores. */
  ratio: number;
}

export interface VerifyManyRateOptions {
  /** Signatures per measurement; default 4,000. */
  count?: Partial<Record<Algorithm, number>>;
  /** Distinct signers the signatures come from (each signer certificate seen many times, as a portal sees them). */
  signers?: number;
  threads?: number;
  algorithms?: readonly Algorithm[];
}

const DEFAULT_COUNT: Record<Algorithm, number> = { 'ECDSA-P256': 4_000, 'RSA-2048': 4_000 };

/** `count` detached signatures by `signers` holders of one test CA, and a raw verify of the same kind of key. */
async function corpus(algorithm: Algorithm, count: number, signers: number): Promise<{ items: VerifyManyItem[]; trustedRoots: Uint8Array[]; raw: () => boolean }> {
  const ca = await createTestCa();
  const holders = await Promise.all(
    Array.from({ length: signers }, async (_, i) => {
      const { privateKey, spki } = await benchKeyPair(algorithm);
      const serialNumber = `SHA256:bench-${i}`;
      return { signer: webCryptoSigner(privateKey), serialNumber, certificate: await ca.issue({ C: 'CN', serialNumber, CN: `签名人 ${i}` }, spki) };
    }),
  );
  const items: VerifyManyItem[] = [];
  for (let i = 0; i < count; i++) {
    const holder = holders[i % signers]!;
    const content = new TextEncoder().encode(`{"declaration":${i},"insured":"签名人 ${i % signers}","personal":"640.00"}`);
    items.push({ cms: await createSignedData({ content, certificate: holder.certificate }, holder.signer), content, expectedSigner: { serialNumber: holder.serialNumber } });
  }
  // Raw: node's synchronous verify of a SHA-256 signature over about the signed attributes' size (100 bytes).
  const message = randomBytes(100);
  const pair = algorithm === 'ECDSA-P256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signature = sign('sha256', message, pair.privateKey);
  return { items, trustedRoots: [ca.root], raw: () => verify('sha256', message, pair.publicKey, signature) };
}

/** How long each run is repeated before it is measured: the pool's threads start cold and need a second or so. */
const WARM_MS = 1_500;

/**
 * Verifications a second of each of `runs`, each of which verifies `count` signatures: the best of `rounds`
 * rounds after {@link WARM_MS} of warm-up each (a thread's JIT, like the calling thread's, needs thousands of
 * verifications before it runs at full speed, and a portal's pool runs warm), the runs taking turns in every
 * round so that each sees the same share of whatever else the machine is doing.
 */
async function rates<K extends string>(count: number, runs: Record<K, () => Promise<unknown>>, rounds = 5): Promise<Record<K, number>> {
  const kinds = Object.keys(runs) as K[];
  const best = Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<K, number>;
  for (const kind of kinds) {
    const start = performance.now();
    do await runs[kind]();
    while (performance.now() - start < WARM_MS);
  }
  for (let round = 0; round < rounds; round++) {
    for (const kind of kinds) {
      const start = performance.now();
      await runs[kind]();
      best[kind] = Math.max(best[kind], count / ((performance.now() - start) / 1000));
    }
  }
  return best;
}

/** The rates for each algorithm (ECDSA P-256 and RSA-2048 by default), measured one after the other. */
export async function verifyManyRates(options: VerifyManyRateOptions = {}): Promise<VerifyManyRate[]> {
  const threads = options.threads ?? availableParallelism();
  const rows: VerifyManyRate[] = [];
  try {
    for (const algorithm of options.algorithms ?? (['ECDSA-P256', 'RSA-2048'] as const)) {
      const count = options.count?.[algorithm] ?? DEFAULT_COUNT[algorithm];
      const { items, trustedRoots, raw } = await corpus(algorithm, count, options.signers ?? 16);
      const check = (results: { valid: boolean; message: string }[]) => {
        const bad = results.find((r) => !r.valid);
        if (bad) throw new Error(`a benchmark signature did not verify: ${bad.message}`);
      };
      const { raw: rawRate } = await rates(20_000, {
        raw: async () => {
          for (let i = 0; i < 20_000; i++) if (!raw()) throw new Error('raw verify failed');
        },
      });
      const { single, many } = await rates(count, {
        single: async () => {
          const results = [];
          for (const { cms, now: _now, ...binding } of items) results.push(await verifySignedData(cms, { ...binding, trustedRoots }));
          check(results);
        },
        many: async () => check(await verifyMany(items, { trustedRoots, threads })),
      });
      rows.push({ algorithm, raw: rawRate, single, many, threads, ratio: many / single });
    }
  } finally {
    await closeVerifyPool();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await verifyManyRates();
  console.table(rows.map((r) => ({ algorithm: r.algorithm, 'raw /s': Math.round(r.raw), 'verifySignedData /s': Math.round(r.single), [`verifyMany ×${r.threads} /s`]: Math.round(r.many), ratio: r.ratio.toFixed(2) })));
}
