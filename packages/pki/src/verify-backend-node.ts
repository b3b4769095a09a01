/// <reference types="node" />
import * as nodeCrypto from 'node:crypto';
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { HashName, KeyDescription, VerifyBackend, VerifyKey } from './verify-backend-types.js';

/**
 * node:crypto for the fast verification path. One signature check is bounded (about 0.02 ms RSA-2048, 0.07 ms
 * P-256 here) and runs synchronously: an asynchronous verify (threadpool or WebCrypto) alone costs about half the
 * raw rate. Contents above {@link OFF_LOOP_DIGEST_BYTES} are hashed a slice at a time, the event loop served
 * between slices (docs/verification.md).
 */

/**
 * Above this many bytes a digest is made a slice at a time, yielding to the event loop between slices (a copy for
 * the threadpool would itself hold the loop for tens of milliseconds at 100 MB).
 */
export const OFF_LOOP_DIGEST_BYTES = 64 * 1024;
/** One slice: about a millisecond of SHA-256 here. */
const DIGEST_SLICE_BYTES = 512 * 1024;

async function digestInSlices(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  const digest = createHash(NODE_HASH[hash]);
  for (let at = 0; at < data.length; at += DIGEST_SLICE_BYTES) {
    digest.update(data.subarray(at, at + DIGEST_SLICE_BYTES));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return digest.digest();
}

const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const NODE_CURVE = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' } as const;

/** `crypto.hash` (Node 20.12+): a one-shot digest, cheaper than a Hash object for small inputs. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Uint8Array }).hash;

interface NodeKey extends VerifyKey {
  readonly keyObject: KeyObject;
}

function matches(key: KeyObject, description: KeyDescription): boolean {
  if (description.name === 'RSASSA-PKCS1-v1_5') return key.asymmetricKeyType === 'rsa';
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === NODE_CURVE[description.namedCurve];
}

export const backend: VerifyBackend = {
  digest(hash, data) {
    if (data.length > OFF_LOOP_DIGEST_BYTES) return digestInSlices(hash, data);
    return oneShot ? oneShot(NODE_HASH[hash], data, 'buffer') : createHash(NODE_HASH[hash]).update(data).digest();
  },
  importKey(spki, description) {
    try {
      const keyObject = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      return Promise.resolve(matches(keyObject, description) ? ({ description, keyObject } satisfies NodeKey) : undefined);
    } catch {
      return Promise.resolve(undefined);
    }
  },
  verify(key, hash, data, signature) {
    const { keyObject, description } = key as NodeKey;
    try {
      const ecdsa = description.name === 'ECDSA';
      return verify(NODE_HASH[hash], data, ecdsa ? { key: keyObject, dsaEncoding: 'ieee-p1363' } : keyObject, signature);
    } catch {
      return false;
    }
  },
};
