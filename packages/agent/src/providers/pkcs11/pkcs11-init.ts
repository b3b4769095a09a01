import pkcs11js from 'pkcs11js';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import { describeToken, type Slot } from './pkcs11-module.js';
import { unblockUserPin } from './pkcs11-pin.js';
import { withSession } from './pkcs11-session.js';

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
  try {
    // PKCS#11 labels are 32 bytes, blank-padded; the caller checked the UTF-8 length.
    lib.C_InitToken(slot.slot, soPin, label);
  } catch (error) {
    const rv = ckrOf(error);
    if (rv === CKR.PIN_LEN_RANGE || rv === CKR.PIN_INVALID) throw new AgentError(Reason.INVALID_PARAMS, 'the USB-Key does not accept this administrator PIN (its length or characters)');
    throw toAgentError(error, 'token.init');
  }
  await withSession(slot, { write: true, operation: 'token.init' }, (session) => unblockUserPin(slot, session, soPin, userPin));
  slot.token = describeToken(slot.module, lib.C_GetTokenInfo(slot.slot));
  return slot.token;
}
