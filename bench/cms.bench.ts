// What a CMS SignedData costs on top of the raw signature, in one process, on the same key:
//   raw       — signDigest(SHA-256 of the data), the signature alone;
//   fast      — createSignedData (detached over the digest), pre-encoded parts, certificate read each call;
//   template  — prepareSignedData once, then build per signature (what a batch can do);
//   pkijs     — the pkijs-built reference the fast path replaced (packages/pki/test/support/pkijs-signed-data.ts).
// Run: node --import tsx bench/cms.bench.ts   (ROUNDS=2000 by default). Target: fast − raw ≤ 0.5 ms at the median.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createSignedData, messageSigner, prepareSignedData, type DigestSigner } from '@sicert/pki/light';
import { createSignedDataWithPkijs } from '../packages/pki/test/support/pkijs-signed-data.js';
import { createTestCa } from '@sicert/test-support/test-ca';

const ROUNDS = Number(process.env.ROUNDS ?? 2000);
const WARMUP = 200;

function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function time(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return stats(samples);
}

/**
 * A digest signer over a Node key with the cost of a real one (here the signature is over the digest as a message:
 * only the time matters, the CMS is not verified; test/cms-bytes.test.ts verifies real ones).
 */
function nodeSigner(algorithm: 'ECDSA-P256' | 'RSA-2048'): { signer: DigestSigner; spki: Uint8Array } {
  const pair = algorithm === 'ECDSA-P256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = pair.privateKey;
  const signDigest = async (digest: Uint8Array) => new Uint8Array(sign('sha256', digest, algorithm === 'ECDSA-P256' ? { key, dsaEncoding: 'der' } : key));
  return { signer: { algorithm, signDigest }, spki: new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' })) };
}

const ca = await createTestCa();
const rows: Record<string, string>[] = [];
for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
  const { signer, spki } = nodeSigner(algorithm);
  const certificate = await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, spki);
  const digests = Array.from({ length: 64 }, (_, i) => new Uint8Array(createHash('sha256').update(String(i)).digest()));
  const viaMessage = messageSigner(signer);
  const template = await prepareSignedData(certificate);
  const raw = await time((i) => signer.signDigest(digests[i % 64]!));
  const fast = await time((i) => createSignedData({ digest: digests[i % 64]!, certificate }, viaMessage));
  const built = await time((i) => template.build({ digest: digests[i % 64]! }, viaMessage));
  const pkijs = await time((i) => createSignedDataWithPkijs({ digest: digests[i % 64]!, certificate }, viaMessage));
  const ms = (n: number) => n.toFixed(3);
  rows.push({
    algorithm,
    'raw p50': ms(raw.p50),
    'fast p50 (over raw)': `${ms(fast.p50)} (+${ms(fast.p50 - raw.p50)})`,
    'template p50 (over raw)': `${ms(built.p50)} (+${ms(built.p50 - raw.p50)})`,
    'pkijs p50 (over raw)': `${ms(pkijs.p50)} (+${ms(pkijs.p50 - raw.p50)})`,
    'fast p95': ms(fast.p95),
    'pkijs p95': ms(pkijs.p95),
  });
}
console.table(rows);
