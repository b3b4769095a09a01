import type { DigestSigner, SignatureKeyAlgorithm } from '@sicert/pki/light';
import type { ProviderKind, Token } from '@sicert/protocol';
import type { TokenChangeListener } from './token-changes.js';

/** A certificate as a provider stores it; the methods layer adds the parsed summary. */
export interface StoredCertificate {
  /** `<tokenId>/<key id hex>`: stable while the certificate stays on the token. */
  id: string;
  tokenId: string;
  der: Uint8Array;
  hasPrivateKey: boolean;
}

/** A key on a token: `keyId` is its CKA_ID (hex), shared by the key pair and its certificate. */
export interface KeyRef {
  tokenId: string;
  keyId: string;
}

/**
 * A key at work: {@link DigestSigner} for a digest the page computed, and `signMessage` for a whole message (what
 * CMS signs: the signed attributes), which a provider may hash and sign in one step off the event loop (the
 * software token does, with node:crypto's callback form). Concurrent calls are allowed: providers sign in parallel
 * where the token can, and keep the event loop free in any case.
 */
export interface KeySigner extends DigestSigner {
  /**
   * Signs the SHA-256 of `message`: the same as `signDigest(sha256(message))`. `digest`, when the caller has it
   * already, spares a signer that hashes apart from signing a second hash.
   */
  signMessage(message: Uint8Array, digest?: Uint8Array): Promise<Uint8Array>;
}

/** What an operation gets while the token is logged in. */
export interface KeyAccess {
  signer: KeySigner;
  /** SubjectPublicKeyInfo, DER; read from the token only when asked (signing does not need it). */
  publicKey: () => Uint8Array;
  /** The certificate stored beside the key, if any. */
  certificate: Uint8Array | undefined;
}

/** A freshly generated key pair. */
export interface GeneratedKey {
  keyId: string;
  publicKey: Uint8Array;
}

/**
 * One kind of key store. A key's location is always explicit: every token and certificate belongs to exactly
 * one provider, and nothing ever falls back from a USB-Key to software keys.
 */
export interface Provider {
  readonly kind: ProviderKind;
  /** Tokens this provider can see now. */
  listTokens(): Promise<Token[]>;
  /** Certificates on one of this provider's tokens, or on all of them. */
  listCertificates(tokenId?: string): Promise<StoredCertificate[]>;
  /** True when `tokenId` (or the token of a certificate id) is one of this provider's. */
  owns(id: string): boolean;
  /**
   * Logs in to the key's token with `pin`, hands `use` a signer over the private key with its public key and
   * certificate, and logs out when `use` settles. Operations on one token never overlap.
   */
  withKey<T>(key: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T>;
  /** Generates a key pair on the token; the private key never leaves it. The id is derived from the public key. */
  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<GeneratedKey>;
  /**
   * Stores a certificate (and its chain) beside the key whose public key it carries; refuses one that matches no
   * key on the token. Returns the certificate id.
   */
  installCertificate(tokenId: string, certificate: Uint8Array, chain?: Uint8Array[], pin?: string): Promise<string>;
  /**
   * Listens to this provider's token changes (added, removed, changed: PIN state or certificates); returns a
   * function that stops listening. While anyone listens the provider watches its tokens (a PKCS#11 provider polls
   * its slots); changes made through the provider itself are announced too.
   */
  onChange(listener: TokenChangeListener): () => void;
  /**
   * Creates a token for one holder with its own first PIN and returns its id; only providers that can make tokens
   * (the software token) have it.
   */
  createToken?(label: string, pin: string): Promise<string>;
  /**
   * The token a key-addressed operation really works on, when `tokenId` may be an alias: the software token's
   * retired `soft-default` names whichever token now holds the key `keyId`. The methods layer queues and throttles
   * by the id this answers, so tries through an alias count against the real token, once. Any other id, or an alias
   * that names no token, comes back as it is. Providers without aliases leave it out.
   */
  resolveTokenId?(tokenId: string, keyId: string): string;
  /** Changes the user PIN: `oldPin` is a PIN try like any other. The caller has checked `newPin` against the policy. */
  changePin(tokenId: string, oldPin: string, newPin: string): Promise<void>;
  /**
   * Sets a new user PIN with the security officer's PIN, which unlocks a locked user PIN. Failures of the SO PIN are
   * `SO_PIN_INCORRECT` / `SO_PIN_LOCKED`; a token without a security officer answers `NOT_SUPPORTED`.
   */
  unblockPin(tokenId: string, soPin: string, newPin: string): Promise<void>;
  /**
   * Hall mode: initialises a blank token with the security officer's PIN and a label, sets the user PIN, and
   * answers the token's id (which may change with the label). Only USB-Keys have it; `TOKEN_NOT_BLANK` for a token
   * that is initialised already.
   */
  initToken?(tokenId: string, soPin: string, label: string, pin: string): Promise<string>;
  /** Deletes a key pair that has no certificate (`KEY_IN_USE` when it has one, `KEY_NOT_FOUND` when there is none). */
  deleteKey(tokenId: string, keyId: string, pin: string): Promise<void>;
  /** Releases modules, sessions and files, and stops watching. */
  close(): Promise<void>;
}

/** Splits a certificate id into its token id and key id. */
export function splitCertId(certId: string): KeyRef | undefined {
  const slash = certId.lastIndexOf('/');
  if (slash <= 0 || slash === certId.length - 1) return undefined;
  return { tokenId: certId.slice(0, slash), keyId: certId.slice(slash + 1) };
}
