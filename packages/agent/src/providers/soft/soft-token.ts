import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, generateKeyPair, privateEncrypt, randomBytes, scrypt, constants, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import * as pkijs from 'pkijs';
import { exactBuffer, keyAlgorithmOf, keyIdentifier, parseCertificate, SHA256_DIGEST_INFO_PREFIX, toHex, type DigestSigner, type SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, checkPinPolicy, type Token } from '@sicert/protocol';
import { KDF, readTokenFile, SOFT_TOKEN_MAX_TRIES, writeTokenFile, type KeyRecord, type Sealed, type TokenFile } from './soft-token-file.js';

export { SOFT_TOKEN_MAX_TRIES } from './soft-token-file.js';

function seal(key: Buffer, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

function unseal(key: Buffer, sealed: Sealed): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

function derive(pin: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin.normalize('NFKC'), salt, 32, { N: KDF.N, r: KDF.r, p: KDF.p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

async function keyIdOf(spki: Uint8Array): Promise<string> {
  return toHex(await keyIdentifier(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki))));
}

function signerFor(algorithm: SignatureKeyAlgorithm, key: KeyObject): DigestSigner {
  if (algorithm === 'ECDSA-P256') {
    const d = Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url');
    // Node's crypto cannot sign a pre-computed digest with ECDSA; noble's audited P-256 can (RFC 6979 nonces).
    return { algorithm, signDigest: async (digest) => p256.sign(digest, d, { prehash: false, format: 'der' }) };
  }
  return {
    algorithm,
    signDigest: async (digest) => new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]))),
  };
}

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
 * Layout: a random 256-bit data key seals each PKCS#8 private key (AES-256-GCM); the data key is sealed under
 * a key derived from the PIN with scrypt. Changing the PIN re-seals only the data key. The file is written
 * atomically with mode 0600 and carries a checksum: a damaged file is reported as `TOKEN_DAMAGED`, never read
 * as a wrong PIN, and never written again by the agent (it is kept as it is for recovery).
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
      dataKey: seal(await derive(pin, salt), dataKey),
      failedTries: 0,
      keys: [],
      certificates: [],
    };
    this.save();
  }

  /** Proves the PIN and returns the data key; counts wrong PINs and locks at the limit. */
  async unlock(pin: string): Promise<Buffer> {
    this.assertIntact();
    const f = this.file;
    if (!f) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'the software token has not been set up');
    if (f.failedTries >= SOFT_TOKEN_MAX_TRIES) throw new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
    const key = await derive(pin, Buffer.from(f.kdf.salt, 'base64'));
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
    }
  }

  /** True when the token holds the private key `keyId`. */
  hasKey(keyId: string): boolean {
    return Boolean(this.file?.keys.some((k) => k.id === keyId));
  }

  /** Signer over the private key `keyId`, and its public key, given the unlocked data key. */
  key(dataKey: Buffer, keyId: string): { signer: DigestSigner; publicKey: () => Uint8Array } {
    const record = this.file?.keys.find((k) => k.id === keyId);
    if (!record) throw new AgentError(Reason.KEY_NOT_FOUND, 'no such private key on this token');
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: unseal(dataKey, record.privateKey), format: 'der', type: 'pkcs8' });
    } catch {
      // The PIN was right (the data key opened), so this blob itself is damaged: a file from before checksums.
      throw new AgentError(Reason.TOKEN_DAMAGED, 'a private key in the software token file is damaged');
    }
    return { signer: signerFor(record.algorithm, key), publicKey: () => Buffer.from(record.publicKey, 'base64') };
  }

  /**
   * Generates a key pair on the token. The PIN is proven first: a wrong or locked PIN costs no key generation
   * (RSA-2048 takes up to half a second), so refused requests cannot keep the token busy. Generation runs off
   * the event loop.
   */
  async generateKey(pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<{ keyId: string; publicKey: Uint8Array }> {
    const dataKey = await this.unlock(pin);
    try {
      return await this.storeKey(dataKey, await newPrivateKey(algorithm), label);
    } finally {
      dataKey.fill(0);
    }
  }

  /** Imports a PKCS#8 private key (the demo's first-run provisioning and migrations use this). */
  async importKey(pin: string, pkcs8: Uint8Array, label?: string): Promise<{ keyId: string; publicKey: Uint8Array }> {
    const dataKey = await this.unlock(pin);
    try {
      return await this.storeKey(dataKey, createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }), label);
    } finally {
      dataKey.fill(0);
    }
  }

  /** Stores a certificate beside the key whose public key it carries; returns the key id. */
  async installCertificate(der: Uint8Array, chain: Uint8Array[] = []): Promise<string> {
    this.assertIntact();
    const f = this.file;
    if (!f) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'the software token has not been set up');
    const certificate = parseCertificate(der);
    const spki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
    const keyId = await keyIdOf(spki);
    if (!f.keys.some((k) => k.id === keyId)) throw new AgentError(Reason.KEY_NOT_FOUND, 'the certificate matches no key on this token');
    f.certificates = f.certificates.filter((c) => c.keyId !== keyId);
    f.certificates.push({ keyId, der: Buffer.from(der).toString('base64'), chain: chain.map((c) => Buffer.from(c).toString('base64')) });
    this.save();
    return keyId;
  }

  private async storeKey(dataKey: Buffer, privateKey: KeyObject, label?: string): Promise<{ keyId: string; publicKey: Uint8Array }> {
    const spki = new Uint8Array(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }));
    const algorithm = keyAlgorithmOf(pkijs.PublicKeyInfo.fromBER(exactBuffer(spki)));
    if (algorithm !== 'ECDSA-P256' && algorithm !== 'RSA-2048') throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, `${algorithm} keys are not supported`);
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
  }

  private save(): void {
    this.assertIntact();
    writeTokenFile(this.path, this.file!);
  }
}
