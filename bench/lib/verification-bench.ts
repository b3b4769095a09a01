// Issue 11's part of `npm run bench`: server-side verification and the demo backend, each as a ratio to what the
// same run measures of node alone where the issue gives one:
//   one core      verifySignedData (detached CMS, everything a portal passes, the signer seen before) against node's
//                 raw synchronous crypto.verify, in a child process pinned to one core (taskset), ECDSA P-256 and
//                 RSA-2048 (bench/lib/verify-rate.ts);
//   all cores     verifyMany on one thread per core against verifySignedData on one thread, same signatures
//                 (bench/lib/verify-many-rate.ts);
//   submissions   POST /applications per second through the demo's HTTP API on SQLite and on a throwaway
//                 PostgreSQL, a few concurrent clients, each a distinct applicant (bench/lib/submissions.ts).
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { measureSubmissions, type SubmissionRate } from './submissions.js';
import { ALGORITHMS, type Algorithm } from './bench-token.js';
import { fmt, target, type Target } from './targets.js';
import { verifyManyRates, type VerifyManyRate } from './verify-many-rate.js';
import type { VerifyRates } from './verify-rate.js';

export interface VerificationResults {
  /** One core: verifySignedData and node's raw verify, per algorithm. */
  singleCore: Record<Algorithm, VerifyRates>;
  /** verifyMany on every core against verifySignedData on one thread. */
  many: VerifyManyRate[];
  submissions: SubmissionRate[];
}

/** One algorithm's single-core rates, from a child process pinned to the first core the bench may use. */
function pinnedRates(algorithm: Algorithm): VerifyRates {
  const out = execFileSync('taskset', ['-c', '0', process.execPath, '--import', 'tsx', 'bench/lib/verify-rate.ts', '--json', algorithm], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as VerifyRates;
}

/** Measures verification and submissions (`submissionSeconds` of timed submissions on each store). */
export async function verificationBench(submissionSeconds = 10): Promise<VerificationResults> {
  const singleCore = Object.fromEntries(ALGORITHMS.map((a) => [a, pinnedRates(a)])) as Record<Algorithm, VerifyRates>;
  const many = await verifyManyRates();
  const submissions = [await measureSubmissions({ store: 'sqlite', seconds: submissionSeconds }), await measureSubmissions({ store: 'postgres', seconds: submissionSeconds })];
  return { singleCore, many, submissions };
}

/** The issue's targets. verifyMany's needs two cores; on one it is shown, not judged. */
export function verificationTargets(r: VerificationResults): Target[] {
  const ec = r.singleCore['ECDSA-P256'];
  const targets = [
    target('ECDSA-P256 verifySignedData, one core', ec.rate, 'min', 1_000, '/s'),
    target('ECDSA-P256 verifySignedData ÷ node raw verify', 100 * ec.ratio, 'min', 30, '%'),
    target('RSA-2048 verifySignedData ÷ node raw verify', 100 * r.singleCore['RSA-2048'].ratio, 'min', 50, '%'),
  ];
  if (availableParallelism() >= 2) {
    for (const row of r.many) targets.push(target(`${row.algorithm} verifyMany (${String(row.threads)} threads) ÷ one thread`, row.ratio, 'min', 1.7, '×'));
  }
  return targets;
}

/** The table's lines. */
export function verificationLines(r: VerificationResults): string[] {
  const rate = (perSecond: number) => `${fmt(perSecond, 0)}/s`;
  const pct = (ratio: number) => `${fmt(100 * ratio, 0)} %`;
  const lines = ['verification (detached CMS, signer seen before):'];
  for (const algorithm of ALGORITHMS) {
    const one = r.singleCore[algorithm];
    const many = r.many.find((m) => m.algorithm === algorithm);
    lines.push(`  ${algorithm.padEnd(11)} one core: verifySignedData ${rate(one.rate)}, node raw ${rate(one.rawRate)} (${pct(one.ratio)})` +
      (many ? `; verifyMany ×${String(many.threads)} ${rate(many.many)} = ${fmt(many.ratio)} × one thread (${rate(many.single)}), ${pct(many.many / many.raw)} of raw in that run` : ''));
  }
  lines.push('demo API, POST /applications:');
  for (const s of r.submissions) {
    lines.push(`  ${s.store.padEnd(11)} ${rate(s.perSecond)} with ${String(s.clients)} clients (p50 ${fmt(s.medianMs, 1)} ms, p95 ${fmt(s.p95Ms, 1)} ms, ${fmt(s.submitted, 0)} in ${fmt(s.seconds, 1)} s${s.failed ? `, ${String(s.failed)} FAILED` : ''})`);
  }
  return lines;
}
