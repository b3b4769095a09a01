import { AgentError, Reason } from '@sicert/protocol';

/** How a task waits its turn. */
export interface QueueOptions {
  /**
   * Who the task is for (the page's origin). Waiting tasks of one key are served round-robin across lanes, so
   * one origin's backlog cannot make another wait behind all of it. Tasks without a lane share one.
   */
  lane?: string;
  /** When aborted before the task starts, the task never starts and `run` rejects with `CANCELLED`. */
  signal?: AbortSignal;
}

/** Starts a waiting task. */
type Job = () => void;

interface KeyState {
  running: boolean;
  /** Waiting jobs per lane; Map order is the round-robin order (a served lane moves to the back). */
  lanes: Map<string, Job[]>;
  /** The lane served last: a lane that starts waiting goes before it, as in a ring. */
  last: string | undefined;
}

const DEFAULT_LANE = '';

/**
 * Runs tasks one at a time per key (a token id). PKCS#11 login state is shared by every session of the process,
 * so two connections must never interleave login, operation and logout on one token. Within a lane tasks run in
 * arrival order; across lanes of one key, in turn.
 */
export class KeyedQueue {
  private readonly keys = new Map<string, KeyState>();
  private idleWaiters: (() => void)[] = [];

  run<T>(key: string, task: () => Promise<T>, options: QueueOptions = {}): Promise<T> {
    const { lane = DEFAULT_LANE, signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled());
    let state = this.keys.get(key);
    if (!state) {
      state = { running: false, lanes: new Map(), last: undefined };
      this.keys.set(key, state);
    }
    const keyState = state;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const jobs = keyState.lanes.get(lane);
        const at = jobs ? jobs.indexOf(job) : -1;
        if (!jobs || at < 0) return;
        jobs.splice(at, 1);
        if (jobs.length === 0) keyState.lanes.delete(lane);
        this.settle(key, keyState);
        reject(cancelled());
      };
      const job: Job = () => {
        signal?.removeEventListener('abort', onAbort);
        let result: Promise<T>;
        try {
          result = task();
        } catch (error) {
          result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        void result.then(resolve, reject).finally(() => {
          keyState.running = false;
          this.pump(key, keyState);
        });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const jobs = keyState.lanes.get(lane);
      if (jobs) jobs.push(job);
      else this.addLane(keyState, lane, job);
      this.pump(key, keyState);
    });
  }

  /** True while a task of `key` runs or waits (a watcher that only looks skips a busy token). */
  busy(key: string): boolean {
    // Empty keys are forgotten (see settle), so a key still held has work.
    return this.keys.has(key);
  }

  /** Resolves once no task is queued or running for any key (at once when idle). */
  drained(): Promise<void> {
    // Empty keys are forgotten (see settle), so no key left means nothing queued or running.
    if (this.keys.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * A lane that starts waiting goes just before the lane served last (which is at the back), as a newcomer in a
   * ring would: otherwise an origin arriving while another's operation runs would wait for that origin's next one too.
   */
  private addLane(state: KeyState, lane: string, job: Job): void {
    state.lanes.set(lane, [job]);
    const last = state.last === undefined || state.last === lane ? undefined : state.lanes.get(state.last);
    if (last) {
      state.lanes.delete(state.last!);
      state.lanes.set(state.last!, last);
    }
  }

  /** Starts the next task of `key` when none is running: the first of the lane whose turn it is. */
  private pump(key: string, state: KeyState): void {
    if (state.running) return;
    const next = state.lanes.entries().next();
    if (next.done) {
      this.settle(key, state);
      return;
    }
    const [lane, jobs] = next.value;
    const job = jobs.shift()!;
    state.last = lane;
    // Round-robin: the lane just served goes to the back of the line.
    state.lanes.delete(lane);
    if (jobs.length) state.lanes.set(lane, jobs);
    state.running = true;
    job();
  }

  /** Forgets an empty key, and wakes `drained()` waiters when nothing is left anywhere. */
  private settle(key: string, state: KeyState): void {
    if (state.running || state.lanes.size) return;
    if (this.keys.get(key) === state) this.keys.delete(key);
    if (this.keys.size === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }
}

function cancelled(): AgentError {
  return new AgentError(Reason.CANCELLED, 'cancelled: the connection closed before the operation started');
}
