// The benchmark's token: one SoftHSM2 token with an ECDSA P-256 and an RSA-2048 key, each with a certificate from
// a throwaway CA, made through the agent's own PKCS#11 provider. Raw and agent measurements use these same keys.
import { Pkcs11Provider } from '@sicert/agent';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';

export const ALGORITHMS = ['ECDSA-P256', 'RSA-2048'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface BenchToken {
  hsm: SoftHsm;
  /** The token's id as the agent names it. */
  tokenId: string;
  /** Certificate ids (`<token>/<key id hex>`) by algorithm. */
  certIds: Record<Algorithm, string>;
  /** The key's CKA_ID by algorithm. */
  keyIds: Record<Algorithm, Buffer>;
}

export async function createBenchToken(): Promise<BenchToken> {
  const hsm = createSoftHsm('sicert-bench');
  const ca = await createTestCa();
  const provider = new Pkcs11Provider([hsm.module]);
  try {
    const token = (await provider.listTokens()).find((t) => t.label === hsm.label);
    if (!token) throw new Error('the bench token is not listed');
    const certIds = {} as Record<Algorithm, string>;
    const keyIds = {} as Record<Algorithm, Buffer>;
    for (const algorithm of ALGORITHMS) {
      const { publicKey } = await provider.generateKey(token.id, hsm.pin, algorithm);
      const certId = await provider.installCertificate(token.id, await ca.issue({ CN: `bench ${algorithm}` }, publicKey), [], hsm.pin);
      certIds[algorithm] = certId;
      keyIds[algorithm] = Buffer.from(certId.split('/')[1]!, 'hex');
    }
    return { hsm, tokenId: token.id, certIds, keyIds };
  } finally {
    await provider.close();
  }
}
