import pkcs11js from 'pkcs11js';
import { CKR, ckrOf } from './pkcs11-errors.js';

/** Readings of one slot's token information before an unreadable one is given up on. */
const READS = 3;

/** Failures that say the slot holds no token: anything else is a token that could not be read just now. */
const ABSENT: readonly number[] = [CKR.TOKEN_NOT_PRESENT, CKR.DEVICE_REMOVED, CKR.SLOT_ID_INVALID];

/** What a look at a slot's token found. */
export type TokenReading =
  /** `torn`: every reading was (see {@link torn}); the caller prefers what it read last of the slot, if anything. */
  | { kind: 'token'; info: pkcs11js.TokenInfo; torn: boolean }
  | { kind: 'absent' }
  | { kind: 'unreadable' };

/**
 * A reading that may have been taken while another program rewrote the token: an initialised token without a label
 * or serial. SoftHSM2 re-reads `token.object` when another process changed it, and another process's `C_Login`
 * rewrites it (emptied first): read meanwhile, `C_GetTokenInfo` fails with CKR_GENERAL_ERROR or answers blank
 * fields, and a blank label or serial changes the token's id (`describeToken`), so the key would seem pulled out.
 */
function torn(info: pkcs11js.TokenInfo): boolean {
  const blank = (text: string) => text.replace(/\0/g, '').trim() === '';
  return Boolean(info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) && (blank(info.label) || blank(info.serialNumber));
}

/**
 * `C_GetTokenInfo` of `slot`, read again (up to {@link READS} times) while it fails in a way that does not say the
 * token is gone, or answers a torn reading. A token that stays unreadable is `unreadable`, not `absent`: the caller
 * keeps what it read last rather than announce a removal, and so it does for a torn reading that persists (taken as
 * it is only for a slot it has not read before: a token may really have no label).
 */
export function readTokenInfo(lib: pkcs11js.PKCS11, slot: pkcs11js.Handle): TokenReading {
  let last: pkcs11js.TokenInfo | undefined;
  for (let read = 0; read < READS; read++) {
    try {
      last = lib.C_GetTokenInfo(slot);
    } catch (error) {
      const rv = ckrOf(error);
      if (rv !== undefined && ABSENT.includes(rv)) return { kind: 'absent' };
      continue;
    }
    if (!torn(last)) return { kind: 'token', info: last, torn: false };
  }
  return last ? { kind: 'token', info: last, torn: true } : { kind: 'unreadable' };
}
