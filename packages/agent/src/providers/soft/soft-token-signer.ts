import { constants, createPrivateKey, privateEncrypt, sign, type KeyObject } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { p256 } from '@noble/curves/nist.js';
import { SHA256_DIGEST_INFO_PREFIX, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import { Limiter } from '../limiter.js';
import type { KeyAccess, KeySigner } from '../provider.js';
import { unseal } from './sealed-box.js';
import type { KeyRecord } from './soft-token-file.js';

/** Messages signed at once in libuv's thread pool by one signer: two of its four threads, the rest for others. */
const PARALLEL_MESSAGES = 2;

/**
 * A signer over a private key: ECDSA P-256, or RSA PKCS#1 v1.5 over a DigestInfo. A whole message (what CMS signs,
 * and raw signatures over data) is hashed and signed in libuv's thread pool by node:crypto's callback form, about
 * 30 µs of a thread for P-256 and none of the event loop. A digest the page computed cannot go that way (node:crypto
 * always hashes first), so it is signed on the event loop: P-256 by noble (about 0.6 ms, RFC 6979 nonces), RSA with
 * `privateEncrypt` (about 0.25 ms), one signature per turn of the loop, so a batch of a thousand lets every other
 * request through between two signatures rather than after all of them.
 */
export function keySigner(algorithm: SignatureKeyAlgorithm, key: KeyObject): KeySigner {
  const turns = new Limiter(1);
  const threads = new Limiter(PARALLEL_MESSAGES);
  const inTurn = (signature: () => Uint8Array): Promise<Uint8Array> =>
    turns.run(async () => {
      await nextTurn();
      return signature();
    });
  const signMessage = (message: Uint8Array): Promise<Uint8Array> =>
    threads.run(() => new Promise((resolve, reject) => sign('sha256', message, key, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))))));
  if (algorithm === 'ECDSA-P256') {
    const d = Buffer.from(key.export({ format: 'jwk' }).d ?? '', 'base64url');
    return { algorithm, signMessage, signDigest: (digest) => inTurn(() => p256.sign(digest, d, { prehash: false, format: 'der' })) };
  }
  return {
    algorithm,
    signMessage,
    signDigest: (digest) => inTurn(() => new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest])))),
  };
}

/** The key of `record`, opened with the token's unlocked data key: a signer over it and its public key. */
export function openKey(dataKey: Buffer, record: KeyRecord): Omit<KeyAccess, 'certificate'> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: unseal(dataKey, record.privateKey), format: 'der', type: 'pkcs8' });
  } catch {
    // The PIN was right (the data key opened), so this blob itself is damaged: a file from before checksums.
    throw new AgentError(Reason.TOKEN_DAMAGED, 'a private key in the software token file is damaged');
  }
  return { signer: keySigner(record.algorithm, key), publicKey: () => Buffer.from(record.publicKey, 'base64') };
}
