import pkcs11js from 'pkcs11js';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import { describeToken, type Slot } from './pkcs11-module.js';
import { unblockUserPin } from './pkcs11-pin.js';
import { withSession } from './pkcs11-session.js';

/**
 * Refuses an SO PIN outside the length range the token states (`ulMinPinLen`-`ulMaxPinLen`, bytes), before
 * `C_InitToken`: tokens answer such a PIN differently, SoftHSM2 with `CKR_PIN_INCORRECT`, which reads as a wrong
 * password though a blank key has none yet. A bound of 0 (or a maximum below the minimum) states nothing.
 */
function checkSoPinLength(info: pkcs11js.TokenInfo, soPin: string): void {
  const length = new TextEncoder().encode(soPin).length;
  const min = info.minPinLen;
  const max = info.maxPinLen >= Math.max(min, 1) ? info.maxPinLen : Infinity;
  if (length >= min && length <= max) return;
  throw new AgentError(Reason.INVALID_PARAMS, `the USB-Key takes an administrator PIN of ${max === Infinity ? `at least ${min}` : `${min}-${max}`} bytes`);
}

/**
 * The hall's on-site USB-Key (hall mode only): initialises a blank token with the hall's SO PIN and a label
 * (`C_InitToken`), then sets the holder's PIN as security officer (`C_InitPIN`). A token that is already
 * initialised is refused before anything is written: `C_InitToken` on it would wipe every key and certificate
 * (given its SO PIN), which no page may ask for. Answers the token as it now is (its id follows its label).
 */
export async function initializeToken(slot: Slot, soPin: string, label: string, userPin: string): Promise<Token> {
  const { lib } = slot.module;
  let info: pkcs11js.TokenInfo;
  try {
    info = lib.C_GetTokenInfo(slot.slot);
  } catch (error) {
    throw toAgentError(error, 'token.init');
  }
  if (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) throw new AgentError(Reason.TOKEN_NOT_BLANK, 'the USB-Key is already initialised');
  checkSoPinLength(info, soPin);
  try {
    // PKCS#11 labels are 32 bytes, blank-padded; the caller checked the UTF-8 length.
    lib.C_InitToken(slot.slot, soPin, label);
  } catch (error) {
    const rv = ckrOf(error);
    if (rv === CKR.PIN_LEN_RANGE || rv === CKR.PIN_INVALID) throw new AgentError(Reason.INVALID_PARAMS, 'the USB-Key does not accept this administrator PIN (its length or characters)');
    // Any other refusal of the PIN concerns the administrator's (some keys come with one set at the factory), never
    // the holder's password; SO_PIN_INCORRECT counts against the throttle's SO budget. The blank key's SO flags say
    // nothing here (SoftHSM2 reports a blank key's SO PIN as locked), so only the answer is read.
    const mapped = toAgentError(error, 'token.init');
    if (mapped.reason === Reason.PIN_INCORRECT) throw new AgentError(Reason.SO_PIN_INCORRECT, 'the USB-Key refused this administrator PIN');
    if (mapped.reason === Reason.PIN_LOCKED) throw new AgentError(Reason.SO_PIN_LOCKED, 'the administrator PIN is locked');
    throw mapped;
  }
  await withSession(slot, { write: true, operation: 'token.init' }, (session) => unblockUserPin(slot, session, soPin, userPin));
  slot.token = describeToken(slot.module, lib.C_GetTokenInfo(slot.slot));
  return slot.token;
}
