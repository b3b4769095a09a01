// A throwaway CA for tests: a WebCrypto root that issues end-entity certificates.
import { issueCertificate, webCryptoSigner, type CertificateTemplate, type NameAttributes } from '@sicert/pki';

export interface TestCa {
  root: Uint8Array;
  issue(subject: NameAttributes, publicKey: Uint8Array, overrides?: Partial<CertificateTemplate>): Promise<Uint8Array>;
}

export async function createTestCa(): Promise<TestCa> {
  const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']));
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const signer = webCryptoSigner(keys.privateKey);
  const now = Date.now();
  const root = await issueCertificate(
    {
      subject: { C: 'CN', O: 'sicert test', CN: 'sicert Test Root CA' },
      publicKey: spki,
      notBefore: new Date(now - 86_400_000),
      notAfter: new Date(now + 10 * 365 * 86_400_000),
      keyUsage: ['keyCertSign', 'cRLSign'],
      isCA: true,
    },
    { signer },
  );
  return {
    root,
    issue: (subject, publicKey, overrides = {}) =>
      issueCertificate(
        {
          subject,
          publicKey,
          notBefore: new Date(now - 3_600_000),
          notAfter: new Date(now + 365 * 86_400_000),
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          ...overrides,
        },
        { certificate: root, signer },
      ),
  };
}
