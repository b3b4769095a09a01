import { issueCertificate, summarizeCertificate, webCryptoSigner, type NameAttributes } from '@sicert/pki';
import type { MessageSigner } from '@sicert/pki/light';

/** Which certificate the mock USB-Key holds. */
export type MockCertificateKind = 'valid' | 'expiring' | 'expired' | 'organization';

/** A certificate of the mock USB-Key, with the key it certifies. */
export interface MockCertificate {
  /** Stable for the life of the mock: `mock-usb-key/<serial hex>`. */
  id: string;
  der: Uint8Array<ArrayBuffer>;
  serialNumber: string;
}

/** The person the mock's certificates name (a resident ID that passes the GB 11643 check digit). */
export const MOCK_PERSON: NameAttributes = { C: 'CN', serialNumber: '110101199003074514', CN: '张三 (测试)' };
/** The organisation of the `batch` scenario (a credit code that passes the GB 32100 check). */
export const MOCK_ORGANIZATION: NameAttributes = { C: 'CN', O: '示例科技有限公司 (测试)', organizationIdentifier: '91110000600037341L', CN: '示例科技有限公司 (测试)' };

const DAY = 86_400_000;

/**
 * An in-memory CA for tests and one P-256 key pair for the mock USB-Key, both made with WebCrypto when the mock
 * starts and never stored: whatever they sign is trusted only by a test that takes {@link MockCa.caCertificate}.
 * Never use them, or anything they issue, in production.
 */
export interface MockCa {
  /** The CA certificate, DER: the trust anchor for verifying the mock's signatures. */
  readonly caCertificate: Uint8Array<ArrayBuffer>;
  /** Signs with the mock USB-Key's private key. */
  readonly userSigner: MessageSigner;
  /** The mock USB-Key's private key as a JWK `d` (for signing a digest the page computed). */
  readonly userKeyD: Uint8Array;
  /** The certificate of `kind`, issued on first use and then kept. */
  certificate(kind: MockCertificateKind): Promise<MockCertificate>;
}

function validity(kind: MockCertificateKind, now: number): { notBefore: Date; notAfter: Date } {
  if (kind === 'expiring') return { notBefore: new Date(now - 355 * DAY), notAfter: new Date(now + 10 * DAY) };
  if (kind === 'expired') return { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 5 * DAY) };
  return { notBefore: new Date(now - DAY), notAfter: new Date(now + 365 * DAY) };
}

function base64UrlToBytes(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

/** Makes the CA and the USB-Key's key pair. */
export async function createMockCa(): Promise<MockCa> {
  const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
  const caKeys = await crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
  const userKeys = await crypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const caSigner = webCryptoSigner(caKeys.privateKey);
  const now = Date.now();
  const caCertificate = await issueCertificate(
    {
      subject: { C: 'CN', O: 'sicert agent-mock (test only)', CN: 'sicert agent-mock Test CA (never trust in production)' },
      publicKey: new Uint8Array(await crypto.subtle.exportKey('spki', caKeys.publicKey)),
      notBefore: new Date(now - 2 * 400 * DAY),
      notAfter: new Date(now + 10 * 365 * DAY),
      keyUsage: ['keyCertSign', 'cRLSign'],
      isCA: true,
    },
    { signer: caSigner },
  );
  const userSpki = new Uint8Array(await crypto.subtle.exportKey('spki', userKeys.publicKey));
  const jwk = await crypto.subtle.exportKey('jwk', userKeys.privateKey);
  const issued = new Map<MockCertificateKind, Promise<MockCertificate>>();
  const issue = async (kind: MockCertificateKind): Promise<MockCertificate> => {
    const der = await issueCertificate(
      {
        subject: kind === 'organization' ? MOCK_ORGANIZATION : MOCK_PERSON,
        publicKey: userSpki,
        ...validity(kind, now),
        keyUsage: ['digitalSignature', 'nonRepudiation'],
      },
      { certificate: caCertificate, signer: caSigner },
    );
    const serialNumber = summarizeCertificate(der).serialNumber;
    return { id: `mock-usb-key/${serialNumber}`, der, serialNumber };
  };
  return {
    caCertificate,
    userSigner: webCryptoSigner(userKeys.privateKey),
    userKeyD: base64UrlToBytes(jwk.d ?? ''),
    certificate(kind) {
      let found = issued.get(kind);
      if (!found) issued.set(kind, (found = issue(kind)));
      return found;
    },
  };
}

