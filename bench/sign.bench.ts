// `npm run bench`: what the agent costs on top of the token. In one run, on the same SoftHSM2 keys:
//   raw    — in this process, pkcs11js: login, sign (SHA-256 + CKM_ECDSA / CKM_RSA_PKCS), logout per operation;
//   agent  — `sign.data` (format raw) over WebSocket to a sicert-agent child process, which does the same.
// Prints median and p95 latency and agent/raw, plus agent start time, agent memory and the bundle size;
// writes bench/results.json. Target: agent adds < 1 ms at the median for ECDSA P-256.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pkcs11js from 'pkcs11js';
import { SHA256_DIGEST_INFO_PREFIX, toBase64 } from '@sicert/pki';
import { Pkcs11Provider } from '@sicert/agent';
import { createSoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';

const WARMUP = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const ALGORITHMS = ['ECDSA-P256', 'RSA-2048'] as const;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), n: sorted.length };
}

async function time(fn: () => unknown): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return samples;
}

const hsm = createSoftHsm('sicert-bench');
const home = mkdtempSync(join(tmpdir(), 'sicert-bench-'));
const ca = await createTestCa();
const provider = new Pkcs11Provider([hsm.module]);
const token = (await provider.listTokens()).find((t) => t.label === hsm.label)!;
const certIds: Record<string, string> = {};
for (const algorithm of ALGORITHMS) {
  const { publicKey } = await provider.generateKey(token.id, hsm.pin, algorithm);
  certIds[algorithm] = await provider.installCertificate(token.id, await ca.issue({ CN: `bench ${algorithm}` }, publicKey));
}
await provider.close();

// The agent in its own process, as on a citizen's computer; its per-connection rate limit is lifted so the
// benchmark measures latency, not the limiter.
writeFileSync(join(home, 'config.json'), JSON.stringify({ ratePerSecond: 1_000_000 }));
const started = process.hrtime.bigint();
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
const agentStartMs = Number(process.hrtime.bigint() - started) / 1e6;
const client = connect(url);

// Raw: the same token operations in this process.
const lib = new pkcs11js.PKCS11();
lib.load(hsm.module);
lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === hsm.label)!;
const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
// Private-key handles are only valid while logged in, so the key is found after each login (as the agent does).
function findKey(keyId: Buffer): pkcs11js.Handle {
  lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: keyId }]);
  const [key] = lib.C_FindObjects(session, 1);
  lib.C_FindObjectsFinal(session);
  return key!;
}

const data = Buffer.from('社保缴费申报 2026-11 个人缴费 640.00 元');
const results: Record<string, unknown> = {};
const rows: string[] = [];
for (const algorithm of ALGORITHMS) {
  const keyId = Buffer.from(certIds[algorithm]!.split('/')[1]!, 'hex');
  const isEc = algorithm === 'ECDSA-P256';
  const raw = stats(
    await time(() => {
      lib.C_Login(session, pkcs11js.CKU_USER, hsm.pin);
      const key = findKey(keyId);
      const digest = createHash('sha256').update(data).digest();
      lib.C_SignInit(session, { mechanism: isEc ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, key);
      lib.C_Sign(session, isEc ? digest : Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]), Buffer.alloc(512));
      lib.C_Logout(session);
    }),
  );
  const params = { certId: certIds[algorithm]!, pin: hsm.pin, data: toBase64(data) };
  const agent = stats(await time(() => client.request('sign.data', { ...params, format: 'raw' })));
  const cms = stats(await time(() => client.request('sign.data', params)));
  results[algorithm] = { raw, agentRaw: agent, agentCmsDetached: cms, addedMedianMs: agent.median - raw.median, ratio: agent.median / raw.median };
  rows.push(`${algorithm.padEnd(11)} raw ${raw.median.toFixed(3)} / ${raw.p95.toFixed(3)} ms   agent ${agent.median.toFixed(3)} / ${agent.p95.toFixed(3)} ms   agent÷raw ${(agent.median / raw.median).toFixed(2)}   +${(agent.median - raw.median).toFixed(3)} ms   (cms-detached ${cms.median.toFixed(3)} / ${cms.p95.toFixed(3)} ms)`);
}

const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(child.pid)}/status`, 'utf8'))?.[1] ?? 0);
const bundle = readFileSync('packages/elements/dist/sicert.bundle.min.js');
const environment = { node: process.version, cpus: cpus().length, rounds: ROUNDS };
Object.assign(results, { agentStartMs, agentRssMiB: rssKb / 1024, bundleMinGzipKiB: gzipSync(bundle).length / 1024, environment, date: new Date().toISOString() });

client.close();
child.kill('SIGTERM');
lib.C_CloseSession(session);
lib.C_Finalize();
hsm.dispose();
rmSync(home, { recursive: true, force: true });

console.log(`\nsign latency, median / p95 over ${ROUNDS} operations (login + sign + logout each), SoftHSM2:\n`);
for (const row of rows) console.log(`  ${row}`);
console.log(`\n  agent start ${agentStartMs.toFixed(0)} ms, agent RSS ${(rssKb / 1024).toFixed(1)} MiB, elements bundle ${(gzipSync(bundle).length / 1024).toFixed(1)} KiB min+gzip`);
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('  written to bench/results.json\n');
