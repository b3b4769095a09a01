import { constants, createPrivateKey, privateEncrypt, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { SHA256_DIGEST_INFO_PREFIX, type DigestSigner, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import type { KeyAccess } from '../provider.js';
import { unseal } from './sealed-box.js';
import type { KeyRecord } from './soft-token-file.js';

/** A signer over a private key, for the digest of a message: ECDSA P-256, or RSA PKCS#1 v1.5 over a DigestInfo. */
export function keySigner(algorithm: SignatureKeyAlgorithm, key: KeyObject): DigestSigner {
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
