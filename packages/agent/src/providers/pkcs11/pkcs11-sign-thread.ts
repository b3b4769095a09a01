import { Worker } from 'node:worker_threads';
import { pkcs11jsInThread } from './pkcs11js-in-thread.js';

/** Threads one module signs batches in: one per session signing in parallel beyond the event loop's own. */
const MAX_THREADS = 2;

/** A thread with no work for this long ends (an idle agent holds no thread and none of its memory, about 6 MB). */
const IDLE_MS = 10_000;

/**
 * The thread's code, plain JavaScript: a TypeScript entry would need tsx's loader hooks, which Node 20 does not run
 * in worker threads. It loads the agent's module a second time (the same library in the same process: sessions and
 * handles are shared) and makes each job's signatures in one session, `C_SignInit` and `C_Sign` in turn, stopping
 * at the first failure (the session's state is then unknown): later inputs come back as `null`, not attempted.
 * `pkcs11js` is the expression that yields pkcs11js in the thread (`pkcs11jsInThread`).
 */
const source = (pkcs11js: string): string => `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const pkcs11js = ${pkcs11js};
const lib = new pkcs11js.PKCS11();
lib.load(workerData.module);
try { lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK }); } catch (error) { /* initialised by the agent */ }
parentPort.on('message', (job) => {
  const session = Buffer.from(job.session);
  const key = Buffer.from(job.key);
  const results = [];
  let stopped = false;
  for (const input of job.inputs) {
    if (stopped) { results.push(null); continue; }
    try {
      lib.C_SignInit(session, { mechanism: job.mechanism }, key);
      results.push({ signature: lib.C_Sign(session, Buffer.from(input.buffer, input.byteOffset, input.byteLength), Buffer.alloc(job.size)) });
    } catch (error) {
      stopped = true;
      results.push({ error: String((error && error.message) || error), code: error && typeof error.code === 'number' ? error.code : 0 });
    }
  }
  parentPort.postMessage(results);
});`;

/** One batch of signatures for a thread: the session and key handles, the mechanism, and the inputs. */
export interface SignJob {
  session: Buffer;
  key: Buffer;
  mechanism: number;
  size: number;
  inputs: Buffer[];
}

/**
 * What became of one input of a job: its signature, the module's error (its message and CK_RV), or `null` when it
 * was not attempted.
 */
export type SignResult = { signature: Uint8Array } | { error: string; code: number } | null;

/** What becomes of a module's signing threads, for the log: one started, or they broke (and batches stay on the event loop). */
export interface SigningThreadEvents {
  started?(): void;
  broken?(error: unknown): void;
}

interface Thread {
  worker: Worker;
  busy: boolean;
}

/**
 * The threads a module's batches are signed in (`SignQueue`), started on the first batch and ended when idle. On a
 * fast token (SoftHSM2: `C_SignInit` 35 µs, `C_Sign` 20 µs for P-256) the event loop's own part of each
 * signature, `C_SignInit` and pkcs11js's hand-over to libuv's pool, bounds a batch at about 70 % of the token's
 * rate on two cores; here both calls run in a thread and the loop only hands over chunks. A thread that fails to
 * start or dies leaves the module to the event loop's way for good.
 */
export class SigningThreads {
  private readonly threads: Thread[] = [];
  private idle: NodeJS.Timeout | undefined;
  private broken = false;

  constructor(
    private readonly modulePath: string,
    private readonly events: SigningThreadEvents = {},
  ) {}

  /** Signs `job` in a free thread; undefined when none is free (the caller signs on its own way). */
  run(job: SignJob): Promise<SignResult[]> | undefined {
    const thread = this.free();
    if (!thread) return undefined;
    thread.busy = true;
    clearTimeout(this.idle);
    // Held while it works, so a process waiting for nothing but this job does not end under it.
    thread.worker.ref();
    return new Promise<SignResult[]>((resolve, reject) => {
      const done = (): void => {
        thread.worker.off('message', answer);
        thread.worker.off('error', fault);
        thread.worker.off('exit', fault);
        thread.worker.unref();
        thread.busy = false;
        this.scheduleIdle();
      };
      const answer = (results: SignResult[]): void => {
        done();
        resolve(results);
      };
      const fault = (error: unknown): void => {
        done();
        this.break(error);
        this.end();
        reject(error instanceof Error ? error : new Error('the signing thread ended'));
      };
      thread.worker.on('message', answer);
      thread.worker.on('error', fault);
      thread.worker.on('exit', fault);
      thread.worker.postMessage(job);
    });
  }

  /** Ends every thread (the provider closes). */
  end(): void {
    clearTimeout(this.idle);
    for (const { worker } of this.threads.splice(0)) void worker.terminate();
  }

  private free(): Thread | undefined {
    if (this.broken) return undefined;
    const idle = this.threads.find((t) => !t.busy);
    if (idle || this.threads.length >= MAX_THREADS) return idle;
    try {
      const worker = new Worker(source(pkcs11jsInThread()), { eval: true, workerData: { module: this.modulePath } });
      worker.unref();
      const thread = { worker, busy: false };
      this.threads.push(thread);
      this.events.started?.();
      return thread;
    } catch (error) {
      this.break(error);
      return undefined;
    }
  }

  private break(error: unknown): void {
    if (!this.broken) this.events.broken?.(error);
    this.broken = true;
  }

  private scheduleIdle(): void {
    if (this.threads.some((t) => t.busy)) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.end(), IDLE_MS);
    this.idle.unref();
  }
}
