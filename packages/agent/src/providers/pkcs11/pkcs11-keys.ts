import pkcs11js from 'pkcs11js';
import { ecPublicKeyInfo, ecdsaRawToDer, rsaPublicKeyInfo, SHA256_DIGEST_INFO_PREFIX, type DigestSigner } from '@sicert/pki';
import { AgentError, Reason } from '@sicert/protocol';

/** SubjectPublicKeyInfo of a public key object. */
export function publicKeyInfo(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, handle: pkcs11js.Handle, keyType: number): Uint8Array {
  if (keyType === pkcs11js.CKK_EC) {
    const [point] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_EC_POINT }]);
    // CKA_EC_POINT is the DER OCTET STRING wrapping the point: unwrap it.
    const wrapped = point?.value as Buffer;
    return ecPublicKeyInfo(wrapped[0] === 0x04 && wrapped.length === 65 ? wrapped : wrapped.subarray(wrapped[1]! & 0x80 ? 2 + (wrapped[1]! & 0x7f) : 2));
  }
  const [modulus, exponent] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
  return rsaPublicKeyInfo(modulus?.value as Buffer, exponent?.value as Buffer);
}

/** A signer over a private key object, for the digest of a message: CKM_ECDSA or CKM_RSA_PKCS over a DigestInfo. */
export function keySigner(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, key: pkcs11js.Handle, keyType: number): DigestSigner {
  if (keyType === pkcs11js.CKK_EC) {
    return {
      algorithm: 'ECDSA-P256',
      signDigest: async (digest) => {
        lib.C_SignInit(session, { mechanism: pkcs11js.CKM_ECDSA }, key);
        const raw = lib.C_Sign(session, Buffer.from(digest), Buffer.alloc(132));
        return ecdsaRawToDer(raw);
      },
    };
  }
  if (keyType === pkcs11js.CKK_RSA) {
    return {
      algorithm: 'RSA-2048',
      signDigest: async (digest) => {
        lib.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
        return new Uint8Array(lib.C_Sign(session, Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]), Buffer.alloc(512)));
      },
    };
  }
  throw new AgentError(Reason.UNSUPPORTED_ALGORITHM, `key type 0x${keyType.toString(16)} is not supported`);
}
