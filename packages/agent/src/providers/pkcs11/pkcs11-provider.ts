import pkcs11js from 'pkcs11js';
import { certificateFields, keyIdOf, type SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { holderCertificates, replaceCertificate, storeAuthority } from './pkcs11-certificates.js';
import { HiddenKeys } from './pkcs11-hidden-keys.js';
import { Pkcs11Modules, type Slot } from './pkcs11-module.js';
import { destroyKeyPair, keyIds, keyPairTemplates, keysWithId, publicKeyInfo, setKeyId } from './pkcs11-objects.js';
import { changeUserPin, unblockUserPin } from './pkcs11-pin.js';
import { withSession, type Session } from './pkcs11-session.js';
import { openKey } from './pkcs11-signer.js';

/**
 * USB-Keys through PKCS#11 (pkcs11js). One or more vendor modules; certificates are matched to private keys by
 * CKA_ID. Each operation opens a session, logs in, works, logs out and closes, one at a time per token.
 *
 * The parts: `pkcs11-module` (load, initialise, refresh), `pkcs11-session` (open, log in, find), `pkcs11-objects`
 * and `pkcs11-certificates` (templates, key and certificate objects), `pkcs11-signer` (the key at work),
 * `pkcs11-pin` (change and unblock the user PIN), `pkcs11-hidden-keys` (private keys hidden until login).
 */
export class Pkcs11Provider implements Provider {
  readonly kind = 'pkcs11' as const;
  private readonly modules: Pkcs11Modules;
  private readonly queue = new KeyedQueue();
  private readonly hidden = new HiddenKeys();

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(modulePaths: string[], onError: (path: string, error: unknown) => void = () => undefined) {
    this.modules = new Pkcs11Modules(modulePaths, onError);
  }

  owns(id: string): boolean {
    return id.startsWith('p11-');
  }

  async listTokens(): Promise<Token[]> {
    this.modules.refresh();
    const present = this.modules.present();
    this.hidden.retain(new Set(present.map((s) => s.token.id)));
    return present.map((s) => s.token);
  }

  async listCertificates(tokenId?: string): Promise<StoredCertificate[]> {
    this.modules.refresh();
    const slots = tokenId ? [this.modules.slot(tokenId)] : this.modules.present();
    const out: StoredCertificate[] = [];
    // A blank (uninitialised) key holds nothing yet, and most modules refuse a session on it.
    for (const slot of slots.filter((s) => s.token.pin.initialized)) {
      out.push(...(await this.queue.run(slot.token.id, () => this.readCertificates(slot))));
    }
    return out;
  }

  withKey<T>(ref: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    let slot = this.modules.known(ref.tokenId);
    if (!slot) {
      this.modules.refresh();
      slot = this.modules.slot(ref.tokenId);
    }
    const found = slot;
    return this.queue.run(found.token.id, () => this.loggedIn(found, pin, (session) => use(openKey(session, ref.keyId))));
  }

  /**
   * Generates a key pair on the USB-Key: the private key is sensitive and never extractable; both halves get
   * CKA_ID = the key identifier of the public key, so the certificate installed later finds its key.
   */
  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label = 'sicert'): Promise<GeneratedKey> {
    this.modules.refresh();
    const slot = this.modules.slot(tokenId);
    return this.queue.run(tokenId, () =>
      this.loggedIn(slot, pin, async (session) => {
        const templates = keyPairTemplates(algorithm, label, Buffer.from(crypto.getRandomValues(new Uint8Array(20))));
        const keys = session.lib.C_GenerateKeyPair(session.handle, templates.mechanism, templates.publicKey, templates.privateKey);
        const spki = publicKeyInfo(session, keys.publicKey, algorithm === 'ECDSA-P256' ? pkcs11js.CKK_EC : pkcs11js.CKK_RSA);
        const keyId = await keyIdOf(spki);
        setKeyId(session, [keys.publicKey, keys.privateKey], Buffer.from(keyId, 'hex'));
        return { keyId, publicKey: spki };
      }),
    );
  }

  /**
   * Stores a certificate on the USB-Key beside its key (same CKA_ID); refuses one that matches no key there.
   * Certificates are public objects, so no PIN is needed where the token keeps the public key; with a PIN the
   * private key itself is looked up too. Chain certificates are stored as CA certificates (CKA_CERTIFICATE_CATEGORY 2).
   */
  installCertificate(tokenId: string, der: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    this.modules.refresh();
    const slot = this.modules.slot(tokenId);
    return this.queue.run(tokenId, () =>
      withSession(slot, { pin, write: true, operation: 'token operation' }, async (session) => {
        const keyIdHex = await keyIdOf(certificateFields(der).publicKey);
        const keyId = Buffer.from(keyIdHex, 'hex');
        const classes = [pkcs11js.CKO_PUBLIC_KEY, ...(pin === undefined ? [] : [pkcs11js.CKO_PRIVATE_KEY])];
        if (keysWithId(session, keyId, classes).length === 0) throw new AgentError(Reason.KEY_NOT_FOUND, 'the certificate matches no key on this USB-Key');
        replaceCertificate(session, keyId, der);
        for (const ca of chain) storeAuthority(session, ca);
        return `${tokenId}/${keyIdHex}`;
      }),
    );
  }

  /** `C_SetPIN` with the old PIN (a counted try). The agent checked the new one against its policy first. */
  changePin(tokenId: string, oldPin: string, newPin: string): Promise<void> {
    const slot = this.present(tokenId);
    return this.queue.run(tokenId, () => withSession(slot, { write: true, operation: 'pin.change' }, (session) => changeUserPin(slot, session, oldPin, newPin)));
  }

  /** Security-officer login and `C_InitPIN`: the hall's reset of a locked or forgotten user PIN. */
  unblockPin(tokenId: string, soPin: string, newPin: string): Promise<void> {
    const slot = this.present(tokenId);
    return this.queue.run(tokenId, () => withSession(slot, { write: true, operation: 'pin.unblock' }, (session) => unblockUserPin(slot, session, soPin, newPin)));
  }

  /** Deletes a key pair without a certificate (see `destroyKeyPair`). */
  deleteKey(tokenId: string, keyId: string, pin: string): Promise<void> {
    const slot = this.present(tokenId);
    return this.queue.run(tokenId, () => this.loggedIn(slot, pin, (session) => destroyKeyPair(session, keyId)));
  }

  async close(): Promise<void> {
    this.modules.close();
  }

  /** The slot of a token present now (`TOKEN_NOT_FOUND` otherwise). */
  private present(tokenId: string): Slot {
    this.modules.refresh();
    return this.modules.slot(tokenId);
  }

  /** A logged-in session for `work`; once it is done, the login also tells which hidden private keys exist. */
  private loggedIn<T>(slot: Slot, pin: string, work: (session: Session) => Promise<T> | T): Promise<T> {
    return withSession(slot, { pin, write: true, operation: 'token operation' }, async (session) => {
      try {
        return await work(session);
      } finally {
        this.hidden.learn(slot.token.id, session);
      }
    });
  }

  /**
   * Certificates with their keys, read without a login. A key counts as present when an object of it is in sight
   * (the public key stands for the private one), or when the token hides private objects until login
   * (`CKF_LOGIN_REQUIRED`) and no login has shown it missing (see {@link HiddenKeys}).
   */
  private readCertificates(slot: Slot): Promise<StoredCertificate[]> {
    return withSession(slot, { write: false, operation: 'list certificates' }, (session) => {
      const inSight = keyIds(session);
      const hides = Boolean(slot.module.lib.C_GetTokenInfo(slot.slot).flags & pkcs11js.CKF_LOGIN_REQUIRED);
      const tokenId = slot.token.id;
      return holderCertificates(session).map(({ der, keyId }) => ({
        id: `${tokenId}/${keyId}`,
        tokenId,
        der: new Uint8Array(der),
        hasPrivateKey: inSight.has(keyId) || (hides && this.hidden.usable(tokenId, keyId)),
      }));
    });
  }
}
