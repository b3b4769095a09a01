import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { CKR, ckrOf } from './pkcs11-errors.js';

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
}

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

/**
 * The vendor modules and the tokens they show: loading and initialising them, refreshing the token list, and
 * finalising them. Watching slots for hot-plug belongs here too: it is a kind of refresh.
 */
export class Pkcs11Modules {
  private readonly modules: Module[] = [];
  private readonly slots = new Map<string, Slot>();

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(paths: string[], onError: (path: string, error: unknown) => void) {
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
        // OS locking: without it, parallel operations on a multi-threaded module can corrupt memory.
        lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
        this.modules.push({ path, lib });
      } catch (error) {
        if (ckrOf(error) === CKR.CRYPTOKI_ALREADY_INITIALIZED) this.modules.push({ path, lib });
        else onError(path, error);
      }
    }
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
      for (const slot of slots) {
        let info: pkcs11js.TokenInfo;
        try {
          info = module.lib.C_GetTokenInfo(slot);
        } catch {
          continue; // removed between the two calls
        }
        const token = describeToken(module, info);
        seen.set(token.id, { module, slot, token });
      }
    }
    this.slots.clear();
    for (const [id, slot] of seen) this.slots.set(id, slot);
  }

  /** Tokens as of the last {@link refresh}. */
  present(): Slot[] {
    return [...this.slots.values()];
  }

  /** The slot of a token as of the last {@link refresh}, if it was present. */
  known(tokenId: string): Slot | undefined {
    return this.slots.get(tokenId);
  }

  /** The slot of a token as of the last {@link refresh}; `TOKEN_NOT_FOUND` when it was not present. */
  slot(tokenId: string): Slot {
    const slot = this.slots.get(tokenId);
    if (!slot) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such USB-Key');
    return slot;
  }

  /** Finalises and unloads every module. */
  close(): void {
    for (const { lib } of this.modules) {
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
}
