import type pkcs11js from 'pkcs11js';
import { AgentError, Reason } from '@sicert/protocol';
import { toAgentError } from './pkcs11-errors.js';
import type { OperationSessions } from './pkcs11-operation.js';

/** A signature waiting for a session; holding `input` keeps it alive while a thread reads it. */
interface Waiting {
  input: Buffer;
  resolve: (signature: Buffer) => void;
  reject: (error: unknown) => void;
}

/**
 * The signatures of one operation with one key, made in order by as many of the operation's sessions as the token
 * allows (see {@link OperationSessions.acquire}): each session signs the next waiting input as soon as its last
 * signature returns. A signature that fails fails alone; its session is not used again in the operation. `C_SignInit` runs on the event loop (pkcs11js has no asynchronous form; SoftHSM2 spends about
 * 35 µs in it), `C_Sign` in libuv's thread pool, through the callback form of `C_SignAsync`: one closure a
 * signature and no promise of its own, since the loop's own work per signature is what bounds a batch on a fast
 * token. pkcs11js gives the thread the address of the input without holding the Buffer, so each waiting entry holds
 * its input until the callback.
 */
export class SignQueue {
  private waiting: (Waiting | undefined)[] = [];
  /** The first waiting signature no session has taken yet. */
  private next = 0;
  /** Sessions signing now. */
  private active = 0;
  private lastFailure: AgentError | undefined;

  constructor(
    private readonly sessions: OperationSessions,
    private readonly mechanism: pkcs11js.Mechanism,
    private readonly key: pkcs11js.Handle,
    /** Room for the signature: 132 bytes hold a P-521 `r‖s`, 512 an RSA-4096 signature. */
    private readonly size: number,
  ) {}

  /** Signs `input` (a digest, or a DigestInfo for RSA); failures come out as AgentErrors about `sign`. */
  sign(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.spread();
    });
  }

  /** Puts free sessions (and new ones, up to the token's limit) to work while signatures wait. */
  private spread(): void {
    while (this.next < this.waiting.length) {
      const handle = this.sessions.acquire();
      if (handle === undefined) break;
      this.active++;
      this.work(handle);
    }
    // Every session failed and none may replace them: what still waits cannot be signed in this operation.
    if (this.active === 0) this.rejectWaiting();
  }

  /** Starts the next waiting signature in `handle`, or gives the session back when none waits. */
  private work(handle: pkcs11js.Handle): void {
    const { lib } = this.sessions.first;
    if (this.next >= this.waiting.length) {
      this.active--;
      this.reset();
      this.sessions.release(handle);
      return;
    }
    const entry = this.waiting[this.next]!;
    this.waiting[this.next++] = undefined;
    try {
      lib.C_SignInit(handle, this.mechanism, this.key);
      lib.C_Sign(handle, entry.input, Buffer.allocUnsafe(this.size), (error: Error | null, signature) => {
        if (error) {
          this.failed(entry, error);
        } else {
          entry.resolve(signature);
          this.work(handle);
        }
      });
    } catch (error) {
      this.failed(entry, error);
    }
  }

  /** One signature failed: it alone is rejected, and its session retires (see {@link OperationSessions.retire}). */
  private failed(entry: Waiting, error: unknown): void {
    this.sessions.fail(error);
    this.lastFailure = toAgentError(error, 'sign');
    entry.reject(this.lastFailure);
    this.sessions.retire();
    this.active--;
    this.spread();
  }

  private rejectWaiting(): void {
    const failure = this.lastFailure ?? new AgentError(Reason.TOKEN_ERROR, 'no session of the USB-Key can sign');
    while (this.next < this.waiting.length) {
      const entry = this.waiting[this.next]!;
      this.waiting[this.next++] = undefined;
      entry.reject(failure);
    }
    this.reset();
  }

  private reset(): void {
    if (this.next < this.waiting.length) return;
    this.waiting = [];
    this.next = 0;
  }
}
