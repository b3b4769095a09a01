// What the agent costs on top of the token, for issue 9's token work (`node --import tsx bench/token-speed.bench.ts`
// after `npx tsc -b`; not part of `npm run bench`, which reports the issue's targets). In one run, on the same
// SoftHSM2 keys, P-256 and RSA-2048:
//   raw rate    — in this process, one session logged in once: C_SignInit + C_Sign over BATCH SHA-256 digests
//                 (best of three);
//   raw path    — in this process: C_Login, find the private key, C_SignInit + C_Sign, C_Logout, per signature;
//   agent raw   — `sign.data` format raw over WebSocket to an agent child process (one request at a time);
//   batch raw   — `sign.batch` of BATCH digests, format raw, to the same agent: signatures per second (best of three);
//   stall       — agent.info round trips on a second connection while a batch (and an RSA key generation)
//                 runs: the slowest one, and how many answered before the work ended;
//   memory      — the agent's RSS at start, after the batches (its signing threads alive), and once they have
//                 ended (10 s without work).
// Prints p50/p95 and the ratios; timing lives here, never in tests.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import { SHA256_DIGEST_INFO_PREFIX, toBase64 } from '@sicert/pki';
import { Pkcs11Provider } from '@sicert/agent';
import type { AgentClient } from '@sicert/protocol';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 400);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const ALGORITHMS = ['ECDSA-P256', 'RSA-2048'] as const;

function quantiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

async function latency(fn: () => unknown, rounds = ROUNDS): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(50, rounds); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return quantiles(samples);
}

/** Round trips of agent.info on `client` while `work` runs: the slowest, and how many came back meanwhile. */
async function whileRunning(client: AgentClient, work: Promise<unknown>): Promise<{ maxMs: number; answered: number }> {
  const state = { done: false };
  void work.finally(() => (state.done = true));
  let maxMs = 0;
  let answered = 0;
  for (;;) {
    const start = performance.now();
    await client.request('agent.info', undefined);
    if (state.done) break;
    answered++;
    maxMs = Math.max(maxMs, performance.now() - start);
  }
  await work;
  return { maxMs, answered };
}

const hsm = createSoftHsm('sicert-token-speed');
const home = mkdtempSync(join(tmpdir(), 'sicert-token-speed-'));
const ca = await createTestCa();
const provider = new Pkcs11Provider([hsm.module]);
const token = (await provider.listTokens()).find((t) => t.label === hsm.label)!;
const certIds: Record<string, string> = {};
for (const algorithm of ALGORITHMS) {
  const { publicKey } = await provider.generateKey(token.id, hsm.pin, algorithm);
  certIds[algorithm] = await provider.installCertificate(token.id, await ca.issue({ CN: `speed ${algorithm}` }, publicKey));
}
await provider.close();

writeFileSync(join(home, 'config.json'), JSON.stringify({ ratePerSecond: 1_000_000 }));
const child = spawn(process.execPath, ['packages/agent/bin/sicert-agent.js', 'start', '--port', '0', '--home', home, '--module', hsm.module, '--allow-origin', TEST_ORIGIN, '--no-soft-token', '--log-level', 'error'], {
  env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
  stdio: ['ignore', 'pipe', 'inherit'],
});
process.on('exit', () => child.kill('SIGTERM'));
const url = await new Promise<string>((resolve, reject) => {
  child.stdout.on('data', (chunk: Buffer) => {
    const match = /listening on (ws:\/\/\S+)/.exec(chunk.toString());
    if (match) resolve(match[1]!);
  });
  child.once('exit', (code) => reject(new Error(`agent exited with ${String(code)}`)));
});
const client = connect(url);
const observer = connect(url);
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(child.pid)}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const rssAtStart = rssMiB();

const lib = new pkcs11js.PKCS11();
lib.load(hsm.module);
lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === hsm.label)!;
const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
function findKey(keyId: Buffer): pkcs11js.Handle {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: keyId }]);
  const [key] = lib.C_FindObjects(session, 1);
  lib.C_FindObjectsFinal(session);
  return key!;
}

const data = Buffer.from('社保缴费申报 2026-11 个人缴费 640.00 元');
const rows: string[] = [];
const info = await latency(() => client.request('agent.info', undefined));
rows.push(`agent.info round trip p50 ${info.p50.toFixed(3)} p95 ${info.p95.toFixed(3)} ms (the WebSocket and dispatch alone)`);
for (const algorithm of ALGORITHMS) {
  const keyId = Buffer.from(certIds[algorithm]!.split('/')[1]!, 'hex');
  const isEc = algorithm === 'ECDSA-P256';
  const mechanism = { mechanism: isEc ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS };
  const toSign = (digest: Buffer) => (isEc ? digest : Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]));

  lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin);
  const key = findKey(keyId);
  const digests = Array.from({ length: BATCH }, (_, i) => toSign(createHash('sha256').update(data).update(String(i)).digest()));
  let rawRate = 0;
  for (let round = 0; round < 3; round++) {
    const rateStart = performance.now();
    for (const digest of digests) {
      lib.C_SignInit(session, mechanism, key);
      lib.C_Sign(session, digest, Buffer.alloc(512));
    }
    rawRate = Math.max(rawRate, BATCH / ((performance.now() - rateStart) / 1000));
  }
  lib.C_Logout(session);

  const rawPath = await latency(() => {
    lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin);
    const k = findKey(keyId);
    lib.C_SignInit(session, mechanism, k);
    lib.C_Sign(session, toSign(createHash('sha256').update(data).digest()), Buffer.alloc(512));
    lib.C_Logout(session);
  });
  const params = { certId: certIds[algorithm]!, pin: hsm.pin, data: toBase64(data), format: 'raw' as const };
  const agent = await latency(() => client.request('sign.data', params));

  const items = Array.from({ length: BATCH }, (_, i) => ({ digest: createHash('sha256').update(data).update(String(i)).digest('base64') }));
  const batch = { certId: certIds[algorithm]!, pin: hsm.pin, items, format: 'raw' as const };
  await client.request('sign.batch', batch);
  let batchRate = 0;
  for (let i = 0; i < 3; i++) {
    const batchStart = performance.now();
    await client.request('sign.batch', batch);
    batchRate = Math.max(batchRate, BATCH / ((performance.now() - batchStart) / 1000));
  }
  const stall = await whileRunning(observer, client.request('sign.batch', batch));

  rows.push(
    `${algorithm.padEnd(10)} raw rate ${rawRate.toFixed(0)}/s | raw path p50 ${rawPath.p50.toFixed(3)} p95 ${rawPath.p95.toFixed(3)} ms | ` +
      `agent raw p50 ${agent.p50.toFixed(3)} p95 ${agent.p95.toFixed(3)} ms (×${(agent.p50 / rawPath.p50).toFixed(2)}) | ` +
      `batch ${batchRate.toFixed(0)}/s (${((batchRate / rawRate) * 100).toFixed(0)} % of raw) | agent.info during batch: max ${stall.maxMs.toFixed(1)} ms, ${stall.answered} answered`,
  );
}

const tokenId = certIds['ECDSA-P256']!.split('/')[0]!;
const keygen = await whileRunning(observer, client.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'RSA-2048' }));
rows.push(`key.generate RSA-2048: agent.info max ${keygen.maxMs.toFixed(1)} ms, ${keygen.answered} answered meanwhile`);

const rssAfter = rssMiB();
await new Promise((resolve) => setTimeout(resolve, 11_000));
rows.push(`agent RSS: at start ${rssAtStart.toFixed(1)} MiB, after the batches ${rssAfter.toFixed(1)} MiB, 11 s later ${rssMiB().toFixed(1)} MiB`);

client.close();
observer.close();
child.kill('SIGTERM');
lib.C_CloseSession(session);
lib.C_Finalize();
hsm.dispose();
rmSync(home, { recursive: true, force: true });
console.log(`\nSoftHSM2, ${String(ROUNDS)} rounds, batches of ${String(BATCH)}:`);
for (const row of rows) console.log(`  ${row}`);
