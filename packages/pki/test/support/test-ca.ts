// A throwaway CA for this package's tests, built on its own sources. The shared one in @sicert/test-support
// imports the built @sicert/pki: tests that used it ran the build, not the sources Stryker mutates, so the
// issuing code looked untested however much the tests leaned on it.
import { issueCertificate, webCryptoSigner, type CertificateTemplate, type MessageSigner, type NameAttributes } from '../../src/index.js';

const DAY = 86_400_000;

export interface TestCa {
  root: Uint8Array;
  /** This CA's own certificate: the root's, or an intermediate's. */
  certificate: Uint8Array;
  issue(subject: NameAttributes, publicKey: Uint8Array, overrides?: Partial<CertificateTemplate>): Promise<Uint8Array>;
  /** A CA below the root (basicConstraints cA), with its own `issue`. */
  intermediate(subject: NameAttributes): Promise<TestCa>;
}

function caOver(root: Uint8Array, certificate: Uint8Array, signer: MessageSigner, now: number): TestCa {
  return {
    root,
    certificate,
    issue: (subject, publicKey, overrides = {}) =>
      issueCertificate(
        { subject, publicKey, notBefore: new Date(now - 3_600_000), notAfter: new Date(now + 365 * DAY), keyUsage: ['digitalSignature', 'nonRepudiation'], ...overrides },
        { certificate, signer },
      ),
    intermediate: async (subject) => {
      const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
      const own = await issueCertificate(
        { subject, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + 5 * 365 * DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true },
        { certificate, signer },
      );
      return caOver(root, own, webCryptoSigner(keys.privateKey), now);
    },
  };
}

export async function createTestCa(): Promise<TestCa> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const signer = webCryptoSigner(keys.privateKey);
  const now = Date.now();
  const root = await issueCertificate(
    { subject: { C: 'CN', O: 'sicert test', CN: 'sicert Test Root CA' }, publicKey: spki, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY), keyUsage: ['keyCertSign', 'cRLSign'], isCA: true },
    { signer },
  );
  return caOver(root, root, signer, now);
}
