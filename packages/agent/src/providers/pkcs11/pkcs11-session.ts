import pkcs11js from 'pkcs11js';
import { AgentError, Reason } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import { describeToken, type Slot } from './pkcs11-module.js';

/** How to open a session for one operation. */
export interface SessionOptions {
  /** Log in as the user with this PIN; without it the session sees public objects only. */
  pin?: string | undefined;
  /** Read-write, for operations that create or change objects. */
  write: boolean;
  /** What the operation is, for the message of an error the token reports. */
  operation: string;
}

/** A session and the module it belongs to: what every object helper takes. */
export interface Session {
  lib: pkcs11js.PKCS11;
  handle: pkcs11js.Handle;
}

/**
 * Opens a session of its own on `slot`, logs in with the PIN (when given), runs `work`, and always logs out and
 * closes. For the one operation that must not find pooled sessions on its token (`token.init`: `C_InitToken`
 * refuses a token with open sessions); every other operation takes its sessions from the pool (`withOperation`).
 * Failures come out as AgentErrors with a reason.
 */
export async function withSession<T>(slot: Slot, options: SessionOptions, work: (session: Session) => Promise<T> | T): Promise<T> {
  const { lib } = slot.module;
  let handle: pkcs11js.Handle;
  try {
    handle = lib.C_OpenSession(slot.slot, pkcs11js.CKF_SERIAL_SESSION | (options.write ? pkcs11js.CKF_RW_SESSION : 0));
  } catch (error) {
    throw toAgentError(error, 'open session');
  }
  const session = { lib, handle };
  let loggedIn = false;
  try {
    if (options.pin !== undefined) {
      login(slot, session, options.pin);
      loggedIn = true;
    }
    return await work(session);
  } catch (error) {
    throw toAgentError(error, options.operation);
  } finally {
    endSession(session, loggedIn);
  }
}

function endSession({ lib, handle }: Session, loggedIn: boolean): void {
  if (loggedIn) {
    try {
      lib.C_Logout(handle);
    } catch {
      // logged out already, or token removed
    }
  }
  try {
    lib.C_CloseSession(handle);
  } catch {
    // token removed
  }
}

/**
 * Logs in as the user. A wrong PIN re-reads the token's flags, which tell whether the next try is the last one or
 * the PIN is now locked (SoftHSM2 never locks; USB-Keys do), and the slot keeps them for `token.list`.
 */
export function login(slot: Slot, { lib, handle }: Session, pin: string): void {
  try {
    lib.C_Login(handle, pkcs11js.CKU_USER, pin);
  } catch (error) {
    if (ckrOf(error) === CKR.USER_ALREADY_LOGGED_IN) {
      // Never ride on a login we did not make: log out and prove this PIN.
      lib.C_Logout(handle);
      lib.C_Login(handle, pkcs11js.CKU_USER, pin);
      return;
    }
    throw refusedPin(slot, error, 'user', 'login');
  }
}

/**
 * What a refused PIN means, with the token's flags re-read (and kept in the slot for `token.list`): for the user
 * PIN `PIN_LOCKED` or `PIN_INCORRECT` (with `retriesLeft: 1` on the final try), for the security officer's
 * `SO_PIN_LOCKED` or `SO_PIN_INCORRECT`. Any other failure maps as usual.
 */
export function refusedPin(slot: Slot, error: unknown, who: 'user' | 'so', operation: string): AgentError {
  const mapped = toAgentError(error, operation);
  if (mapped.reason !== Reason.PIN_INCORRECT && mapped.reason !== Reason.PIN_LOCKED) return mapped;
  let flags = 0;
  try {
    const info = slot.module.lib.C_GetTokenInfo(slot.slot);
    slot.token = describeToken(slot.module, info);
    flags = info.flags;
  } catch {
    // keep the old flags
  }
  if (who === 'so') {
    if (mapped.reason === Reason.PIN_LOCKED || flags & pkcs11js.CKF_SO_PIN_LOCKED) return new AgentError(Reason.SO_PIN_LOCKED, 'the administrator PIN is locked');
    return new AgentError(Reason.SO_PIN_INCORRECT, 'the administrator PIN is incorrect', flags & pkcs11js.CKF_SO_PIN_FINAL_TRY ? { retriesLeft: 1 } : {});
  }
  if (mapped.reason === Reason.PIN_LOCKED || slot.token.pin.locked) return new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
  if (slot.token.pin.finalTry) return new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect', { retriesLeft: 1 });
  return mapped;
}

/** Every object matching `template`. */
export function findObjects({ lib, handle }: Session, template: pkcs11js.Template): pkcs11js.Handle[] {
  lib.C_FindObjectsInit(handle, template);
  try {
    const found: pkcs11js.Handle[] = [];
    for (;;) {
      const batch = lib.C_FindObjects(handle, 32);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    lib.C_FindObjectsFinal(handle);
  }
}
