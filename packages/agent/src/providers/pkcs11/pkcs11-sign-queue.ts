import type pkcs11js from 'pkcs11js';
import { AgentError, Reason } from '@sicert/protocol';
import { toAgentError } from './pkcs11-errors.js';
import type { OperationSessions } from './pkcs11-operation.js';
import type { SignResult } from './pkcs11-sign-thread.js';

/** A token that signs faster than this is fast: its batches go to signing threads in chunks. */
const FAST_MS = 5;
/** Signatures a thread makes in one go. */
const CHUNK = 32;

/** A signature waiting for a session; holding `input` keeps it alive while a thread reads it. */
interface Waiting {
  input: Buffer;
  resolve: (signature: Buffer) => void;
  reject: (error: unknown) => void;
}

/**
 * The signatures of one operation with one key, made by as many of the operation's sessions as the token allows
 * (see {@link OperationSessions.acquire}): each session takes the next waiting signatures as soon as its last ones
 * return. A signature that fails fails alone, and its session is not used again in the operation.
 *
 * On the event loop's way, `C_SignInit` runs on the loop (pkcs11js has no asynchronous form) and `C_Sign` in
 * libuv's thread pool through the callback form of `C_SignAsync`: one closure a signature, no promise of its own.
 * pkcs11js gives the thread the address of the input without holding the Buffer, so each waiting entry holds its
 * input until the callback. That way a USB-Key's 300 ms signatures hold no page up, but on a fast token the loop's
 * part of each signature (SoftHSM2 spends 35 µs in `C_SignInit`, the hand-over to the pool about 20 µs) bounds a
 * batch; once a signature has come back within {@link FAST_MS}, chunks of {@link CHUNK} go to a signing thread
 * (`SigningThreads`) that makes both calls, while a thread is free.
 */
export class SignQueue {
  private waiting: (Waiting | undefined)[] = [];
  /** The first waiting signature no session has taken yet. */
  private next = 0;
  /** Sessions signing now. */
  private active = 0;
  private lastFailure: AgentError | undefined;
  /** Set once a signature returned within {@link FAST_MS}: a software or network HSM rather than a USB-Key. */
  private fast = false;
  /** Sessions whose signatures a thread is making now. */
  private threaded = 0;

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
      // A session that declines (the threads carry the batch) would be handed straight back here: stop.
      if (!this.work(handle)) break;
    }
    // Every session failed and none may replace them, or the operation ended: what still waits is not signed.
    if (this.active === 0) this.rejectWaiting(this.sessions.closing ? new AgentError(Reason.CANCELLED, 'the operation ended before this signature was made') : undefined);
  }

  /**
   * Starts the next waiting signatures in `handle`: a chunk in a signing thread when the token is fast and a
   * thread is free, else one on the event loop; or gives the session back when none waits (or, on a fast token,
   * when the threads carry the batch). True when it started something.
   */
  private work(handle: pkcs11js.Handle): boolean {
    if (this.sessions.closing) this.rejectWaiting(new AgentError(Reason.CANCELLED, 'the operation ended before this signature was made'));
    if (this.next >= this.waiting.length) {
      this.active--;
      this.reset();
      this.sessions.release(handle);
      return false;
    }
    if (this.fast && this.waiting.length - this.next > 1) {
      if (this.inThread(handle)) return true;
      if (this.threaded > 0) {
        // The threads carry the batch: signing here too would take the loop (and a core) from them and the pages.
        this.active--;
        this.sessions.release(handle);
        return false;
      }
    }
    const { lib } = this.sessions.first;
    const entry = this.waiting[this.next]!;
    this.waiting[this.next++] = undefined;
    const started = performance.now();
    try {
      lib.C_SignInit(handle, this.mechanism, this.key);
      lib.C_Sign(handle, entry.input, Buffer.allocUnsafe(this.size), (error: Error | null, signature) => {
        if (error) {
          this.reject(entry, error);
          this.retire();
          return;
        }
        if (performance.now() - started < FAST_MS) this.fast = true;
        entry.resolve(signature);
        this.work(handle);
      });
    } catch (error) {
      this.reject(entry, error);
      this.retire();
    }
    return true;
  }

  /** Hands the next chunk to a free signing thread; false when none is free. */
  private inThread(handle: pkcs11js.Handle): boolean {
    const chunk = this.waiting.slice(this.next, this.next + CHUNK) as Waiting[];
    const job = this.sessions.threads.run({ session: handle, key: this.key, mechanism: this.mechanism.mechanism, size: this.size, inputs: chunk.map((e) => e.input) });
    if (!job) return false;
    this.waiting.fill(undefined, this.next, this.next + chunk.length);
    this.next += chunk.length;
    this.threaded++;
    job.then(
      (results) => {
        this.threaded--;
        this.settle(handle, chunk, results);
      },
      (error: unknown) => {
        this.threaded--;
        // The thread died before answering: its chunk waits again, to be signed the event loop's way, and the
        // session it was signing in (its state unknown) retires like one a signature failed in.
        this.fast = false;
        this.waiting.push(...chunk);
        this.sessions.fail(error);
        this.retire();
      },
    );
    return true;
  }

  /** A thread's answers: signatures resolve, a failure rejects its entry and retires the session, the rest wait again. */
  private settle(handle: pkcs11js.Handle, chunk: Waiting[], results: SignResult[]): void {
    let failed = false;
    for (const [i, entry] of chunk.entries()) {
      const result = results[i] ?? null;
      if (result === null) this.waiting.push(entry);
      else if ('error' in result) {
        // What pkcs11js would have thrown here: the CK_RV travels as `code` (see `ckrOf`).
        this.reject(entry, Object.assign(new Error(result.error), { code: result.code }));
        failed = true;
      } else entry.resolve(Buffer.from(result.signature.buffer, result.signature.byteOffset, result.signature.byteLength));
    }
    if (failed) this.retire();
    else this.work(handle);
  }

  /** One signature failed: it alone is rejected. */
  private reject(entry: Waiting, error: unknown): void {
    this.sessions.fail(error);
    this.lastFailure = toAgentError(error, 'sign');
    entry.reject(this.lastFailure);
  }

  /** The session a signature failed in is not used again in this operation (see {@link OperationSessions.retire}). */
  private retire(): void {
    this.sessions.retire();
    this.active--;
    this.spread();
  }

  private rejectWaiting(reason?: AgentError): void {
    const failure = reason ?? this.lastFailure ?? new AgentError(Reason.TOKEN_ERROR, 'no session of the USB-Key can sign');
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
