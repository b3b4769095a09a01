import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { statSync } from 'node:fs';
import { certificateFields, keyIdOf, publicKeyAlgorithm, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, Reason, checkPinPolicy, type Token } from '@sicert/protocol';
import type { GeneratedKey, KeyAccess } from '../provider.js';
import { deriveKey, KDF, seal, unseal, type Sealed } from './sealed-box.js';
import { readTokenFile, SOFT_TOKEN_MAX_TRIES, writeTokenFile, type KeyRecord, type TokenFile } from './soft-token-file.js';
import { openKey } from './soft-token-signer.js';

export { SOFT_TOKEN_MAX_TRIES } from './soft-token-file.js';

/** A new private key, generated in libuv's thread pool rather than on the event loop. */
function newPrivateKey(algorithm: SignatureKeyAlgorithm): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject) => (error ? reject(error) : resolve(privateKey));
    if (algorithm === 'ECDSA-P256') generateKeyPair('ec', { namedCurve: 'P-256' }, done);
    else generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 0x10001 }, done);
  });
}

/** A private key sealed under `from`, sealed again under `to`; a blob that does not open is `TOKEN_DAMAGED`. */
function reseal(from: Buffer, to: Buffer, sealed: Sealed): Sealed {
  let plain: Buffer;
  try {
    plain = unseal(from, sealed);
  } catch {
    // The PIN was right (the data key opened), so the blob itself is damaged: nothing is written.
    throw new AgentError(Reason.TOKEN_DAMAGED, 'a private key in the software token file is damaged');
  }
  try {
    return seal(to, plain);
  } finally {
    plain.fill(0);
  }
}

/**
 * The agent's own encrypted token for "certificates installed on this computer". It behaves like a USB-Key:
 * a user PIN unlocks it, wrong PINs count down and lock it, keys never leave it in the clear.
 *
 * Layout: a random 256-bit data key seals each PKCS#8 private key (AES-256-GCM, `sealed-box`); the data key is
 * sealed under a key derived from the PIN with scrypt. Changing the PIN seals everything afresh. The file
 * (`soft-token-file`) is written atomically with mode 0600 and carries a checksum: a damaged file is reported as
 * `TOKEN_DAMAGED`, never read as a wrong PIN, and never written again by the agent (it is kept for recovery).
 */
export class SoftToken {
  private constructor(
    readonly path: string,
    readonly id: string,
    private file: TokenFile | undefined,
    /** What is wrong with the file, when it is damaged. */
    readonly damage: string | undefined,
  ) {}

  /** Opens the token stored at `path`; an absent file is an uninitialised token, a damaged one is {@link damage}d. */
  static open(path: string, id: string): SoftToken {
    const read = readTokenFile(path, id);
    return new SoftToken(path, id, read.file, read.damage);
  }

  /**
   * Creates a new token file at `path` for one holder, with its first PIN (the PIN policy applies), the serial its
   * id is made of, and its creation time (milliseconds since the epoch). Refused when a file is there already.
   */
  static async create(path: string, id: string, serial: string, label: string, pin: string, created: number = Date.now()): Promise<SoftToken> {
    const token = SoftToken.open(path, id);
    await token.initialize(label, pin, serial, created);
    return token;
  }

  /** True once the token file exists (a damaged file counts: it must not be replaced by a new token). */
  get initialized(): boolean {
    return this.file !== undefined || this.damage !== undefined;
  }

  /** Throws `TOKEN_DAMAGED` when the file is damaged: nothing may read secrets from it or write it. */
  assertIntact(): void {
    if (this.damage !== undefined) throw new AgentError(Reason.TOKEN_DAMAGED, 'the software token file is damaged; see the agent log');
  }

  /** Token description for `token.list`; `defaultLabel` names a token whose file cannot be read. */
  describe(defaultLabel: string): Token {
    const f = this.file;
    const retriesLeft = SOFT_TOKEN_MAX_TRIES - (f?.failedTries ?? 0);
    return {
      id: this.id,
      provider: 'soft',
      label: f?.label ?? defaultLabel,
      manufacturer: 'sicert',
      model: 'software token',
      serial: f?.serial ?? '',
      pin: {
        initialized: this.initialized,
        locked: retriesLeft <= 0,
        countLow: (f?.failedTries ?? 0) > 0,
        finalTry: retriesLeft === 1,
        ...(this.damage === undefined ? { retriesLeft, mustChange: f?.mustChange === true } : {}),
      },
      ...(this.damage === undefined ? {} : { damaged: true }),
    };
  }

  /** True for a sound token that holds no key and no certificate (a damaged one is never called empty: it is kept). */
  get empty(): boolean {
    return this.file !== undefined && this.file.keys.length === 0 && this.file.certificates.length === 0;
  }

  /**
   * When the token was made, milliseconds since the epoch: its recorded creation time, or for a file without one
   * its modification time (0 when the file has gone).
   */
  createdAt(): number {
    if (this.file?.created !== undefined) return Date.parse(this.file.created);
    try {
      return statSync(this.path).mtimeMs;
    } catch {
      return 0;
    }
  }

  /** True when the token holds key `keyId` or a certificate for it. */
  holds(keyId: string): boolean {
    return Boolean(this.file?.keys.some((k) => k.id === keyId) || this.file?.certificates.some((c) => c.keyId === keyId));
  }

  /** Certificates with their key ids. */
  certificates(): { keyId: string; der: Uint8Array; hasPrivateKey: boolean }[] {
    const f = this.file;
    if (!f) return [];
    return f.certificates.map((c) => ({ keyId: c.keyId, der: Buffer.from(c.der, 'base64'), hasPrivateKey: f.keys.some((k) => k.id === c.keyId) }));
  }

  /** Creates the token with its first PIN (the PIN policy applies), a serial (random unless given) and its creation time. */
  async initialize(label: string, pin: string, serial: string = randomBytes(8).toString('hex'), created: number = Date.now()): Promise<void> {
    this.assertIntact();
    if (this.file) throw new AgentError(Reason.INVALID_PARAMS, 'the token is already initialised');
    if (checkPinPolicy(pin)) throw new AgentError(Reason.PIN_POLICY, 'the PIN does not meet the PIN policy');
    const salt = randomBytes(16);
    const dataKey = randomBytes(32);
    this.file = {
      format: 'sicert-soft-token',
      version: 1,
      label,
      serial,
      kdf: { ...KDF, salt: salt.toString('base64') },
      dataKey: seal(await deriveKey(pin, salt), dataKey),
      failedTries: 0,
      keys: [],
      certificates: [],
      created: new Date(created).toISOString(),
    };
    this.save();
  }

  /**
   * Runs `use` with the key `keyId`, unlocked by `pin`: a signer over it, its public key and its certificate.
   * Which keys exist is not secret, so a missing key is reported before a PIN try is spent on it.
   */
  async withKey<T>(keyId: string, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    this.assertIntact();
    const record = this.file?.keys.find((k) => k.id === keyId);
    if (!record) throw new AgentError(Reason.KEY_NOT_FOUND, 'no such private key on this token');
    return this.withDataKey(pin, (dataKey) => use({ ...openKey(dataKey, record), certificate: this.certificates().find((c) => c.keyId === keyId)?.der }));
  }

  /** Generates a key pair on the token; the PIN must be right. Its id is the key id of its public key. */
  async generateKey(pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<GeneratedKey> {
    // The PIN is proven first: a wrong or locked PIN costs no key generation (RSA-2048 takes up to half a second),
    // so refused requests cannot keep the token busy.
    return this.withDataKey(pin, async (dataKey) => {
      const privateKey = await newPrivateKey(algorithm);
      const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
      if (publicKeyAlgorithm(spki) !== algorithm) throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, `${algorithm} keys are not supported`);
      const keyId = await keyIdOf(spki);
      const f = this.file!;
      f.keys = f.keys.filter((k) => k.id !== keyId);
      const record: KeyRecord = {
        id: keyId,
        algorithm,
        publicKey: Buffer.from(spki).toString('base64'),
        privateKey: seal(dataKey, privateKey.export({ format: 'der', type: 'pkcs8' })),
      };
      if (label) record.label = label;
      f.keys.push(record);
      this.save();
      return { keyId, publicKey: spki };
    });
  }

  /** Proves the PIN (counting a wrong one toward the lock) without using a key: the check a USB-Key's login makes. */
  async checkPin(pin: string): Promise<void> {
    await this.withDataKey(pin, async () => undefined);
  }

  /** Stores a certificate beside the key whose public key it carries; returns the key id. */
  async installCertificate(der: Uint8Array, chain: Uint8Array[] = []): Promise<string> {
    this.assertIntact();
    const f = this.file;
    if (!f) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'the software token has not been set up');
    const keyId = await keyIdOf(certificateFields(der).publicKey);
    if (!f.keys.some((k) => k.id === keyId)) throw new AgentError(Reason.KEY_NOT_FOUND, 'the certificate matches no key on this token');
    f.certificates = f.certificates.filter((c) => c.keyId !== keyId);
    f.certificates.push({ keyId, der: Buffer.from(der).toString('base64'), chain: chain.map((c) => Buffer.from(c).toString('base64')) });
    this.save();
    return keyId;
  }

  /**
   * Changes the PIN. The new one must meet the policy (checked before the old one is tried). Everything is sealed
   * afresh: a new data key re-seals every private key and a new salt derives the key that seals it, so someone who
   * knew the old PIN, or kept the old file and its data key, cannot open the new file. The new file replaces the
   * old one atomically; a crash leaves the old file (old PIN) or the new one (new PIN), never a mix.
   */
  async changePin(oldPin: string, newPin: string): Promise<void> {
    this.assertIntact();
    if (checkPinPolicy(newPin)) throw new AgentError(Reason.PIN_POLICY, 'the new PIN does not meet the PIN policy');
    await this.withDataKey(oldPin, async (oldKey) => {
      const { mustChange: _shared, ...f } = this.file!;
      const salt = randomBytes(16);
      const dataKey = randomBytes(32);
      const sealing = await deriveKey(newPin, salt);
      try {
        const keys = f.keys.map((k) => ({ ...k, privateKey: reseal(oldKey, dataKey, k.privateKey) }));
        this.save({ ...f, kdf: { ...KDF, salt: salt.toString('base64') }, dataKey: seal(sealing, dataKey), failedTries: 0, keys });
      } finally {
        dataKey.fill(0);
        sealing.fill(0);
      }
    });
  }

  /**
   * Deletes a key that has no certificate; the PIN must be right. Which keys and certificates exist is not secret,
   * so a missing key (`KEY_NOT_FOUND`) or one with a certificate (`KEY_IN_USE`) is refused before a PIN try is
   * spent. Resolves with true when the token holds nothing any more (no key, no certificate).
   */
  async deleteKey(pin: string, keyId: string): Promise<boolean> {
    this.assertIntact();
    const f = this.file;
    if (!f) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'the software token has not been set up');
    if (!f.keys.some((k) => k.id === keyId)) throw new AgentError(Reason.KEY_NOT_FOUND, 'no such key on this token');
    if (f.certificates.some((c) => c.keyId === keyId)) throw new AgentError(Reason.KEY_IN_USE, 'this key has a certificate');
    return this.withDataKey(pin, async () => {
      const keys = this.file!.keys.filter((k) => k.id !== keyId);
      const empty = keys.length === 0 && this.file!.certificates.length === 0;
      // An emptied token is removed whole by the provider: no file is written that it would then delete.
      if (!empty) this.save({ ...this.file!, keys });
      return empty;
    });
  }

  /**
   * Proves the PIN and runs `work` with the data key, which is wiped afterwards. Wrong PINs are counted in the
   * file and lock the token at {@link SOFT_TOKEN_MAX_TRIES}; a right one clears the count.
   */
  private async withDataKey<T>(pin: string, work: (dataKey: Buffer) => Promise<T>): Promise<T> {
    const dataKey = await this.unlock(pin);
    try {
      return await work(dataKey);
    } finally {
      dataKey.fill(0);
    }
  }

  private async unlock(pin: string): Promise<Buffer> {
    this.assertIntact();
    const f = this.file;
    if (!f) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'the software token has not been set up');
    if (f.failedTries >= SOFT_TOKEN_MAX_TRIES) throw new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
    const key = await deriveKey(pin, Buffer.from(f.kdf.salt, 'base64'));
    try {
      const dataKey = unseal(key, f.dataKey);
      if (f.failedTries !== 0) {
        f.failedTries = 0;
        this.save();
      }
      return dataKey;
    } catch {
      f.failedTries++;
      this.save();
      const retriesLeft = SOFT_TOKEN_MAX_TRIES - f.failedTries;
      if (retriesLeft <= 0) throw new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
      throw new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect', { retriesLeft });
    } finally {
      key.fill(0);
    }
  }

  /** Writes `file` (by default the one held) atomically, and holds it once it is on disk. */
  private save(file: TokenFile = this.file!): void {
    this.assertIntact();
    writeTokenFile(this.path, file);
    this.file = file;
  }
}
