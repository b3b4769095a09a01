// WebCrypto key pairs of the bench's two kinds, for signatures the verification benchmarks then check.
import type { Algorithm } from './bench-token.js';

const KEY_PARAMS: Record<Algorithm, RsaHashedKeyGenParams | EcKeyGenParams> = {
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256' },
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

/** A new key pair of `algorithm`, with its SubjectPublicKeyInfo (DER). */
export async function benchKeyPair(algorithm: Algorithm): Promise<{ privateKey: CryptoKey; spki: Uint8Array }> {
  const keys = await crypto.subtle.generateKey(KEY_PARAMS[algorithm], true, ['sign', 'verify']);
  return { privateKey: keys.privateKey, spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)) };
}
