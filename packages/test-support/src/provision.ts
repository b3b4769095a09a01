// Puts an ECDSA P-256 and an RSA-2048 key with certificates from a test CA on a token (a USB-Key, or a new
// software token for the holder), through the providers' own token creation, key generation and installation.
import type { KeyProvider, SoftTokenHolder } from './providers.js';
import type { TestCa } from './test-ca.js';

export interface ProvisionedCerts {
  'ECDSA-P256': string;
  'RSA-2048': string;
}

export const ALGORITHMS = ['ECDSA-P256', 'RSA-2048'] as const;

async function provisionKeys(provider: KeyProvider, tokenId: string, pin: string, ca: TestCa, holder: string): Promise<ProvisionedCerts> {
  const out: Partial<ProvisionedCerts> = {};
  for (const algorithm of ALGORITHMS) {
    const { publicKey } = await provider.generateKey(tokenId, pin, algorithm);
    const certificate = await ca.issue({ C: 'CN', O: '测试人社局', CN: `${holder} ${algorithm}` }, publicKey);
    out[algorithm] = await provider.installCertificate(tokenId, certificate);
  }
  return out as ProvisionedCerts;
}

export async function provisionPkcs11(provider: KeyProvider, label: string, pin: string, ca: TestCa, holder = '王小明'): Promise<ProvisionedCerts> {
  const token = (await provider.listTokens()).find((t) => t.label === label);
  if (!token) throw new Error(`no token labelled ${label}`);
  return provisionKeys(provider, token.id, pin, ca, holder);
}

/** A software token of its own for `holder` (labelled with the name), with both keys and their certificates. */
export async function provisionSoft(provider: SoftTokenHolder, pin: string, ca: TestCa, holder = '李小红'): Promise<ProvisionedCerts> {
  return provisionKeys(provider, await provider.createToken(holder, pin), pin, ca, holder);
}
