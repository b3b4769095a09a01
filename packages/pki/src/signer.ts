import { ecdsaRawToDer } from './ecdsa-signature.js';
import { exactBuffer, sha256 } from './bytes.js';

/** Key algorithms sicert signs with. */
export type SignatureKeyAlgorithm = 'ECDSA-P256' | 'RSA-2048';

/**
 * Signs a SHA-256 digest with a private key that may live anywhere: on a USB-Key through PKCS#11, in the
 * software token, or in the demo CA's WebCrypto key. Returns the signature as X.509 and CMS carry it:
 * DER `SEQUENCE { r, s }` for ECDSA, PKCS#1 v1.5 bytes for RSA.
 */
export interface DigestSigner {
  readonly algorithm: SignatureKeyAlgorithm;
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}

/** Signs whole messages; what certificate and CMS builders need. */
export interface MessageSigner {
  readonly algorithm: SignatureKeyAlgorithm;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A message signer that hashes with SHA-256 and hands the digest to `signer`. */
export function messageSigner(signer: DigestSigner): MessageSigner {
  return {
    algorithm: signer.algorithm,
    sign: async (message) => signer.signDigest(await sha256(message)),
  };
}

/** A message signer over a WebCrypto private key (ECDSA P-256 or RSASSA-PKCS1-v1_5 with SHA-256). */
export function webCryptoSigner(privateKey: CryptoKey): MessageSigner {
  const ecdsa = privateKey.algorithm.name === 'ECDSA';
  return {
    algorithm: ecdsa ? 'ECDSA-P256' : 'RSA-2048',
    async sign(message) {
      const algorithm = ecdsa ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
      const signature = new Uint8Array(await crypto.subtle.sign(algorithm, privateKey, exactBuffer(message)));
      return ecdsa ? ecdsaRawToDer(signature) : signature;
    },
  };
}
