import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import * as pkijs from 'pkijs';
import { exactBuffer, keyIdentifier, parseCertificate, toHex, type SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { findObjects, holderCertificate, holderCertificates, replaceCertificate, storeAuthority } from './pkcs11-certificates.js';
import { CKR, ckrOf, toAgentError } from './pkcs11-errors.js';
import { keySigner, publicKeyInfo } from './pkcs11-keys.js';

/** The file a module path names, through symlinks; the path itself when it cannot be resolved (loading will say why). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** DER OID of prime256v1, the CKA_EC_PARAMS of a P-256 key. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

interface Module {
  path: string;
  lib: pkcs11js.PKCS11;
}

interface Slot {
  module: Module;
  slot: pkcs11js.Handle;
  token: Token;
}

function trim(text: string): string {
  return text.replace(/\0/g, '').trim();
}

function ulong(buffer: Buffer | undefined): number {
  return buffer && buffer.length >= 4 ? buffer.readUInt32LE(0) : -1;
}

/**
 * USB-Keys through PKCS#11 (pkcs11js). One or more vendor modules; certificates are matched to private keys by
 * CKA_ID. Each operation opens a session, logs in, works, logs out and closes, one at a time per token.
 */
export class Pkcs11Provider implements Provider {
  readonly kind = 'pkcs11' as const;
  private readonly modules: Module[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly queue = new KeyedQueue();

  /** Loads each module. A module that fails to load is reported through `onError` and skipped. */
  constructor(modulePaths: string[], onError: (path: string, error: unknown) => void = () => undefined) {
    // One module reached through two paths (a distribution's symlink and its target) would list every USB-Key
    // twice, under two ids, each with its own PIN-throttle budget: load each real file once.
    const seen = new Set<string>();
    for (const path of modulePaths) {
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
        if (ckrOf(error) === 0x191 /* CKR_CRYPTOKI_ALREADY_INITIALIZED */) this.modules.push({ path, lib });
        else onError(path, error);
      }
    }
  }

  /** Module paths that loaded. */
  get loadedModules(): string[] {
    return this.modules.map((m) => m.path);
  }

  owns(id: string): boolean {
    return id.startsWith('p11-');
  }

  async listTokens(): Promise<Token[]> {
    this.refresh();
    return [...this.slots.values()].map((s) => s.token);
  }

  async listCertificates(tokenId?: string): Promise<StoredCertificate[]> {
    this.refresh();
    const slots = tokenId ? [this.slot(tokenId)] : [...this.slots.values()];
    const out: StoredCertificate[] = [];
    // A blank (uninitialised) key holds nothing yet, and most modules refuse a session on it.
    for (const slot of slots.filter((s) => s.token.pin.initialized)) {
      out.push(...(await this.queue.run(slot.token.id, async () => this.readCertificates(slot))));
    }
    return out;
  }

  withKey<T>(ref: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    let slot = this.slots.get(ref.tokenId);
    if (!slot) {
      this.refresh();
      slot = this.slot(ref.tokenId);
    }
    const found = slot;
    return this.queue.run(found.token.id, () => this.useKey(found, ref.keyId, pin, use));
  }

  /**
   * Generates a key pair on the USB-Key: the private key is sensitive and never extractable; both halves get
   * CKA_ID = the key identifier of the public key, so the certificate installed later finds its key.
   */
  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label = 'sicert'): Promise<GeneratedKey> {
    this.refresh();
    const slot = this.slot(tokenId);
    return this.queue.run(tokenId, () =>
      this.inSession(slot, pin, async (lib, session) => {
        const temporaryId = Buffer.from(crypto.getRandomValues(new Uint8Array(20)));
        const common = [
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_LABEL, value: label },
          { type: pkcs11js.CKA_ID, value: temporaryId },
        ];
        const isEc = algorithm === 'ECDSA-P256';
        const publicTemplate = isEc
          ? [...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }]
          : [...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }];
        const privateTemplate = [
          ...common,
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_EXTRACTABLE, value: false },
          { type: pkcs11js.CKA_SIGN, value: true },
        ];
        const mechanism = { mechanism: isEc ? pkcs11js.CKM_EC_KEY_PAIR_GEN : pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN };
        const keys = lib.C_GenerateKeyPair(session, mechanism, publicTemplate, privateTemplate);
        const spki = publicKeyInfo(lib, session, keys.publicKey, isEc ? pkcs11js.CKK_EC : pkcs11js.CKK_RSA);
        const keyId = await keyIdentifier(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki)));
        for (const handle of [keys.publicKey, keys.privateKey]) lib.C_SetAttributeValue(session, handle, [{ type: pkcs11js.CKA_ID, value: Buffer.from(keyId) }]);
        return { keyId: toHex(keyId), publicKey: spki };
      }),
    );
  }

  /**
   * Stores a certificate on the USB-Key beside its key (same CKA_ID); refuses one that matches no key there.
   * Certificates are public objects, so no PIN is needed where the token keeps the public key; with a PIN the
   * private key itself is looked up too. Chain certificates are stored as CA certificates (CKA_CERTIFICATE_CATEGORY 2).
   */
  installCertificate(tokenId: string, der: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    this.refresh();
    const slot = this.slot(tokenId);
    return this.queue.run(tokenId, () =>
      this.inSession(slot, pin, async (lib, session) => {
        const certificate = parseCertificate(der);
        const keyId = Buffer.from(await keyIdentifier(certificate.subjectPublicKeyInfo));
        const keys = [pkcs11js.CKO_PUBLIC_KEY, ...(pin === undefined ? [] : [pkcs11js.CKO_PRIVATE_KEY])].flatMap((cls) =>
          findObjects(lib, session, [{ type: pkcs11js.CKA_ID, value: keyId }, { type: pkcs11js.CKA_CLASS, value: cls }]),
        );
        if (keys.length === 0) throw new AgentError(Reason.KEY_NOT_FOUND, 'the certificate matches no key on this USB-Key');
        replaceCertificate(lib, session, keyId, der);
        for (const ca of chain) storeAuthority(lib, session, ca);
        return `${tokenId}/${toHex(keyId)}`;
      }),
    );
  }

  /** Opens a read-write session, logs in with `pin` (when given), runs `work`, logs out and closes. */
  private async inSession<T>(slot: Slot, pin: string | undefined, work: (lib: pkcs11js.PKCS11, session: pkcs11js.Handle) => Promise<T>): Promise<T> {
    const { lib } = slot.module;
    let session: pkcs11js.Handle;
    try {
      session = lib.C_OpenSession(slot.slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    } catch (error) {
      throw toAgentError(error, 'open session');
    }
    let loggedIn = false;
    try {
      if (pin !== undefined) {
        this.login(lib, session, pin, slot);
        loggedIn = true;
      }
      return await work(lib, session);
    } catch (error) {
      throw toAgentError(error, 'token operation');
    } finally {
      this.endSession(lib, session, loggedIn);
    }
  }

  private endSession(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, loggedIn: boolean): void {
    if (loggedIn) {
      try {
        lib.C_Logout(session);
      } catch {
        // logged out already, or token removed
      }
    }
    try {
      lib.C_CloseSession(session);
    } catch {
      // token removed
    }
  }

  async close(): Promise<void> {
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

  private slot(tokenId: string): Slot {
    const slot = this.slots.get(tokenId);
    if (!slot) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such USB-Key');
    return slot;
  }

  private refresh(): void {
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
        const token = this.describe(module, info);
        seen.set(token.id, { module, slot, token });
      }
    }
    this.slots.clear();
    for (const [id, slot] of seen) this.slots.set(id, slot);
  }

  private describe(module: Module, info: pkcs11js.TokenInfo): Token {
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
      },
    };
  }

  private readCertificates(slot: Slot): StoredCertificate[] {
    const { lib } = slot.module;
    let session: pkcs11js.Handle;
    try {
      session = lib.C_OpenSession(slot.slot, pkcs11js.CKF_SERIAL_SESSION);
    } catch (error) {
      throw toAgentError(error, 'open session');
    }
    try {
      // Without a login most keys hide their private objects; a public key with the same CKA_ID stands for
      // "this token holds the private key" (what USB-Key vendors' tools do as well).
      const keyIds = new Set<string>();
      for (const cls of [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_PUBLIC_KEY]) {
        for (const handle of findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: cls }])) {
          const [id] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_ID }]);
          if (id?.value instanceof Buffer) keyIds.add(toHex(id.value));
        }
      }
      return holderCertificates(lib, session).map(({ der, keyId }) => ({ id: `${slot.token.id}/${keyId}`, tokenId: slot.token.id, der: new Uint8Array(der), hasPrivateKey: keyIds.has(keyId) }));
    } catch (error) {
      throw toAgentError(error, 'list certificates');
    } finally {
      this.endSession(lib, session, false);
    }
  }

  private async useKey<T>(slot: Slot, keyIdHex: string, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    const keyId = Buffer.from(keyIdHex, 'hex');
    return this.inSession(slot, pin, async (lib, session) => {
      const byId = (cls: number) => findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_ID, value: keyId }])[0];
      const keyHandle = byId(pkcs11js.CKO_PRIVATE_KEY);
      if (keyHandle === undefined) throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key holds no such private key');
      const keyType = ulong(lib.C_GetAttributeValue(session, keyHandle, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]?.value);
      const stored = holderCertificate(lib, session, keyId);
      const certificate = stored ? new Uint8Array(stored.der) : undefined;
      const publicKey = (): Uint8Array => {
        const publicHandle = byId(pkcs11js.CKO_PUBLIC_KEY);
        if (publicHandle !== undefined) return publicKeyInfo(lib, session, publicHandle, keyType);
        if (certificate) return new Uint8Array(parseCertificate(certificate).subjectPublicKeyInfo.toSchema().toBER());
        throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key keeps no public key for this private key');
      };
      return use({ signer: keySigner(lib, session, keyHandle, keyType), publicKey, certificate });
    });
  }

  private login(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, pin: string, slot: Slot): void {
    try {
      lib.C_Login(session, pkcs11js.CKU_USER, pin);
    } catch (error) {
      if (ckrOf(error) === CKR.USER_ALREADY_LOGGED_IN) {
        // Never ride on a login we did not make: log out and prove this PIN.
        lib.C_Logout(session);
        lib.C_Login(session, pkcs11js.CKU_USER, pin);
        return;
      }
      const mapped = toAgentError(error, 'login');
      if (mapped.reason === Reason.PIN_INCORRECT) {
        // The token's flags after a wrong PIN tell whether the next one is the last.
        try {
          slot.token = this.describe(slot.module, lib.C_GetTokenInfo(slot.slot));
        } catch {
          // keep the old flags
        }
        if (slot.token.pin.locked) throw new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
        if (slot.token.pin.finalTry) throw new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect', { retriesLeft: 1 });
      }
      throw mapped;
    }
  }
}
