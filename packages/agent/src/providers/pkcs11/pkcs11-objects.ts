import pkcs11js from 'pkcs11js';
import { ecPublicKeyInfo, rsaPublicKeyInfo, toHex, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, Reason } from '@sicert/protocol';
import { holderCertificate } from './pkcs11-certificates.js';
import { findObjects, type Session } from './pkcs11-session.js';

/** DER OID of prime256v1, the CKA_EC_PARAMS of a P-256 key. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

/** What `C_GenerateKeyPair` takes for one algorithm. */
export interface KeyPairTemplates {
  mechanism: pkcs11js.Mechanism;
  publicKey: pkcs11js.Template;
  privateKey: pkcs11js.Template;
}

/**
 * A permanent key pair whose private half is sensitive, never extractable and can only sign. Both halves get the
 * CKA_ID `id` (a placeholder until the public key is known, see {@link setKeyId}).
 */
export function keyPairTemplates(algorithm: SignatureKeyAlgorithm, label: string, id: Buffer): KeyPairTemplates {
  const common = [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
  const isEc = algorithm === 'ECDSA-P256';
  return {
    mechanism: { mechanism: isEc ? pkcs11js.CKM_EC_KEY_PAIR_GEN : pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    publicKey: isEc
      ? [...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }]
      : [...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
    privateKey: [
      ...common,
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: true },
    ],
  };
}

/** The CKK_* type of a key object. */
export function keyTypeOf({ lib, handle }: Session, key: pkcs11js.Handle): number {
  const value = lib.C_GetAttributeValue(handle, key, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]?.value;
  // CK_ULONG attributes come back as little-endian Buffers of the platform's long.
  return value instanceof Buffer && value.length >= 4 ? value.readUInt32LE(0) : -1;
}

/** SubjectPublicKeyInfo (DER) of a public key object. */
export function publicKeyInfo({ lib, handle }: Session, key: pkcs11js.Handle, keyType: number): Uint8Array {
  if (keyType === pkcs11js.CKK_EC) {
    const [point] = lib.C_GetAttributeValue(handle, key, [{ type: pkcs11js.CKA_EC_POINT }]);
    // CKA_EC_POINT is the DER OCTET STRING wrapping the point: unwrap it.
    const wrapped = point?.value as Buffer;
    return ecPublicKeyInfo(wrapped[0] === 0x04 && wrapped.length === 65 ? wrapped : wrapped.subarray(wrapped[1]! & 0x80 ? 2 + (wrapped[1]! & 0x7f) : 2));
  }
  const [modulus, exponent] = lib.C_GetAttributeValue(handle, key, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
  return rsaPublicKeyInfo(modulus?.value as Buffer, exponent?.value as Buffer);
}

/** Key objects of the given classes (CKO_PRIVATE_KEY, CKO_PUBLIC_KEY) with CKA_ID `keyId`. */
export function keysWithId(session: Session, keyId: Buffer, classes: number[]): pkcs11js.Handle[] {
  return classes.flatMap((cls) => findObjects(session, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_ID, value: keyId }]));
}

/** Gives key objects their final CKA_ID. */
export function setKeyId({ lib, handle }: Session, keys: pkcs11js.Handle[], keyId: Uint8Array): void {
  for (const key of keys) lib.C_SetAttributeValue(handle, key, [{ type: pkcs11js.CKA_ID, value: Buffer.from(keyId) }]);
}

/**
 * CKA_IDs (hex) of the key pairs on the token. Without a login most keys hide their private objects; a public key
 * with the same CKA_ID stands for "this token holds the private key" (what USB-Key vendors' tools do as well).
 */
export function keyIds(session: Session): Set<string> {
  const ids = new Set<string>();
  for (const cls of [pkcs11js.CKO_PRIVATE_KEY, pkcs11js.CKO_PUBLIC_KEY]) {
    for (const key of findObjects(session, [{ type: pkcs11js.CKA_CLASS, value: cls }])) {
      const [id] = session.lib.C_GetAttributeValue(session.handle, key, [{ type: pkcs11js.CKA_ID }]);
      if (id?.value instanceof Buffer) ids.add(toHex(id.value));
    }
  }
  return ids;
}

/**
 * Deletes the key pair `keyIdHex` of a logged-in session: `KEY_NOT_FOUND` when the token has neither half,
 * `KEY_IN_USE` when a certificate belongs to it (a certificate ends by revocation, not by losing its key). The
 * private key goes first: a crash after it leaves a public key alone, which the next `key.delete` removes.
 */
export function destroyKeyPair(session: Session, keyIdHex: string): void {
  const keyId = Buffer.from(keyIdHex, 'hex');
  const halves = [...keysWithId(session, keyId, [pkcs11js.CKO_PRIVATE_KEY]), ...keysWithId(session, keyId, [pkcs11js.CKO_PUBLIC_KEY])];
  if (halves.length === 0) throw new AgentError(Reason.KEY_NOT_FOUND, 'the USB-Key holds no such key');
  if (holderCertificate(session, keyId)) throw new AgentError(Reason.KEY_IN_USE, 'this key has a certificate');
  for (const key of halves) session.lib.C_DestroyObject(session.handle, key);
}
