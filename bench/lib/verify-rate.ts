// Single-core verification rate against node's raw signature check, measured in the same process and run:
//   raw   — node:crypto `verify` (synchronous) of the same signature over the same signed attributes;
//   rate  — `verifySignedData` on a detached CMS with everything a portal passes (content, expectedSigner, the
//           server's clock, keyUsage, isRevoked), sequential awaits, the signer certificate seen before.
// Throwaway measurement for `npm run bench` (bench/sign.bench.ts can call `verifyRates`), not a test. Run alone:
//   taskset -c 0 node --import tsx bench/lib/verify-rate.ts
import { createPublicKey, verify } from 'node:crypto';
import { createSignedData, verifySignedData, webCryptoSigner, type VerifyOptions } from '@sicert/pki';
import { createTestCa } from '@sicert/test-support/test-ca';
import { benchKeyPair } from './bench-keys.js';
import type { Algorithm } from './bench-token.js';


export interface VerifyRates {
  /** verifySignedData calls a second. */
  rate: number;
  /** node:crypto verify calls a second, same key, same signature, same data. */
  rawRate: number;
  /** rate / rawRate. */
  ratio: number;
}

/** Calls `fn` for about `ms` milliseconds; calls a second. */
async function perSecond(fn: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) await fn();
    count += 50;
    elapsed = performance.now() - start;
  }
  return (count * 1000) / elapsed;
}

/** The best of `rounds` interleaved measurements of the raw rate and of verifySignedData's rate. */
export async function verifyRates({ algorithm, rounds = 3, ms = 1000, rawMs = ms }: { algorithm: Algorithm; rounds?: number; ms?: number; rawMs?: number }): Promise<VerifyRates> {
  const ca = await createTestCa();
  const keys = await benchKeyPair(algorithm);
  const certificate = await ca.issue({ C: 'CN', serialNumber: 'SHA256:bench', CN: '张三' }, keys.spki);
  const content = new TextEncoder().encode('{"declaration":"bench","insured":"张三","personal":"640.00"}');
  const cms = await createSignedData({ content, certificate }, webCryptoSigner(keys.privateKey));
  const options: VerifyOptions = { content, expectedSigner: { serialNumber: 'SHA256:bench' }, trustedRoots: [ca.root], isRevoked: () => false };
  const first = await verifySignedData(cms, options);
  if (!first.valid) throw new Error(`the bench CMS does not verify: ${first.message}`);

  // The same signature over the same bytes, checked by node alone: the signed attributes (re-tagged as a SET).
  const message = new TextEncoder().encode('raw');
  const rawSignature = new Uint8Array(await crypto.subtle.sign(algorithm === 'ECDSA-P256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' }, keys.privateKey, message));
  const keyObject = createPublicKey({ key: Buffer.from(keys.spki), format: 'der', type: 'spki' });
  const rawKey = algorithm === 'ECDSA-P256' ? { key: keyObject, dsaEncoding: 'ieee-p1363' as const } : keyObject;
  if (!verify('sha256', message, rawKey, rawSignature)) throw new Error('raw verify failed');

  let best: VerifyRates = { rate: 0, rawRate: 0, ratio: 0 };
  let bestRaw = 0;
  let bestRate = 0;
  for (let round = 0; round < rounds; round++) {
    bestRaw = Math.max(bestRaw, await perSecond(() => verify('sha256', message, rawKey, rawSignature), rawMs));
    bestRate = Math.max(bestRate, await perSecond(() => verifySignedData(cms, options), ms));
    best = { rate: bestRate, rawRate: bestRaw, ratio: bestRate / bestRaw };
  }
  return best;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `--json ALGORITHM`: one algorithm's rates as JSON, for bench/lib/verification-bench.ts (which pins this process
  // to one core); otherwise a line per algorithm.
  const json = process.argv.indexOf('--json');
  if (json >= 0) {
    console.log(JSON.stringify(await verifyRates({ algorithm: process.argv[json + 1] as Algorithm })));
  } else {
    for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
      const { rate, rawRate, ratio } = await verifyRates({ algorithm });
      console.log(`${algorithm}: verifySignedData ${rate.toFixed(0)}/s, raw ${rawRate.toFixed(0)}/s, ratio ${(ratio * 100).toFixed(1)} %`);
    }
  }
}
