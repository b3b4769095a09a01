import pkcs11js from 'pkcs11js';
import { certificateFields, keyIdOf, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { TokenChanges, type TokenChangeListener } from '../token-changes.js';
import { holderCertificates, replaceCertificate, storeAuthority } from './pkcs11-certificates.js';
import { HiddenKeys } from './pkcs11-hidden-keys.js';
import { initializeToken } from './pkcs11-init.js';
import { Pkcs11Modules, type Slot } from './pkcs11-module.js';
import type { SigningThreadEvents } from './pkcs11-sign-thread.js';
import { destroyKeyPair, keyIds, keyPairTemplates, keysWithId, publicKeyInfo, setKeyId } from './pkcs11-objects.js';
import { changeUserPin, unblockUserPin } from './pkcs11-pin.js';
import { withOperation, type OperationSessions } from './pkcs11-operation.js';
import type { Session, SessionOptions } from './pkcs11-session.js';
import { openKey } from './pkcs11-signer.js';
import { certificatesDigest, SlotWatcher } from './pkcs11-watcher.js';

/** Reasons that are the token's own answer: it was there to give them, so no presence check is needed. */
const ANSWERED: readonly string[] = [Reason.PIN_INCORRECT, Reason.PIN_LOCKED, Reason.SO_PIN_INCORRECT, Reason.SO_PIN_LOCKED, Reason.PIN_POLICY, Reason.KEY_IN_USE, Reason.TOKEN_REMOVED];

/** Settings of a {@link Pkcs11Provider}. */
export interface Pkcs11ProviderOptions {
  /** Time between two looks at the slots while anyone listens to token changes (default 500 ms). */
  pollIntervalMs?: number;
  /** Told when a module's signing thread starts, or its threads break (see `SigningThreads`). */
  signingThreads?: (path: string) => SigningThreadEvents;
}

/**
 * USB-Keys through PKCS#11 (pkcs11js). One or more vendor modules; certificates are matched to private keys by
 * CKA_ID. Each operation holds its token's slot (no module re-initialisation meanwhile), takes a session the token
 * keeps open (more to sign in parallel), logs in, works, and logs out, one at a time per token. While anyone
 * listens to its changes it polls the slots.
 *
 * The parts: `pkcs11-module` (load, initialise, refresh, lease), `pkcs11-session-pool` (sessions kept open per
 * token), `pkcs11-operation` (one operation's sessions, login and logout), `pkcs11-key-facts` (key types and
 * certificates already read), `pkcs11-session` (log in, find),
 * `pkcs11-objects` and `pkcs11-certificates` (templates, key and certificate objects), `pkcs11-signer` (the key at
 * work), `pkcs11-pin` (change and unblock the user PIN), `pkcs11-hidden-keys` (private keys hidden until login),
 * `pkcs11-watcher` (hot-plug), `pkcs11-gate` and `pkcs11-reinit` (re-initialising a module that needs it).
 */
export class Pkcs11Provider implements Provider {
  readonly kind = 'pkcs11' as const;
  private readonly modules: Pkcs11Modules;
  private readonly queue = new KeyedQueue();
  private readonly changes = new TokenChanges({ first: () => this.watcher.start(), last: () => this.watcher.stop() });
  private readonly watcher: SlotWatcher;
  private readonly hidden = new HiddenKeys();

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(modulePaths: string[], onError: (path: string, error: unknown) => void = () => undefined, options: Pkcs11ProviderOptions = {}) {
    this.modules = new Pkcs11Modules(modulePaths, onError, options.signingThreads);
    this.watcher = new SlotWatcher({
      modules: this.modules,
      changes: this.changes,
      certificates: (slot, wait) => this.digest(slot, wait),
      ...(options.pollIntervalMs === undefined ? {} : { intervalMs: options.pollIntervalMs }),
    });
  }

  owns(id: string): boolean {
    return id.startsWith('p11-');
  }

  async listTokens(): Promise<Token[]> {
    await this.modules.update();
    const present = this.modules.present();
    this.hidden.retain(new Set(present.map((s) => s.token.id)));
    return present.map((s) => s.token);
  }

  async listCertificates(tokenId?: string): Promise<StoredCertificate[]> {
    await this.modules.update();
    const slots = tokenId ? [this.modules.slot(tokenId)] : this.modules.present();
    const out: StoredCertificate[] = [];
    // A blank (uninitialised) key holds nothing yet, and most modules refuse a session on it.
    for (const slot of slots.filter((s) => s.token.pin.initialized)) {
      out.push(...(await this.queue.run(slot.token.id, () => this.readCertificates(slot.token.id))));
    }
    return out;
  }

  withKey<T>(ref: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    return this.queue.run(ref.tokenId, () => this.loggedIn(ref.tokenId, pin, (sessions) => use(openKey(sessions, ref.keyId))));
  }

  /**
   * Generates a key pair on the USB-Key: the private key is sensitive and never extractable; both halves get
   * CKA_ID = the key identifier of the public key, so the certificate installed later finds its key. The
   * generation runs in libuv's thread pool (`C_GenerateKeyPairAsync`): seconds for RSA on a USB-Key hold no page up.
   */
  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label = 'sicert'): Promise<GeneratedKey> {
    return this.queue.run(tokenId, () =>
      this.loggedIn(tokenId, pin, async ({ first: session, facts }) => {
        facts.forget();
        const templates = keyPairTemplates(algorithm, label, Buffer.from(crypto.getRandomValues(new Uint8Array(20))));
        const keys = await session.lib.C_GenerateKeyPairAsync(session.handle, templates.mechanism, templates.publicKey, templates.privateKey);
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
   * Listeners hear `token.changed` as soon as the certificate is stored.
   */
  async installCertificate(tokenId: string, der: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    const certId = await this.queue.run(tokenId, () =>
      this.operate(tokenId, { pin, write: true, operation: 'token operation' }, async (session, _slot, { facts }) => {
        facts.forget();
        const keyIdHex = await keyIdOf(certificateFields(der).publicKey);
        const keyId = Buffer.from(keyIdHex, 'hex');
        const classes = [pkcs11js.CKO_PUBLIC_KEY, ...(pin === undefined ? [] : [pkcs11js.CKO_PRIVATE_KEY])];
        if (keysWithId(session, keyId, classes).length === 0) throw new AgentError(Reason.KEY_NOT_FOUND, 'the certificate matches no key on this USB-Key');
        replaceCertificate(session, keyId, der);
        for (const ca of chain) storeAuthority(session, ca);
        return `${tokenId}/${keyIdHex}`;
      }),
    );
    // Not awaited: it waits for the token's turn, and the page's answer must not wait for the announcement.
    void this.watcher.recheck(tokenId);
    return certId;
  }

  onChange(listener: TokenChangeListener): () => void {
    return this.changes.on(listener);
  }

  /** True while the provider polls its slots: while anyone listens to its changes, until it closes. */
  get watching(): boolean {
    return this.watcher.running;
  }

  /** `C_SetPIN` with the old PIN (a counted try). The agent checked the new one against its policy first. */
  changePin(tokenId: string, oldPin: string, newPin: string): Promise<void> {
    return this.announced(tokenId, this.queue.run(tokenId, () => this.operate(tokenId, { write: true, operation: 'pin.change' }, (session, slot) => changeUserPin(slot, session, oldPin, newPin))));
  }

  /** Security-officer login and `C_InitPIN`: the hall's reset of a locked or forgotten user PIN. */
  unblockPin(tokenId: string, soPin: string, newPin: string): Promise<void> {
    return this.announced(tokenId, this.queue.run(tokenId, () => this.operate(tokenId, { write: true, operation: 'pin.unblock' }, (session, slot) => unblockUserPin(slot, session, soPin, newPin))));
  }

  /** Hall mode: a blank USB-Key initialised with the hall's SO PIN and the holder's PIN (see `initializeToken`). */
  initToken(tokenId: string, soPin: string, label: string, pin: string): Promise<string> {
    return this.queue.run(tokenId, async () => {
      const lease = await this.modules.lease(tokenId);
      try {
        // C_InitToken refuses a token with sessions open (CKR_SESSION_EXISTS).
        lease.slot.module.sessions.drop(tokenId);
        return (await initializeToken(lease.slot, soPin, label, pin)).id;
      } finally {
        lease.release();
      }
    });
  }

  /** Deletes a key pair without a certificate (see `destroyKeyPair`). */
  deleteKey(tokenId: string, keyId: string, pin: string): Promise<void> {
    return this.queue.run(tokenId, () =>
      this.loggedIn(tokenId, pin, ({ first, facts }) => {
        facts.forget();
        destroyKeyPair(first, keyId);
      }),
    );
  }

  /**
   * A PIN change or reset alters the token's PIN flags, succeeded or not: listeners hear `token.changed` without
   * waiting for the next poll. Not awaited, as after `cert.install`: the answer must not wait for the announcement.
   */
  private async announced(tokenId: string, work: Promise<void>): Promise<void> {
    try {
      await work;
    } finally {
      void this.watcher.recheck(tokenId);
    }
  }

  async close(): Promise<void> {
    this.watcher.stop();
    this.modules.close();
  }

  /**
   * One operation on a token: holds its slot, hands `work` the token's pooled sessions (the first for lookups), and
   * gives them back. When the operation fails in a way the token did not answer itself (an unknown CKR, a key that
   * cannot be found) and the token is gone when looked for again, the failure is `TOKEN_REMOVED`: modules report a
   * key pulled mid-operation in many ways (SoftHSM2 says CKR_OBJECT_HANDLE_INVALID or CKR_GENERAL_ERROR for a
   * deleted token).
   */
  private async operate<T>(tokenId: string, options: SessionOptions, work: (session: Session, slot: Slot, sessions: OperationSessions) => Promise<T> | T): Promise<T> {
    const lease = await this.modules.lease(tokenId);
    try {
      return await withOperation(lease.slot, options, (sessions) => work(sessions.first, lease.slot, sessions));
    } catch (error) {
      // Released before looking again: the look may have to wait for the module to be free.
      lease.release();
      if (error instanceof AgentError && ANSWERED.includes(error.reason)) throw error;
      if (!(await this.modules.stillPresent(tokenId).catch(() => true))) throw new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed during the operation');
      throw error;
    } finally {
      lease.release();
    }
  }

  /** A logged-in operation; once it is done, the login also tells which hidden private keys exist. */
  private loggedIn<T>(tokenId: string, pin: string, work: (sessions: OperationSessions) => Promise<T> | T): Promise<T> {
    return this.operate(tokenId, { pin, write: true, operation: 'token operation' }, async (session, slot, sessions) => {
      try {
        return await work(sessions);
      } finally {
        // The first session is the lookups' again only once no signature runs in it.
        await sessions.quiesce();
        this.hidden.learn(slot.token.id, session);
      }
    });
  }

  /**
   * Certificates with their keys, read without a login. A key counts as present when an object of it is in sight
   * (the public key stands for the private one), or when the token hides private objects until login
   * (`CKF_LOGIN_REQUIRED`) and no login has shown it missing (see {@link HiddenKeys}).
   */
  private readCertificates(tokenId: string): Promise<StoredCertificate[]> {
    return this.operate(tokenId, { write: false, operation: 'list certificates' }, (session, slot, { facts }) => {
      const inSight = keyIds(session);
      const hides = Boolean(slot.module.lib.C_GetTokenInfo(slot.slot).flags & pkcs11js.CKF_LOGIN_REQUIRED);
      const id = slot.token.id;
      const certificates = holderCertificates(session);
      facts.saw(certificates);
      return certificates.map(({ der, keyId }) => ({
        id: `${id}/${keyId}`,
        tokenId: id,
        der: new Uint8Array(der),
        hasPrivateKey: inSight.has(keyId) || (hides && this.hidden.usable(id, keyId)),
      }));
    });
  }

  /** The watcher's look at a token's certificates; skips a token busy with an operation unless asked to wait. */
  private async digest(slot: Slot, wait: boolean): Promise<string | undefined> {
    const tokenId = slot.token.id;
    if (!slot.token.pin.initialized || (!wait && this.queue.busy(tokenId))) return undefined;
    try {
      return certificatesDigest(await this.queue.run(tokenId, () => this.readCertificates(tokenId)));
    } catch {
      return undefined; // gone or failing: the token list says so on the next look
    }
  }
}
