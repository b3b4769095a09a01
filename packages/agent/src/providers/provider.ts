import type { DigestSigner } from '@sicert/pki';
import type { ProviderKind, Token } from '@sicert/protocol';

/** A certificate as a provider stores it; the methods layer adds the parsed summary. */
export interface StoredCertificate {
  /** `<tokenId>/<key id hex>`: stable while the certificate stays on the token. */
  id: string;
  tokenId: string;
  der: Uint8Array;
  hasPrivateKey: boolean;
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
   * Logs in to the certificate's token with `pin`, hands `use` a signer over the certificate's private key,
   * and logs out when `use` settles. Operations on one token never overlap.
   */
  withKey<T>(certId: string, pin: string, use: (key: DigestSigner, certificate: Uint8Array) => Promise<T>): Promise<T>;
  /** Releases modules, sessions and files. */
  close(): Promise<void>;
}

/** Splits a certificate id into its token id and key id. */
export function splitCertId(certId: string): { tokenId: string; keyId: string } | undefined {
  const slash = certId.lastIndexOf('/');
  if (slash <= 0 || slash === certId.length - 1) return undefined;
  return { tokenId: certId.slice(0, slash), keyId: certId.slice(slash + 1) };
}
