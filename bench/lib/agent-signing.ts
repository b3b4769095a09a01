// What signing costs through the agent, next to the raw path on the same key: `sign.data` latency (raw and detached
// CMS) interleaved with the raw login + find + sign + logout, and `sign.batch` throughput.
import { createHash } from 'node:crypto';
import { toBase64 } from '@sicert/pki';
import { MAX_BATCH_ITEMS, type AgentClient, type SignFormat } from '@sicert/protocol';
import type { Algorithm, BenchToken } from './bench-token.js';
import type { RawToken } from './raw-token.js';
import { interleaved, latency, since, type Latency } from './stats.js';

/** What a portal signs: a short declaration, as the demo's. */
export const DATA = Buffer.from('社保缴费申报 2026-11 个人缴费 640.00 元');

export interface SignLatencies {
  /** Raw, in this process: SHA-256, login, find, sign, logout. */
  loginFindSignLogout: Latency;
  /** `sign.data` format raw through the agent. */
  agentRaw: Latency;
  /** `sign.data` detached CMS (the default format) through the agent. */
  agentCms: Latency;
}

/** `rounds` of each, alternating in chunks so that all three see the same machine. */
export async function signLatencies(client: AgentClient, raw: RawToken, token: BenchToken, algorithm: Algorithm, rounds: number): Promise<SignLatencies> {
  const params = { certId: token.certIds[algorithm], pin: token.hsm.pin, data: toBase64(DATA) };
  const samples = await interleaved(
    {
      loginFindSignLogout: () => raw.loginFindSignLogout(algorithm, DATA),
      agentRaw: () => client.request('sign.data', { ...params, format: 'raw' }),
      agentCms: () => client.request('sign.data', params),
    },
    rounds,
  );
  return { loginFindSignLogout: latency(samples.loginFindSignLogout), agentRaw: latency(samples.agentRaw), agentCms: latency(samples.agentCms) };
}

/** `count` distinct SHA-256 digests as `sign.batch` items. */
export function digestItems(count: number, seed = 'item'): { digest: string }[] {
  return Array.from({ length: count }, (_, i) => ({ digest: createHash('sha256').update(`${seed} ${String(i)}`).digest('base64') }));
}

export interface BatchRate {
  /** Signatures per second, measured at the client (request sent to answer parsed). */
  rate: number;
  items: number;
  batches: number;
  /** Items answered with an error instead of a signature (a benchmark that counted them would lie). */
  errors: number;
}

/** Signs full batches of digests until `minMs` have passed (at least one, at most `maxBatches`). */
export async function batchRate(client: AgentClient, token: BenchToken, algorithm: Algorithm, format: SignFormat, minMs: number, maxBatches: number): Promise<BatchRate> {
  const params = { certId: token.certIds[algorithm], pin: token.hsm.pin, format };
  // One batch first, unmeasured: the agent's code for this path is compiled and its caches are filled.
  await client.request('sign.batch', { ...params, items: digestItems(50, 'warm-up') }, { timeoutMs: 120_000 });
  let items = 0;
  let errors = 0;
  let batches = 0;
  const start = performance.now();
  while (batches < maxBatches && (batches === 0 || since(start) < minMs)) {
    const result = await client.request('sign.batch', { ...params, items: digestItems(MAX_BATCH_ITEMS, `batch ${String(batches)}`) }, { timeoutMs: 120_000 });
    items += result.signatures.length;
    errors += result.signatures.filter((outcome) => 'error' in outcome).length;
    batches++;
  }
  return { rate: items / (since(start) / 1000), items, batches, errors };
}
