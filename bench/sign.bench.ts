// `npm run bench` (add `-- --check` to exit 1 when a target fails): what the agent costs on top of the token, as
// ratios to the raw path measured in the same run on the same SoftHSM2 keys (ECDSA P-256 and RSA-2048):
//   raw            in this process through pkcs11js: the logged-in rate (one login, many C_Sign) and the latency of
//                  SHA-256 + login + find + sign + logout, which is what one `sign.data` does on the token;
//   sign.data      raw and detached CMS through a `sicert-agent start` child process, interleaved with the raw path;
//   sign.batch     1,000 digests a batch, raw and detached CMS, against the logged-in rate;
//   under load     /v1/health and agent.info latency while RSA-2048 keys are generated and signatures run;
//   memory         the agent's RSS idle, after the measurements, and after a soak of BENCH_SOAK (20,000) signatures;
//   cold start     spawn to a served /v1/health (and to a first agent.info), BENCH_COLD_RUNS (7) times;
//   verification   verifySignedData on one core and verifyMany on all against node's raw verify, and the demo API's
//                  submissions per second on SQLite and PostgreSQL (bench/lib/verification-bench.ts). `-- --verification`
//                  runs this part alone (and writes bench/verification-results.json).
// BENCH_AGENT_BIN names another build's bin/sicert-agent.js to measure instead (a before/after comparison).
// Writes bench/results.json and prints a table and which targets hold; see docs/agent.md#performance.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { connect } from '@sicert/test-support/agent-client';
import { coldStarts, spawnAgent } from './lib/agent-child.js';
import { batchRate, signLatencies, type BatchRate, type SignLatencies } from './lib/agent-signing.js';
import { ALGORITHMS, createBenchToken, type Algorithm } from './lib/bench-token.js';
import { RawToken } from './lib/raw-token.js';
import { soak } from './lib/soak.js';
import { latency, pause, residentMiB } from './lib/stats.js';
import { fmt, target, targetLines, type Target } from './lib/targets.js';
import { responsivenessUnderLoad } from './lib/under-load.js';
import { verificationBench, verificationLines, verificationTargets } from './lib/verification-bench.js';

const CHECK = process.argv.includes('--check');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const SOAK = Number(process.env.BENCH_SOAK ?? 20_000);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
/** Signatures of one logged-in-rate measurement: about half a second to a second on SoftHSM2. */
const LOGGED_IN_COUNT: Record<Algorithm, number> = { 'ECDSA-P256': 3_000, 'RSA-2048': 500 };
const BUNDLE = 'packages/elements/dist/sicert.bundle.min.js';

interface PerAlgorithm extends SignLatencies {
  /** The higher of two logged-in-rate measurements, one before and one after this algorithm's agent measurements. */
  loggedInRate: number;
  batchRaw: BatchRate;
  batchCms: BatchRate;
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

const began = performance.now();
if (process.argv.includes('--verification')) {
  const verification = await verificationBench();
  const targets = verificationTargets(verification);
  writeFileSync('bench/verification-results.json', `${JSON.stringify({ commit: commit(), date: new Date().toISOString(), environment: { node: process.version, cpus: cpus().length, loadAverage: loadavg() }, verification, targets }, null, 2)}\n`);
  console.log(`\nsicert verification bench at ${commit()}: node ${process.version}, ${String(cpus().length)} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${fmt((performance.now() - began) / 1000, 0)} s\n`);
  for (const line of verificationLines(verification)) console.log(line);
  console.log(`\ntargets (${String(targets.filter((t) => t.holds).length)} of ${String(targets.length)} hold):`);
  for (const line of targetLines(targets)) console.log(line);
  process.exit(CHECK && targets.some((t) => !t.holds) ? 1 : 0);
}
const token = await createBenchToken();
const cold = await coldStarts(token, COLD_RUNS);
const agent = await spawnAgent(token);
// A moment for the start's garbage to be collected before the idle reading.
await pause(1_000);
const idle = residentMiB(agent.pid);
const client = connect(agent.url);
const raw = new RawToken(token);

const perAlgorithm = {} as Record<Algorithm, PerAlgorithm>;
for (const algorithm of ALGORITHMS) {
  const before = raw.loggedInRate(algorithm, LOGGED_IN_COUNT[algorithm]);
  const latencies = await signLatencies(client, raw, token, algorithm, ROUNDS);
  const batchRaw = await batchRate(client, token, algorithm, 'raw', 1_000, 50);
  const batchCms = await batchRate(client, token, algorithm, 'cms-detached', 1_000, 50);
  const after = raw.loggedInRate(algorithm, LOGGED_IN_COUNT[algorithm]);
  perAlgorithm[algorithm] = { ...latencies, loggedInRate: Math.max(before, after), batchRaw, batchCms };
}
const warm = residentMiB(agent.pid);
const underLoad = await responsivenessUnderLoad(agent, token, 5, 600);
const soaked = await soak(agent, token, SOAK);
await pause(1_000);
const afterSoak = residentMiB(agent.pid);

client.close();
await agent.stop();
raw.close();
token.hsm.dispose();

// After the agent has stopped, so that it does not share the cores.
const verification = await verificationBench();

const coldHealth = latency(cold.healthMs);
const coldInfo = latency(cold.agentInfoMs);
const targets: Target[] = [];
for (const algorithm of ALGORITHMS) {
  const r = perAlgorithm[algorithm];
  targets.push(
    target(`${algorithm} sign.data raw p50 ÷ raw login+sign p50`, r.agentRaw.p50 / r.loginFindSignLogout.p50, 'max', 1.3, '×'),
    target(`${algorithm} sign.batch raw ÷ logged-in rate`, (100 * r.batchRaw.rate) / r.loggedInRate, 'min', 90, '%'),
    target(`${algorithm} sign.batch CMS ÷ logged-in rate`, (100 * r.batchCms.rate) / r.loggedInRate, 'min', 30, '%'),
    target(`${algorithm} CMS over raw, sign.data p50`, r.agentCms.p50 - r.agentRaw.p50, 'max', 0.5, 'ms'),
    target(`${algorithm} CMS over raw, per batch item`, 1000 / r.batchCms.rate - 1000 / r.batchRaw.rate, 'max', 0.5, 'ms'),
  );
}
targets.push(
  target('/v1/health p99 under load', underLoad.health.p99, 'max', 50, 'ms'),
  target('agent.info p99 under load', underLoad.agentInfo.p99, 'max', 50, 'ms'),
  target('RSS idle', idle.rss, 'max', 70, 'MiB'),
  target(`RSS growth, idle → after ${fmt(soaked.signatures, 0)} signatures`, (100 * (afterSoak.rss - idle.rss)) / idle.rss, 'max', 10, '%'),
  target('cold start to /v1/health, median', coldHealth.p50, 'max', 400, 'ms'),
  ...verificationTargets(verification),
);
const errors = ALGORITHMS.reduce((n, a) => n + perAlgorithm[a].batchRaw.errors + perAlgorithm[a].batchCms.errors, soaked.errors);

const bundleKiB = existsSync(BUNDLE) ? gzipSync(readFileSync(BUNDLE)).length / 1024 : undefined;
const results = {
  commit: commit(),
  /** Set when BENCH_AGENT_BIN measured another build's agent than this checkout's. */
  agentBin: process.env.BENCH_AGENT_BIN,
  date: new Date().toISOString(),
  environment: { node: process.version, cpus: cpus().length, loadAverage: loadavg().map((l) => Number(l.toFixed(2))), rounds: ROUNDS },
  algorithms: perAlgorithm,
  underLoad,
  memory: { idleMiB: idle.rss, afterMeasurementsMiB: warm.rss, afterSoakMiB: afterSoak.rss, peakMiB: afterSoak.peak, soak: soaked },
  coldStart: { runs: cold.healthMs.length, healthMs: coldHealth, firstAgentInfoMs: coldInfo },
  bundleMinGzipKiB: bundleKiB,
  verification,
  itemErrors: errors,
  targets,
  seconds: (performance.now() - began) / 1000,
};
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);

const col = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(22))).join('');
const row = (label: string, cell: (r: PerAlgorithm) => string) => col([label, ...ALGORITHMS.map((a) => cell(perAlgorithm[a]))]);
const ms = (l: { p50: number; p95: number }) => `${fmt(l.p50)} / ${fmt(l.p95)} ms`;
const rate = (perSecond: number) => `${fmt(perSecond, 0)}/s`;
console.log(`\nsicert bench at ${results.commit}${results.agentBin ? ` (agent: ${results.agentBin})` : ''}: node ${process.version}, ${String(cpus().length)} cores, load ${results.environment.loadAverage.join(' ')}, ${fmt(results.seconds, 0)} s\n`);
console.log(col(['', ...ALGORITHMS]));
console.log(row('raw logged-in rate', (r) => rate(r.loggedInRate)));
console.log(row('raw login+find+sign+logout p50/p95', (r) => ms(r.loginFindSignLogout)));
console.log(row('sign.data raw p50/p95', (r) => ms(r.agentRaw)));
console.log(row('  ÷ raw login+sign (p50)', (r) => `${fmt(r.agentRaw.p50 / r.loginFindSignLogout.p50)} ×`));
console.log(row('sign.data CMS p50/p95', (r) => ms(r.agentCms)));
console.log(row('sign.batch raw', (r) => `${rate(r.batchRaw.rate)} (${fmt((100 * r.batchRaw.rate) / r.loggedInRate, 0)} %)`));
console.log(row('sign.batch CMS', (r) => `${rate(r.batchCms.rate)} (${fmt((100 * r.batchCms.rate) / r.loggedInRate, 0)} %)`));
console.log(row('CMS over raw: sign.data / item', (r) => `${fmt(r.agentCms.p50 - r.agentRaw.p50)} / ${fmt(1000 / r.batchCms.rate - 1000 / r.batchRaw.rate)} ms`));
console.log(`\nunder load (${String(underLoad.keysGenerated)} RSA-2048 keys generated, ${String(underLoad.signatures)} signatures, ${fmt(underLoad.seconds, 1)} s): ` +
  `/v1/health p50 ${fmt(underLoad.health.p50)} p99 ${fmt(underLoad.health.p99)} max ${fmt(underLoad.health.max)} ms; ` +
  `agent.info p50 ${fmt(underLoad.agentInfo.p50)} p99 ${fmt(underLoad.agentInfo.p99)} max ${fmt(underLoad.agentInfo.max)} ms`);
console.log(`memory: RSS idle ${fmt(idle.rss, 1)} MiB, after the measurements ${fmt(warm.rss, 1)} MiB, after the soak ${fmt(afterSoak.rss, 1)} MiB ` +
  `(${fmt(soaked.signatures, 0)} signatures over ${String(soaked.connections)} connections in ${fmt(soaked.seconds, 1)} s; ` +
  `${fmt((100 * (afterSoak.rss - warm.rss)) / warm.rss, 1)} % over the soak alone), peak ${fmt(afterSoak.peak, 1)} MiB`);
console.log(`cold start (${String(coldHealth.n)} runs): /v1/health median ${fmt(coldHealth.p50, 0)} ms (min ${fmt(Math.min(...cold.healthMs), 0)}, max ${fmt(coldHealth.max, 0)}); ` +
  `first agent.info median ${fmt(coldInfo.p50, 0)} ms`);
console.log(bundleKiB === undefined ? `elements bundle: not built (npm run build)` : `elements bundle ${fmt(bundleKiB, 1)} KiB min+gzip`);
console.log('');
for (const line of verificationLines(verification)) console.log(line);
if (errors) console.log(`\n!! ${String(errors)} batch items were answered with an error instead of a signature`);
console.log(`\ntargets (${String(targets.filter((t) => t.holds).length)} of ${String(targets.length)} hold):`);
for (const line of targetLines(targets)) console.log(line);
console.log('\nwritten to bench/results.json\n');
process.exit(CHECK && (errors > 0 || targets.some((t) => !t.holds)) ? 1 : 0);
