import type { HashName, KeyDescription, VerifyBackend, VerifyKey } from './verify-backend-types.js';

/** WebCrypto for the fast verification path where node:crypto is absent (browsers, and bundles made for them). */

/** Digests are always asynchronous here; the constant exists so both variants export the same names. */
export const OFF_LOOP_DIGEST_BYTES = 0;

interface WebKey extends VerifyKey {
  readonly spki: Uint8Array<ArrayBuffer>;
  /** WebCrypto binds an RSA key to one hash: one imported key per hash the signatures use. */
  readonly byHash: Map<HashName, CryptoKey>;
}

function algorithmFor(description: KeyDescription, hash: HashName): EcKeyImportParams | RsaHashedImportParams {
  return description.name === 'ECDSA' ? { ...description } : { ...description, hash };
}

async function keyFor(key: WebKey, hash: HashName): Promise<CryptoKey> {
  const slot = key.description.name === 'ECDSA' ? 'SHA-256' : hash;
  let cryptoKey = key.byHash.get(slot);
  if (!cryptoKey) {
    cryptoKey = await crypto.subtle.importKey('spki', key.spki, algorithmFor(key.description, slot), false, ['verify']);
    key.byHash.set(slot, cryptoKey);
  }
  return cryptoKey;
}

export const backend: VerifyBackend = {
  async digest(hash, data) {
    return new Uint8Array(await crypto.subtle.digest(hash, data.slice()));
  },
  async importKey(spki, description) {
    const key: WebKey = { description, spki: spki.slice(), byHash: new Map() };
    try {
      await keyFor(key, 'SHA-256');
      return key;
    } catch {
      return undefined;
    }
  },
  async verify(key, hash, data, signature) {
    try {
      const cryptoKey = await keyFor(key as WebKey, hash);
      const algorithm = key.description.name === 'ECDSA' ? { name: 'ECDSA', hash } : key.description;
      return await crypto.subtle.verify(algorithm, cryptoKey, signature.slice(), data.slice());
    } catch {
      return false;
    }
  },
};
