import pkcs11js from 'pkcs11js';
import { certificateFields, ecdsaRawToDer, SHA256_DIGEST_INFO_PREFIX, type DigestSigner } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import type { KeyAccess } from '../provider.js';
import { holderCertificate } from './pkcs11-certificates.js';
import { keysWithId, keyTypeOf, publicKeyInfo } from './pkcs11-objects.js';
import type { Session } from './pkcs11-session.js';

/** A signer over a private key object, for the digest of a message: CKM_ECDSA or CKM_RSA_PKCS over a DigestInfo. */
export function keySigner({ lib, handle }: Session, key: pkcs11js.Handle, keyType: number): DigestSigner {
  if (keyType === pkcs11js.CKK_EC) {
    return {
      algorithm: 'ECDSA-P256',
      signDigest: async (digest) => {
        lib.C_SignInit(handle, { mechanism: pkcs11js.CKM_ECDSA }, key);
        const raw = lib.C_Sign(handle, Buffer.from(digest), Buffer.alloc(132));
        return ecdsaRawToDer(raw);
      },
    };
  }
  if (keyType === pkcs11js.CKK_RSA) {
    return {
      algorithm: 'RSA-2048',
      signDigest: async (digest) => {
        lib.C_SignInit(handle, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
        return new Uint8Array(lib.C_Sign(handle, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]), Buffer.alloc(512)));
      },
    };
  }
  throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, `key type 0x${keyType.toString(16)} is not supported`);
}

/**
 * The key `keyIdHex` in a logged-in session: a signer over its private key, its public key (read only when asked:
 * signing does not need it) and the certificate stored beside it.
 */
export function openKey(session: Session, keyIdHex: string): KeyAccess {
  const keyId = Buffer.from(keyIdHex, 'hex');
  const [privateKey] = keysWithId(session, keyId, [pkcs11js.CKO_PRIVATE_KEY]);
  if (privateKey === undefined) throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key holds no such private key');
  const keyType = keyTypeOf(session, privateKey);
  const stored = holderCertificate(session, keyId);
  const certificate = stored ? new Uint8Array(stored.der) : undefined;
  const publicKey = (): Uint8Array => {
    const [publicHandle] = keysWithId(session, keyId, [pkcs11js.CKO_PUBLIC_KEY]);
    if (publicHandle !== undefined) return publicKeyInfo(session, publicHandle, keyType);
    if (certificate) return certificateFields(certificate).publicKey;
    throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key keeps no public key for this private key');
  };
  return { signer: keySigner(session, privateKey, keyType), publicKey, certificate };
}
