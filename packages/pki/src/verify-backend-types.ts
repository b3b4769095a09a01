/** Hash functions a SignerInfo may use (SHA-256 or stronger), by their WebCrypto names. */
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A public key to verify with, as the key's algorithm describes it (the SignerInfo's OID does not choose it). */
export type KeyDescription = { readonly name: 'ECDSA'; readonly namedCurve: 'P-256' | 'P-384' | 'P-521' } | { readonly name: 'RSASSA-PKCS1-v1_5' };

/** A public key imported once and kept with its certificate; what it holds depends on the backend. */
export interface VerifyKey {
  readonly description: KeyDescription;
}

/**
 * What the fast verification path needs from a crypto library. Two variants export it through the package's
 * `#verify-backend` import: node:crypto (synchronous for small inputs) and WebCrypto (browsers).
 */
export interface VerifyBackend {
  /** The digest of `data`: a value when computed on the spot, a promise when computed elsewhere. */
  digest(hash: HashName, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The key of a DER SubjectPublicKeyInfo, or undefined when this backend cannot import it as described. */
  importKey(spki: Uint8Array, description: KeyDescription): Promise<VerifyKey | undefined>;
  /**
   * Whether `signature` is `key`'s signature over `data` with `hash`: PKCS #1 v1.5 for RSA, raw `r‖s` (IEEE P1363)
   * for ECDSA. False, never a throw, for a signature that does not verify. A value when checked on the spot.
   */
  verify(key: VerifyKey, hash: HashName, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
