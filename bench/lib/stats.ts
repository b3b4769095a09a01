// Timing and summaries shared by the benchmark's parts. Latencies are in milliseconds, rates per second.
import { readFileSync } from 'node:fs';

/** Latency summary of one series of operations. */
export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

/** The q-quantile of sorted samples (nearest rank: the smallest sample with at least q of the samples at or below it). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** p50, p95, p99 and the largest of `samples`. */
export function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, n: sorted.length };
}

/** Milliseconds since `start` (a `performance.now()` reading). */
export function since(start: number): number {
  return performance.now() - start;
}

/** Runs `fn` once and answers how long it took, in milliseconds. */
export async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return since(start);
}

/**
 * Measures several kinds of operation in alternating rounds (`rounds` each, `chunk` at a time, after `warmup` of
 * each), so that every kind sees the same share of whatever else the machine is doing; answers each kind's samples.
 */
export async function interleaved<K extends string>(kinds: Record<K, () => unknown>, rounds: number, chunk = 25, warmup = 20): Promise<Record<K, number[]>> {
  const names = Object.keys(kinds) as K[];
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const name of names) for (let i = 0; i < warmup; i++) await kinds[name]();
  for (let done = 0; done < rounds; done += chunk) {
    for (const name of names) {
      for (let i = 0; i < Math.min(chunk, rounds - done); i++) samples[name].push(await timed(kinds[name]));
    }
  }
  return samples;
}

/** Waits `ms` (the benchmark lets the agent settle before reading its memory; tests never sleep). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of process `pid` and its peak, in MiB (Linux: /proc/<pid>/status). */
export function residentMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}
