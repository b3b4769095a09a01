import type pkcs11js from 'pkcs11js';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import type { KeyFacts } from './pkcs11-key-facts.js';
import type { Slot } from './pkcs11-module.js';
import { login, type Session, type SessionOptions } from './pkcs11-session.js';
import { isDeadSession, type SessionPool } from './pkcs11-session-pool.js';
import type { SigningThreads } from './pkcs11-sign-thread.js';

/**
 * The sessions of one operation on a token, taken from its module's {@link SessionPool}: the first, which logs in
 * and makes the lookups, and while signatures run in parallel (`sign.batch`, see `SignQueue`) more, opened on
 * demand up to the token's limit. PKCS#11 login state belongs to the token, so every session of the operation is
 * logged in with the first. At the end it logs out once and gives the sessions back; after any failure it closes
 * them instead (their state is unknown), and when a logout fails it closes every session of the token, which ends
 * the login.
 */
export class OperationSessions {
  readonly first: Session;
  /** What earlier operations read of the token's keys. */
  readonly facts: KeyFacts;
  private readonly pool: SessionPool;
  private readonly taken: pkcs11js.Handle[];
  private readonly free: pkcs11js.Handle[];
  private limit: number;
  /** Sessions a signature failed in: not handed out again in this operation. */
  private retired = 0;
  /** Sessions handed out by {@link acquire} and not yet released or retired: signatures may run in them. */
  private lent = 0;
  private ending = false;
  private settled: (() => void) | undefined;
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

  /** The threads the module signs batches in. */
  get threads(): SigningThreads {
    return this.slot.module.threads;
  }

  /** Logs in as the user with `pin` (see `login`): every session of the operation is logged in from then on. */
  login(pin: string): void {
    login(this.slot, this.first, pin);
    this.loggedIn = true;
  }

  /**
   * A session of this operation that no signature is using: a free one, or one more from the pool while under the
   * token's limit; undefined when all are busy. Give it back with {@link release}. Callers that use {@link first}
   * directly do so before or after, never during, signatures in parallel.
   */
  acquire(): pkcs11js.Handle | undefined {
    if (this.ending) return undefined;
    const handle = this.free.pop() ?? this.more();
    if (handle !== undefined) this.lent++;
    return handle;
  }

  /** Gives back a session taken with {@link acquire}. */
  release(handle: pkcs11js.Handle): void {
    this.free.push(handle);
    this.returned();
  }

  /** True once the operation is ending: no signature may start any more. */
  get closing(): boolean {
    return this.ending;
  }

  /**
   * Lets no new signature start and waits until none runs. The operation's caller may stop waiting for its
   * signatures before they return (a failure elsewhere): the logout, the sessions' return to the pool and the end
   * of the module's lease (after which a re-initialisation may finalise the module) must wait for them.
   */
  async quiesce(): Promise<void> {
    this.ending = true;
    if (this.lent > 0) await new Promise<void>((resolve) => (this.settled = resolve));
  }

  /**
   * Takes a session back that a signature failed in: its state is unknown (a module may leave the signing operation
   * active), so it is not handed out again and is closed at the end. Another may be opened in its place, as many
   * times in one operation as the token's limit, so a token that fails every signature does not open a session for
   * each.
   */
  retire(): void {
    this.retired++;
    this.returned();
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

  private returned(): void {
    this.lent--;
    if (this.lent === 0) this.settled?.();
  }

  private more(): pkcs11js.Handle | undefined {
    if (this.taken.length - this.retired >= this.limit || this.retired > this.limit) return undefined;
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
    await sessions.quiesce();
    sessions.end();
  }
}
