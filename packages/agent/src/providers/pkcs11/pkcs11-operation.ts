import type pkcs11js from 'pkcs11js';
import { AgentError } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import type { KeyFacts } from './pkcs11-key-facts.js';
import type { Slot } from './pkcs11-module.js';
import { login, type Session, type SessionOptions } from './pkcs11-session.js';
import { isDeadSession, type SessionPool } from './pkcs11-session-pool.js';

/**
 * The sessions of one operation on a token, taken from its module's {@link SessionPool}: the first, which logs in
 * and makes the lookups, and while signatures run in parallel (`sign.batch`) more, opened on demand up to the
 * token's limit. PKCS#11 login state belongs to the token, so every session of the operation is logged in with the
 * first. At the end it logs out once and gives the sessions back; after any failure it closes them instead (their
 * state is unknown), and when a logout fails it closes every session of the token, which ends the login.
 */
export class OperationSessions {
  readonly first: Session;
  /** What earlier operations read of the token's keys. */
  readonly facts: KeyFacts;
  private readonly pool: SessionPool;
  private readonly taken: pkcs11js.Handle[];
  private readonly free: pkcs11js.Handle[];
  /** Calls waiting for a session, in order; `next` is the first not yet started. */
  private tasks: (Task | undefined)[] = [];
  private next = 0;
  private limit: number;
  private loggedIn = false;
  private failed = false;
  private dead = false;

  /** Takes the first session; throws what `C_OpenSession` throws. */
  constructor(private readonly slot: Slot) {
    this.pool = slot.module.sessions;
    const handle = this.pool.take(slot.token.id, slot.slot);
    this.first = { lib: slot.module.lib, handle };
    this.taken = [handle];
    this.free = [handle];
    this.facts = this.pool.facts(slot.token.id, slot.slot);
    this.limit = this.pool.limit(slot.token.id, slot.slot);
  }

  /** Logs in as the user with `pin` (see `login`): every session of the operation is logged in from then on. */
  login(pin: string): void {
    login(this.slot, this.first, pin);
    this.loggedIn = true;
  }

  /**
   * Runs `use` on a session of this operation that no other call is using, in arrival order: each session the
   * operation has (up to the token's limit, opened on demand) works through the waiting calls one after the other.
   * A failure marks the operation failed (see {@link end}) and comes out as an AgentError about `operation`. Callers
   * that use {@link first} directly do so before or after, never during, parallel calls.
   */
  parallel<T>(use: (session: Session) => Promise<T>, operation: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.tasks.push({ use, resolve: resolve as (value: unknown) => void, reject, operation });
      this.start();
    });
  }

  /** Marks the operation failed: its sessions are closed at the end, and a dead session takes the idle ones along. */
  fail(error: unknown): void {
    this.failed = true;
    if (isDeadSession(error)) this.dead = true;
    this.facts.forget();
  }

  /** Logs out when logged in, then gives the sessions back to the pool, or after a failure closes them. */
  end(): void {
    let dropIdle = this.dead;
    if (this.loggedIn) {
      try {
        this.first.lib.C_Logout(this.first.handle);
      } catch (error) {
        if (ckrOf(error) !== CKR.USER_NOT_LOGGED_IN) {
          // Still logged in, maybe: closing every session of the token ends the login for certain.
          this.failed = true;
          dropIdle = true;
        }
      }
    }
    const tokenId = this.slot.token.id;
    if (dropIdle) this.pool.drop(tokenId);
    if (this.failed) this.pool.discard(this.slot.slot, this.taken);
    else this.pool.give(tokenId, this.slot.slot, this.taken);
  }

  /** Puts every free session (and more, up to the limit) to work while calls wait. */
  private start(): void {
    while (this.next < this.tasks.length) {
      const handle = this.free.pop() ?? this.more();
      if (handle === undefined) return;
      void this.work(handle);
    }
  }

  /** One session working through the waiting calls; the loop, not a promise per call, keeps the event loop light. */
  private async work(handle: pkcs11js.Handle): Promise<void> {
    const session = { lib: this.first.lib, handle };
    while (this.next < this.tasks.length) {
      const task = this.tasks[this.next]!;
      this.tasks[this.next++] = undefined;
      try {
        task.resolve(await task.use(session));
      } catch (error) {
        this.fail(error);
        task.reject(error instanceof AgentError ? error : toAgentError(error, task.operation));
      }
    }
    this.tasks = [];
    this.next = 0;
    this.free.push(handle);
  }

  private more(): pkcs11js.Handle | undefined {
    if (this.taken.length >= this.limit) return undefined;
    try {
      const handle = this.pool.take(this.slot.token.id, this.slot.slot, this.loggedIn);
      this.taken.push(handle);
      return handle;
    } catch {
      // The token allows no more sessions (CKR_SESSION_COUNT) or is going: carry on with those it gave.
      this.limit = this.taken.length;
      return undefined;
    }
  }
}

/** A call waiting for a session of the operation. */
interface Task {
  use: (session: Session) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  operation: string;
}

/**
 * Runs one operation on `slot` in sessions from its module's pool: logs in with the PIN (when given), runs `work`,
 * logs out, and gives the sessions back (see {@link OperationSessions}). Failures come out as AgentErrors with a
 * reason.
 */
export async function withOperation<T>(slot: Slot, options: SessionOptions, work: (sessions: OperationSessions) => Promise<T> | T): Promise<T> {
  let sessions: OperationSessions;
  try {
    sessions = new OperationSessions(slot);
  } catch (error) {
    throw toAgentError(error, 'open session');
  }
  try {
    if (options.pin !== undefined) sessions.login(options.pin);
    return await work(sessions);
  } catch (error) {
    sessions.fail(error);
    throw toAgentError(error, options.operation);
  } finally {
    sessions.end();
  }
}
