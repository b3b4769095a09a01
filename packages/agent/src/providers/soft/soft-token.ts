import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { certificateFields, keyIdOf, publicKeyAlgorithm, type SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, checkPinPolicy, type Token } from '@sicert/protocol';
import type { GeneratedKey, KeyAccess } from '../provider.js';
import { deriveKey, KDF, seal, unseal } from './sealed-box.js';
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

/**
 * The agent's own encrypted token for "certificates installed on this computer". It behaves like a USB-Key:
 * a user PIN unlocks it, wrong PINs count down and lock it, keys never leave it in the clear.
 *
 * Layout: a random 256-bit data key seals each PKCS#8 private key (AES-256-GCM, `sealed-box`); the data key is
 * sealed under a key derived from the PIN with scrypt. Changing the PIN re-seals only the data key. The file
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
    const read = readTokenFile(path);
    return new SoftToken(path, id, read.file, read.damage);
  }

  /** True once the token file exists (a damaged file counts: it must not be replaced by a new token). */
  get initialized(): boolean {
    return this.file !== undefined || this.damage !== undefined;
  }

  /** Throws `TOKEN_DAMAGED` when the file is damaged: nothing may read secrets from it or write it. */
  assertIntact(): void {
    if (this.damage !== undefined) throw new AgentError(Reason.TOKEN_DAMAGED, 'the software token file is damaged; see the agent log');
  }

  /** Token description for `token.list`. */
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
      pin: { initialized: this.initialized, locked: retriesLeft <= 0, countLow: (f?.failedTries ?? 0) > 0, finalTry: retriesLeft === 1, ...(this.damage === undefined ? { retriesLeft } : {}) },
      ...(this.damage === undefined ? {} : { damaged: true }),
    };
  }

  /** Certificates with their key ids. */
  certificates(): { keyId: string; der: Uint8Array; hasPrivateKey: boolean }[] {
    const f = this.file;
    if (!f) return [];
    return f.certificates.map((c) => ({ keyId: c.keyId, der: Buffer.from(c.der, 'base64'), hasPrivateKey: f.keys.some((k) => k.id === c.keyId) }));
  }

  /** Creates the token with its first PIN. The PIN policy applies. */
  async initialize(label: string, pin: string): Promise<void> {
    this.assertIntact();
    if (this.file) throw new AgentError(Reason.INVALID_PARAMS, 'the token is already initialised');
    if (checkPinPolicy(pin)) throw new AgentError(Reason.PIN_POLICY, 'the PIN does not meet the PIN policy');
    const salt = randomBytes(16);
    const dataKey = randomBytes(32);
    this.file = {
      format: 'sicert-soft-token',
      version: 1,
      label,
      serial: randomBytes(8).toString('hex'),
      kdf: { ...KDF, salt: salt.toString('base64') },
      dataKey: seal(await deriveKey(pin, salt), dataKey),
      failedTries: 0,
      keys: [],
      certificates: [],
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

  /** Stores a certificate beside the key whose public key it carries; returns the key id. */
  /** Proves the PIN (counting a wrong one toward the lock) without using a key: the check a USB-Key's login makes. */
  async checkPin(pin: string): Promise<void> {
    await this.withDataKey(pin, async () => undefined);
  }

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

  private save(): void {
    this.assertIntact();
    writeTokenFile(this.path, this.file!);
  }
}
