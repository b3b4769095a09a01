import pkcs11js from 'pkcs11js';
import { keysWithId } from './pkcs11-objects.js';
import type { Session } from './pkcs11-session.js';

/**
 * Private keys a USB-Key hides until login. A private key is a private object, which a session without login does
 * not see; the agent's own keys have a public key beside them that stands for it, but OpenSC (`pkcs11-tool
 * --write-object --type privkey`) and PKCS#12 imports store only the private key and the certificate. Listing
 * such a certificate as unusable would lock its holder out (the picker disables it, so they never log in), so
 * before any login it counts as usable, and every later login on the token looks up the private keys still in
 * question: from then on the listing says what the token holds.
 */
export class HiddenKeys {
  /** Per token id: key ids whose certificate was listed with no key in sight, and what the last login found. */
  private readonly tokens = new Map<string, Map<string, boolean | undefined>>();

  /** Whether the hidden key of a listed certificate can be used: what the last login found, or yes before any. */
  usable(tokenId: string, keyId: string): boolean {
    let keys = this.tokens.get(tokenId);
    if (!keys) this.tokens.set(tokenId, (keys = new Map<string, boolean | undefined>()));
    if (!keys.has(keyId)) keys.set(keyId, undefined);
    return keys.get(keyId) ?? true;
  }

  /** After a login on the token: looks up the private key of every certificate in question. Never throws. */
  learn(tokenId: string, session: Session): void {
    const keys = this.tokens.get(tokenId);
    if (!keys) return;
    try {
      for (const keyId of keys.keys()) keys.set(keyId, keysWithId(session, Buffer.from(keyId, 'hex'), [pkcs11js.CKO_PRIVATE_KEY]).length > 0);
    } catch {
      // the key was removed mid-way: what is not learnt now is learnt at the next login
    }
  }

  /** Keeps what was learnt only for tokens still present: a key plugged in again may have been changed elsewhere. */
  retain(present: ReadonlySet<string>): void {
    for (const id of this.tokens.keys()) if (!present.has(id)) this.tokens.delete(id);
  }
}
