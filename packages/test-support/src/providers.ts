// The providers are described by what provisioning uses rather than imported from the agent: test support then
// does not depend on the agent whose tests use it, and a test may hand in providers from the agent's sources
// (its own tests) or its build (the browser tests' fixture) alike.

/** Algorithms every provisioned token gets a key and certificate for. */
export type ProvisionedAlgorithm = 'ECDSA-P256' | 'RSA-2048';

/** What provisioning needs of a provider (`Pkcs11Provider`, `SoftTokenProvider`). */
export interface KeyProvider {
  listTokens(): Promise<readonly { id: string; label: string; pin: { initialized: boolean } }[]>;
  generateKey(tokenId: string, pin: string, algorithm: ProvisionedAlgorithm): Promise<{ publicKey: Uint8Array }>;
  installCertificate(tokenId: string, der: Uint8Array): Promise<string>;
}

/** What {@link provisionSoft} needs of a `SoftTokenProvider`: a provider that makes a token per holder. */
export interface SoftTokenHolder extends KeyProvider {
  /** Creates a token labelled `label` with its own PIN; resolves with its id. */
  createToken(label: string, pin: string): Promise<string>;
}
