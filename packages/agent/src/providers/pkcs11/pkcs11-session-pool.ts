import pkcs11js from 'pkcs11js';
import { CKR, ckrOf } from './pkcs11-errors.js';
import { KeyFacts } from './pkcs11-key-facts.js';

/**
 * Sessions a token keeps open between operations, and the most one operation uses at once (to sign in parallel).
 * Three: libuv runs four threads, and a fourth signing session gains nothing on two cores while it would hold the
 * thread that file I/O and the software token's key derivation need. A token may state a lower limit.
 */
export const MAX_SESSIONS = 3;

/** CK_UNAVAILABLE_INFORMATION as pkcs11js reports a CK_ULONG: the token states no limit. */
const UNAVAILABLE = 0xffffffff;

/** `C_GetSessionInfo` states of a session nobody is logged in to: CKS_RO_PUBLIC_SESSION, CKS_RW_PUBLIC_SESSION. */
const PUBLIC_STATES: readonly number[] = [0, 2];

/** Failures that say the session is gone in the module: its handle is not ours to close any more. */
export function isDeadSession(error: unknown): boolean {
  const rv = ckrOf(error);
  return rv === CKR.SESSION_HANDLE_INVALID || rv === CKR.SESSION_CLOSED || rv === CKR.TOKEN_NOT_PRESENT || rv === CKR.DEVICE_REMOVED;
}

/** What the pool keeps for one token: its slot, its idle sessions, and what was read of its keys. */
interface TokenEntry {
  slot: pkcs11js.Handle;
  idle: pkcs11js.Handle[];
  limit: number;
  facts: KeyFacts;
}

/**
 * Sessions kept open per token between operations, so that an operation starts with a login rather than
 * `C_OpenSession` (and the lookups its session made last time). Every session is read-write (an SO login needs
 * every session of the token read-write) and public between operations: the operation logs in and out itself.
 *
 * Sessions die with the module's re-initialisation (`C_Finalize` closes them all: {@link forgetAll}, and their
 * numbers come back for new sessions), with their token ({@link retain} after a look at the slots), or behind the
 * agent's back (a USB-Key reset): an idle session is checked with `C_GetSessionInfo` before it is handed out (its
 * slot, and that it is public), so a dead one is replaced without the operation noticing. A handle is closed only
 * while it is a session of this token's slot, or right after the module called it dead: sessions are opened on the
 * event loop only, so its number cannot belong to another session in between (and a module wrong about it frees it).
 */
export class SessionPool {
  private readonly tokens = new Map<string, TokenEntry>();

  constructor(private readonly lib: pkcs11js.PKCS11) {}

  /** What is known of the keys of `tokenId` in `slot`: kept while the token and the module stay as they are. */
  facts(tokenId: string, slot: pkcs11js.Handle): KeyFacts {
    return this.entry(tokenId, slot).facts;
  }

  /** The most sessions one operation on the token may use: {@link MAX_SESSIONS}, or fewer where the token says so. */
  limit(tokenId: string, slot: pkcs11js.Handle): number {
    return this.entry(tokenId, slot).limit;
  }

  /**
   * A read-write session on the token: an idle one that still answers as a session of its slot in the expected
   * login state (public between operations; logged in when an operation that has logged in asks for one more), or
   * a new one. Throws what `C_OpenSession` throws (a token that is gone, one that allows no more sessions).
   */
  take(tokenId: string, slot: pkcs11js.Handle, loggedIn = false): pkcs11js.Handle {
    const entry = this.entry(tokenId, slot);
    for (let handle = entry.idle.pop(); handle !== undefined; handle = entry.idle.pop()) {
      if (this.usable(entry, handle, loggedIn)) return handle;
    }
    return this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  }

  /** Keeps `handles` (public again, each used without a failure) for the token's next operations; closes any beyond the limit. */
  give(tokenId: string, slot: pkcs11js.Handle, handles: readonly pkcs11js.Handle[]): void {
    const entry = this.entry(tokenId, slot);
    for (const handle of handles) {
      if (entry.idle.length < entry.limit) entry.idle.push(handle);
      else this.close(slot, handle);
    }
  }

  /** Closes `handles` where they still are sessions of the token's slot; forgets them otherwise. */
  discard(slot: pkcs11js.Handle, handles: readonly pkcs11js.Handle[]): void {
    for (const handle of handles) this.close(slot, handle);
  }

  /**
   * Ends every idle session of the token: closed where they still are sessions of its slot (closing a token's last
   * session also ends a login the token kept), forgotten otherwise; what was read of its keys goes with them.
   */
  drop(tokenId: string): void {
    const entry = this.tokens.get(tokenId);
    if (!entry) return;
    this.tokens.delete(tokenId);
    this.discard(entry.slot, entry.idle);
  }

  /** After a look at the slots: the sessions of tokens the module no longer shows are ended (most went with the token). */
  retain(present: ReadonlySet<string>): void {
    for (const id of [...this.tokens.keys()]) if (!present.has(id)) this.drop(id);
  }

  /** After `C_Finalize`: every handle is void (and its number may come back for another session). */
  forgetAll(): void {
    this.tokens.clear();
  }

  /** Idle sessions kept for a token (for tests and the doctor). */
  idle(tokenId: string): number {
    return this.tokens.get(tokenId)?.idle.length ?? 0;
  }

  private entry(tokenId: string, slot: pkcs11js.Handle): TokenEntry {
    const known = this.tokens.get(tokenId);
    if (known && known.slot.equals(slot)) return known;
    // The token moved to another slot (unplugged and plugged in elsewhere between two looks): its old sessions
    // went with the old slot.
    const entry: TokenEntry = { slot, idle: [], limit: this.sessionLimit(slot), facts: new KeyFacts() };
    this.tokens.set(tokenId, entry);
    return entry;
  }

  private sessionLimit(slot: pkcs11js.Handle): number {
    try {
      const { maxRwSessionCount } = this.lib.C_GetTokenInfo(slot);
      // 0 is CK_EFFECTIVELY_INFINITE; the unavailable marker states nothing.
      return maxRwSessionCount > 0 && maxRwSessionCount < UNAVAILABLE ? Math.min(MAX_SESSIONS, maxRwSessionCount) : MAX_SESSIONS;
    } catch {
      return MAX_SESSIONS; // the token did not say: a session it refuses is taken as its limit (see OperationSessions)
    }
  }

  /** True for an idle session that still is a session of the token's slot in the expected state; ends one that is not. */
  private usable(entry: TokenEntry, handle: pkcs11js.Handle, loggedIn: boolean): boolean {
    let info: pkcs11js.SessionInfo;
    try {
      info = this.lib.C_GetSessionInfo(handle);
    } catch {
      // Dead, most likely with its siblings (the token was reset): they are checked in turn.
      this.closeDead(handle);
      return false;
    }
    if (!info.slotID.equals(entry.slot)) return false; // the number now names a session elsewhere: not ours
    const isPublic = PUBLIC_STATES.includes(info.state);
    if (isPublic !== loggedIn) return true;
    if (!isPublic) {
      // Logged in between operations (a logout that failed): no operation may ride on that login.
      try {
        this.lib.C_Logout(handle);
      } catch {
        // closing below ends it when this is the token's last session
      }
    }
    this.close(entry.slot, handle);
    return false;
  }

  private close(slot: pkcs11js.Handle, handle: pkcs11js.Handle): void {
    let info: pkcs11js.SessionInfo;
    try {
      info = this.lib.C_GetSessionInfo(handle);
    } catch {
      this.closeDead(handle);
      return;
    }
    if (!info.slotID.equals(slot)) return;
    try {
      this.lib.C_CloseSession(handle);
    } catch {
      // gone meanwhile
    }
  }

  /** Closes a session the module has just called dead: harmless if it is, and it frees it if the module was wrong. */
  private closeDead(handle: pkcs11js.Handle): void {
    try {
      this.lib.C_CloseSession(handle);
    } catch {
      // dead indeed
    }
  }
}
