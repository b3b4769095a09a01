import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { CKR, ckrOf } from './pkcs11-errors.js';
import { ModuleGate } from './pkcs11-gate.js';
import { reinitPolicyFor, type ReinitPolicy } from './pkcs11-reinit.js';
import { SessionPool } from './pkcs11-session-pool.js';
import { SigningThreads, type SigningThreadEvents } from './pkcs11-sign-thread.js';
import { readTokenInfo } from './pkcs11-token-info.js';

/** The file a module path names, through symlinks; the path itself when it cannot be resolved (loading will say why). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A loaded vendor module. */
export interface Module {
  path: string;
  lib: pkcs11js.PKCS11;
  /** Keeps a re-initialisation apart from the module's operations. */
  gate: ModuleGate;
  /** Set for a module that sees other programs' tokens only after a re-initialisation (SoftHSM2). */
  reinit: ReinitPolicy | undefined;
  /** Sessions kept open per token between operations, and what was read of each token's keys. */
  sessions: SessionPool;
  /** Threads its batches are signed in. */
  threads: SigningThreads;
}

/** A token's slot held for one operation: no re-initialisation can happen until it is released. */
export interface Lease {
  slot: Slot;
  /** Ends the operation's hold on the module; idempotent. */
  release(): void;
}

/** How many removed token ids are remembered, to answer TOKEN_REMOVED rather than TOKEN_NOT_FOUND for them. */
const REMEMBER_REMOVED = 64;

/** A token present in one of a module's slots, as last read. */
export interface Slot {
  module: Module;
  slot: pkcs11js.Handle;
  token: Token;
}

function trim(text: string): string {
  return text.replace(/\0/g, '').trim();
}

/**
 * The token of a slot as `token.list` shows it. Its id hashes the module path, serial and label, so it stays the
 * same while the key is plugged in, whatever slot number the module gives it.
 */
export function describeToken(module: Module, info: pkcs11js.TokenInfo): Token {
  const serial = trim(info.serialNumber);
  const id = `p11-${createHash('sha256').update(`${module.path}\0${serial}\0${trim(info.label)}`).digest('hex').slice(0, 16)}`;
  const f = info.flags;
  return {
    id,
    provider: 'pkcs11',
    label: trim(info.label),
    manufacturer: trim(info.manufacturerID),
    model: trim(info.model),
    serial,
    pin: {
      initialized: Boolean(f & pkcs11js.CKF_TOKEN_INITIALIZED) && Boolean(f & pkcs11js.CKF_USER_PIN_INITIALIZED),
      locked: Boolean(f & pkcs11js.CKF_USER_PIN_LOCKED),
      countLow: Boolean(f & pkcs11js.CKF_USER_PIN_COUNT_LOW),
      finalTry: Boolean(f & pkcs11js.CKF_USER_PIN_FINAL_TRY),
      // PKCS#11 has no try count, but its flags pin down the two counts that matter.
      ...(f & pkcs11js.CKF_USER_PIN_LOCKED ? { retriesLeft: 0 } : f & pkcs11js.CKF_USER_PIN_FINAL_TRY ? { retriesLeft: 1 } : {}),
      mustChange: Boolean(f & pkcs11js.CKF_USER_PIN_TO_BE_CHANGED),
      soLocked: Boolean(f & pkcs11js.CKF_SO_PIN_LOCKED),
    },
  };
}

function initialize(lib: pkcs11js.PKCS11): void {
  try {
    // OS locking: without it, parallel operations on a multi-threaded module can corrupt memory.
    lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (error) {
    if (ckrOf(error) !== CKR.CRYPTOKI_ALREADY_INITIALIZED) throw error;
  }
}

/**
 * The vendor modules and the tokens they show: loading and initialising them, refreshing the token list
 * (re-initialising a module that needs it, see {@link ReinitPolicy}), leasing a token's slot to an operation, and
 * finalising them. The slot watcher (`pkcs11-watcher`) compares what {@link update} finds from one look to the next.
 */
export class Pkcs11Modules {
  private readonly modules: Module[] = [];
  private readonly slots = new Map<string, Slot>();
  /** Ids of tokens seen and then gone, most recent last. */
  private readonly gone = new Set<string>();
  private closed = false;

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(paths: string[], onError: (path: string, error: unknown) => void, threadEvents: (path: string) => SigningThreadEvents = () => ({})) {
    // One module reached through two paths (a distribution's symlink and its target) would list every USB-Key
    // twice, under two ids, each with its own PIN-throttle budget: load each real file once.
    const seen = new Set<string>();
    for (const path of paths) {
      const real = realPath(path);
      if (seen.has(real)) continue;
      seen.add(real);
      const lib = new pkcs11js.PKCS11();
      try {
        lib.load(path);
        initialize(lib);
        this.modules.push({ path, lib, gate: new ModuleGate(), reinit: reinitPolicyFor(lib), sessions: new SessionPool(lib), threads: new SigningThreads(path, threadEvents(path)) });
      } catch (error) {
        onError(path, error);
      }
    }
  }

  /**
   * Re-initialises the modules that need it to see tokens created or deleted since their last look, each once no
   * operation holds it, then re-reads every token list. Operations arriving meanwhile wait for the re-initialisation.
   */
  async update(): Promise<void> {
    await Promise.all(this.modules.filter((m) => this.isStale(m)).map((m) => m.gate.whenIdle(() => this.reinitialize(m))));
    this.refresh();
  }

  /**
   * Holds the slot of `tokenId` for one operation. A token not in the last list is looked for again; one that went
   * away is `TOKEN_REMOVED` (or `TOKEN_NOT_FOUND` if it was never seen). A token deleted since the last look is
   * caught by the operation's failure (see the provider's presence check). Release the lease before anything else
   * may wait for the module (that presence check does).
   */
  async lease(tokenId: string): Promise<Lease> {
    let slot = this.slots.get(tokenId);
    if (!slot) {
      await this.update();
      slot = this.slot(tokenId);
    }
    const { gate } = slot.module;
    await gate.enter();
    // A re-initialisation may have run while this waited: slot numbers read before it are void.
    const current = this.slots.get(tokenId);
    if (!current) {
      gate.leave();
      throw this.missing(tokenId);
    }
    let held = true;
    return {
      slot: current,
      release: () => {
        if (held) gate.leave();
        held = false;
      },
    };
  }

  /** Looks again (re-initialising where needed): is `tokenId` still present? For a failure's explanation. */
  async stillPresent(tokenId: string): Promise<boolean> {
    await this.update();
    return this.slots.has(tokenId);
  }

  /** Re-reads every module's slot list and token information. */
  refresh(): void {
    const seen = new Map<string, Slot>();
    for (const module of this.modules) {
      let slots: pkcs11js.Handle[];
      try {
        slots = module.lib.C_GetSlotList(true);
      } catch {
        continue; // a failing module hides its own USB-Keys only; the others and the software token stay usable
      }
      const shown = new Set<string>();
      for (const slot of slots) {
        const reading = readTokenInfo(module.lib, slot);
        if (reading.kind === 'absent') continue; // removed between the two calls
        const read = reading.kind === 'token' ? { module, slot, token: describeToken(module, reading.info) } : undefined;
        // Another program writing to the token can make it unreadable for a moment: not a removal.
        const found = read && reading.kind === 'token' && !reading.torn ? read : (this.lastRead(module, slot) ?? read);
        if (!found) continue;
        seen.set(found.token.id, found);
        shown.add(found.token.id);
      }
      // Only a module that answered says a token is gone: one that failed to list keeps its sessions for later.
      module.sessions.retain(shown);
    }
    for (const id of this.slots.keys()) if (!seen.has(id)) this.remember(id);
    this.slots.clear();
    for (const [id, slot] of seen) {
      this.slots.set(id, slot);
      this.gone.delete(id);
    }
  }

  /** Tokens as of the last {@link refresh}. */
  present(): Slot[] {
    return [...this.slots.values()];
  }

  /** The slot of a token as of the last {@link refresh}, if it was present. */
  known(tokenId: string): Slot | undefined {
    return this.slots.get(tokenId);
  }

  /**
   * The slot of a token as of the last {@link refresh}; when it was not present, `TOKEN_REMOVED` for a token seen
   * before and `TOKEN_NOT_FOUND` otherwise.
   */
  slot(tokenId: string): Slot {
    const slot = this.slots.get(tokenId);
    if (!slot) throw this.missing(tokenId);
    return slot;
  }

  /** Finalises and unloads every module. */
  close(): void {
    this.closed = true;
    for (const { lib, sessions, threads } of this.modules) {
      threads.end();
      sessions.forgetAll();
      try {
        lib.C_Finalize();
        lib.close();
      } catch {
        // already finalised: nothing to release
      }
    }
    this.modules.length = 0;
    this.slots.clear();
  }

  /** The token last read in `slot` of `module`, if any. */
  private lastRead(module: Module, slot: pkcs11js.Handle): Slot | undefined {
    for (const known of this.slots.values()) if (known.module === module && known.slot.equals(slot)) return known;
    return undefined;
  }

  private missing(tokenId: string): AgentError {
    return this.gone.has(tokenId) ? new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed') : new AgentError(Reason.TOKEN_NOT_FOUND, 'no such USB-Key');
  }

  private remember(tokenId: string): void {
    this.gone.delete(tokenId);
    this.gone.add(tokenId);
    if (this.gone.size > REMEMBER_REMOVED) this.gone.delete(this.gone.values().next().value!);
  }

  private isStale(module: Module): boolean {
    return !this.closed && module.reinit !== undefined && module.reinit.stale(module.reinit.look());
  }

  /**
   * `C_Finalize` + `C_Initialize` and a fresh token list (SoftHSM2 here: about 0.6 ms with one token, 4-6 ms with
   * four holding keys), only while no operation holds the module (it closes every session). The look is taken before, so a token created during the
   * re-initialisation is seen by the next look. A module that fails to initialise again shows no tokens and is
   * retried on the next look.
   */
  private reinitialize(module: Module): void {
    const policy = module.reinit;
    if (this.closed || !policy) return;
    const look = policy.look();
    if (!policy.stale(look)) return; // an earlier request already did it
    try {
      module.lib.C_Finalize();
    } catch {
      // not initialised (an earlier attempt failed): initialising is what matters
    }
    // Closed by C_Finalize, and their numbers will be handed out again: never to be closed or used.
    module.sessions.forgetAll();
    try {
      initialize(module.lib);
      policy.accept(look);
    } finally {
      // At once, before any held operation resumes: slot numbers and sessions from before are void.
      this.refresh();
    }
  }
}
