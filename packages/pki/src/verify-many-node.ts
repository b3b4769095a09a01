/// <reference types="node" />
// The Node variant of `#verify-many` (package.json "imports"): a pool of worker threads. verify-many-browser.ts is
// the default variant; both export the same functions.
import { availableParallelism } from 'node:os';
import type { SignedDataVerification } from './verify-options.js';
import { verifySequentially } from './verify-many-sequential.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';
import { VerifyPool } from './verify-pool.js';

/**
 * Below this many items a call runs in the calling thread: handing them to threads costs more than it saves, and
 * the loop is held for a few milliseconds at most.
 */
export const IN_THREAD_BELOW = 8;

let pool: VerifyPool | undefined;

/** One thread per core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** The verdicts without revocation, in the items' order. */
export function verifyItems(items: readonly VerifyManyItem[], shared: SharedVerifyOptions, threads: number): Promise<SignedDataVerification[]> {
  if (items.length < IN_THREAD_BELOW) return verifySequentially(items, shared);
  pool ??= new VerifyPool();
  return pool.verify(items, shared, threads);
}

/** Ends the pool's threads (tests, a graceful shutdown); the next call starts new ones. */
export async function closeVerifyPool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}

/** Test-only: the next chunk any call sends ends its thread, as a crash would. */
export function exitNextChunkForTest(): void {
  pool ??= new VerifyPool();
  pool.exitNextChunkForTest = true;
}
