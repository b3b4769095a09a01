import pkcs11js from 'pkcs11js';
import { AgentError, Reason } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import type { Slot } from './pkcs11-module.js';
import { refusedPin, type Session } from './pkcs11-session.js';

/**
 * A new PIN the USB-Key will not take (`CKR_PIN_LEN_RANGE`, `CKR_PIN_INVALID`): the key's own rules are stricter
 * than the agent's policy (some keys take at most 8 characters, or digits only). The token counted no try.
 */
function refusedNewPin(error: unknown): AgentError | undefined {
  const rv = ckrOf(error);
  if (rv !== CKR.PIN_LEN_RANGE && rv !== CKR.PIN_INVALID) return undefined;
  return new AgentError(Reason.PIN_POLICY, 'the USB-Key does not accept this new PIN (its length or characters)');
}

/**
 * Changes the user PIN with `C_SetPIN` in a read-write session nobody is logged in to, which PKCS#11 applies to
 * the user PIN after checking the old one (a wrong old PIN is a try the token counts).
 */
export function changeUserPin(slot: Slot, { lib, handle }: Session, oldPin: string, newPin: string): void {
  try {
    lib.C_SetPIN(handle, oldPin, newPin);
  } catch (error) {
    throw refusedNewPin(error) ?? refusedPin(slot, error, 'user', 'pin.change');
  }
}

/**
 * The service hall's reset: logs in as security officer (`CKU_SO`), sets a new user PIN with `C_InitPIN` (which
 * clears a user-PIN lock), and logs out whatever happens.
 */
export function unblockUserPin(slot: Slot, { lib, handle }: Session, soPin: string, newPin: string): void {
  try {
    lib.C_Login(handle, pkcs11js.CKU_SO, soPin);
  } catch (error) {
    throw refusedPin(slot, error, 'so', 'pin.unblock');
  }
  try {
    lib.C_InitPIN(handle, newPin);
  } catch (error) {
    throw refusedNewPin(error) ?? toAgentError(error, 'pin.unblock');
  } finally {
    try {
      lib.C_Logout(handle);
    } catch {
      // token removed: its login went with it
    }
  }
}
