import pkcs11js from 'pkcs11js';
import { certificateFields, keyIdOf, type SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { holderCertificates, replaceCertificate, storeAuthority } from './pkcs11-certificates.js';
import { Pkcs11Modules, type Slot } from './pkcs11-module.js';
import { keyIds, keyPairTemplates, keysWithId, publicKeyInfo, setKeyId } from './pkcs11-objects.js';
import { withSession } from './pkcs11-session.js';
import { openKey } from './pkcs11-signer.js';

/**
 * USB-Keys through PKCS#11 (pkcs11js). One or more vendor modules; certificates are matched to private keys by
 * CKA_ID. Each operation opens a session, logs in, works, logs out and closes, one at a time per token.
 *
 * The parts: `pkcs11-module` (load, initialise, refresh), `pkcs11-session` (open, log in, find), `pkcs11-objects`
 * and `pkcs11-certificates` (templates, key and certificate objects), `pkcs11-signer` (the key at work).
 */
export class Pkcs11Provider implements Provider {
  readonly kind = 'pkcs11' as const;
  private readonly modules: Pkcs11Modules;
  private readonly queue = new KeyedQueue();

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(modulePaths: string[], onError: (path: string, error: unknown) => void = () => undefined) {
    this.modules = new Pkcs11Modules(modulePaths, onError);
  }

  owns(id: string): boolean {
    return id.startsWith('p11-');
  }

  async listTokens(): Promise<Token[]> {
    this.modules.refresh();
    return this.modules.present().map((s) => s.token);
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
    return this.queue.run(found.token.id, () => withSession(found, { pin, write: true, operation: 'token operation' }, (session) => use(openKey(session, ref.keyId))));
  }

  /**
   * Generates a key pair on the USB-Key: the private key is sensitive and never extractable; both halves get
   * CKA_ID = the key identifier of the public key, so the certificate installed later finds its key.
   */
  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label = 'sicert'): Promise<GeneratedKey> {
    this.modules.refresh();
    const slot = this.modules.slot(tokenId);
    return this.queue.run(tokenId, () =>
      withSession(slot, { pin, write: true, operation: 'token operation' }, async (session) => {
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

  async close(): Promise<void> {
    this.modules.close();
  }

  private readCertificates(slot: Slot): Promise<StoredCertificate[]> {
    return withSession(slot, { write: false, operation: 'list certificates' }, (session) => {
      const withKeys = keyIds(session);
      return holderCertificates(session).map(({ der, keyId }) => ({ id: `${slot.token.id}/${keyId}`, tokenId: slot.token.id, der: new Uint8Array(der), hasPrivateKey: withKeys.has(keyId) }));
    });
  }
}
