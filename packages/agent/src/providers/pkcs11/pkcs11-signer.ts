import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { certificateFields, ecdsaRawToDer, SHA256_DIGEST_INFO_PREFIX } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import type { KeyAccess, KeySigner } from '../provider.js';
import { holderCertificate } from './pkcs11-certificates.js';
import { keysWithId, keyTypeOf, publicKeyInfo } from './pkcs11-objects.js';
import type { OperationSessions } from './pkcs11-operation.js';
import { SignQueue } from './pkcs11-sign-queue.js';

/**
 * A signer over a private key object, for the digest of a message: CKM_ECDSA, or CKM_RSA_PKCS over a DigestInfo.
 * `C_Sign` runs in libuv's thread pool and concurrent calls sign in parallel in the operation's sessions (see
 * {@link SignQueue}): a USB-Key that takes 300 ms a signature holds no page up.
 */
export function keySigner(sessions: OperationSessions, key: pkcs11js.Handle, keyType: number): KeySigner {
  if (keyType !== pkcs11js.CKK_EC && keyType !== pkcs11js.CKK_RSA) throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, `key type 0x${keyType.toString(16)} is not supported`);
  const ec = keyType === pkcs11js.CKK_EC;
  const queue = new SignQueue(sessions, { mechanism: ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_RSA_PKCS }, key, ec ? 132 : 512);
  const signDigest = ec
    ? async (digest: Uint8Array) => ecdsaRawToDer(await queue.sign(Buffer.from(digest)))
    : async (digest: Uint8Array) => new Uint8Array(await queue.sign(Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest])));
  return {
    algorithm: ec ? 'ECDSA-P256' : 'RSA-2048',
    signDigest,
    // The token hashes nothing: SHA-256 here (microseconds for what CMS signs), the signature in the thread pool.
    signMessage: (message, digest) => signDigest(digest ?? createHash('sha256').update(message).digest()),
  };
}

/**
 * The key `keyIdHex` in a logged-in operation: a signer over its private key, its public key (read only when asked:
 * signing does not need it) and the certificate stored beside it. The private key is looked up in every operation;
 * its type and certificate come from what earlier operations read when they can (see `KeyFacts`).
 */
export function openKey(sessions: OperationSessions, keyIdHex: string): KeyAccess {
  const session = sessions.first;
  const keyId = Buffer.from(keyIdHex, 'hex');
  const [privateKey] = keysWithId(session, keyId, [pkcs11js.CKO_PRIVATE_KEY]);
  if (privateKey === undefined) throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key holds no such private key');
  const keyType = sessions.facts.keyType(keyIdHex, () => keyTypeOf(session, privateKey));
  const stored = sessions.facts.certificate(keyIdHex, () => holderCertificate(session, keyId)?.der);
  const certificate = stored ? new Uint8Array(stored) : undefined;
  const publicKey = (): Uint8Array => {
    const [publicHandle] = keysWithId(session, keyId, [pkcs11js.CKO_PUBLIC_KEY]);
    if (publicHandle !== undefined) return publicKeyInfo(session, publicHandle, keyType);
    if (certificate) return certificateFields(certificate).publicKey;
    throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key keeps no public key for this private key');
  };
  return { signer: keySigner(sessions, privateKey, keyType), publicKey, certificate };
}
