/// <reference types="node" />
import { Worker } from 'node:worker_threads';
import { packChunk, unpackVerdicts, type ChunkAnswer, type ChunkJob } from './verify-chunk-pack.js';
import { VerifyManyError } from './verify-many-error.js';
import type { SharedVerifyOptions, VerifyManyItem } from './verify-many-types.js';
import type { SignedDataVerification } from './verify-options.js';
import { THREAD_SOURCE, threadData, type ThreadData } from './verify-thread-source.js';

/** Threads with nothing to do for this long end, so an idle portal holds none of their memory (about 16 MiB each). */
const IDLE_MS = 30_000;
/** At most this many items a message: enough to amortise a round trip (~0.1 ms), few enough to balance threads. */
const MAX_CHUNK = 64;
/**
 * Chunks a thread holds at once: the next one waits in its port while it verifies the current one, so it never
 * idles for the round trip through a busy calling thread.
 */
const DEPTH = 2;

interface Job {
  id: number;
  message: ChunkJob;
  resolve(answer: ChunkAnswer): void;
  reject(error: VerifyManyError): void;
}

interface Thread {
  worker: Worker;
  jobs: Map<number, Job>;
}

/**
 * Worker threads that verify chunks of items, reused across calls: started on demand up to the largest `threads`
 * a call asked for, unref'd while they have no chunk (a process waiting for nothing else exits), ended after
 * {@link IDLE_MS} without work. A thread that ends under a chunk fails that chunk's call with a
 * {@link VerifyManyError} and is replaced by the next chunk that needs one.
 */
export class VerifyPool {
  private readonly threads: Thread[] = [];
  private readonly waiting: Job[] = [];
  private size = 0;
  private nextId = 0;
  private idle: NodeJS.Timeout | undefined;
  private readonly data: ThreadData = threadData();
  /** Test-only: the next chunk sent ends its thread. */
  exitNextChunkForTest = false;

  /** The verdicts without revocation, in the items' order; rejects when a chunk cannot be verified. */
  async verify(items: readonly VerifyManyItem[], shared: SharedVerifyOptions, threads: number): Promise<SignedDataVerification[]> {
    this.size = Math.max(this.size, threads);
    const chunkSize = Math.min(MAX_CHUNK, Math.ceil(items.length / (threads * 4)));
    const results = new Array<SignedDataVerification>(items.length);
    // Every chunk packed (its bytes copied) before the first await: the verdicts are for the items as they were
    // when the call was made, whatever the caller does with its arrays while the threads work.
    const chunks: { start: number; items: readonly VerifyManyItem[]; job: ChunkJob }[] = [];
    for (let start = 0; start < items.length; start += chunkSize) {
      const chunk = items.slice(start, start + chunkSize);
      chunks.push({ start, items: chunk, job: packChunk(chunk, shared) });
    }
    let next = 0;
    let failed = false;
    // DEPTH lanes per thread the call may use; each sends its next chunk when the last one is answered.
    const lane = async (): Promise<void> => {
      while (next < chunks.length && !failed) {
        const { start, items: chunk, job } = chunks[next++]!;
        try {
          const answer = await this.run(job);
          if ('error' in answer) throw new VerifyManyError('FAILED', `verifyMany: verification failed: ${answer.error}`);
          unpackVerdicts(answer.results, chunk).forEach((result, index) => (results[start + index] = result));
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads * DEPTH, chunks.length) }, lane));
    return results;
  }

  /** Ends every thread; a call still running fails with `POOL_CLOSED`. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    for (const job of this.waiting.splice(0)) job.reject(new VerifyManyError('POOL_CLOSED', 'verifyMany: the verification pool was closed during the call'));
    await Promise.all(this.threads.splice(0).map((thread) => this.end(thread, new VerifyManyError('POOL_CLOSED', 'verifyMany: the verification pool was closed during the call'))));
  }

  private run(message: ChunkJob): Promise<ChunkAnswer> {
    if (this.exitNextChunkForTest) {
      this.exitNextChunkForTest = false;
      message.exitForTest = true;
    }
    return new Promise<ChunkAnswer>((resolve, reject) => {
      const job = { id: this.nextId++, message, resolve, reject };
      const thread = this.pick();
      if (thread) this.send(thread, job);
      else this.waiting.push(job);
    });
  }

  /** An idle thread, else a new one while the pool may grow, else the least busy one with room, else none. */
  private pick(): Thread | undefined {
    const idle = this.threads.find((t) => t.jobs.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.start();
    return this.threads.filter((t) => t.jobs.size < DEPTH).sort((a, b) => a.jobs.size - b.jobs.size)[0];
  }

  private start(): Thread {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: this.data });
    worker.unref();
    const thread: Thread = { worker, jobs: new Map() };
    worker.on('message', (answer: ChunkAnswer & { id: number }) => {
      const job = thread.jobs.get(answer.id);
      thread.jobs.delete(answer.id);
      job?.resolve(answer);
      this.release(thread);
    });
    worker.on('error', (error) => this.lost(thread, `verifyMany: a verification thread failed: ${String(error)}`));
    worker.on('exit', (exitCode) => this.lost(thread, `verifyMany: a verification thread ended (exit code ${exitCode}) before it answered; the call's items were not verified, call again`));
    this.threads.push(thread);
    return thread;
  }

  private send(thread: Thread, job: Job): void {
    clearTimeout(this.idle);
    thread.jobs.set(job.id, job);
    // Held while it works, so a process waiting for nothing but this call does not end under it.
    thread.worker.ref();
    thread.worker.postMessage({ ...job.message, id: job.id }, [job.message.bytes]);
  }

  /** A thread answered: it takes the next waiting chunk, or rests. */
  private release(thread: Thread): void {
    const job = this.waiting.shift();
    if (job) return this.send(thread, job);
    if (thread.jobs.size > 0) return;
    thread.worker.unref();
    if (this.threads.some((t) => t.jobs.size > 0)) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.close(), IDLE_MS);
    this.idle.unref();
  }

  /** A thread ended or failed: its chunks' calls fail, and waiting chunks get a new thread. */
  private lost(thread: Thread, message: string): void {
    // 'error' and then 'exit' both report one end.
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    for (const job of thread.jobs.values()) job.reject(new VerifyManyError('THREAD_ENDED', message));
    thread.jobs.clear();
    void thread.worker.terminate();
    if (this.waiting.length === 0) return;
    const replacement = this.start();
    for (const job of this.waiting.splice(0, DEPTH)) this.send(replacement, job);
  }

  private async end(thread: Thread, error: VerifyManyError): Promise<void> {
    for (const job of thread.jobs.values()) job.reject(error);
    thread.jobs.clear();
    thread.worker.removeAllListeners();
    await thread.worker.terminate();
  }
}
