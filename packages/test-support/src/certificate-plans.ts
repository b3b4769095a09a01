// Certificates with chosen subjects and validity windows on a token (valid, expiring in 10 days, expired, not yet
// valid, an organisation's), and a software token's password locked by wrong tries: the states a certificate
// status page must show, made with the providers' own key generation and installation.
import { summarizeCertificate, type NameAttributes } from '@sicert/pki';
import type { KeyProvider, ProvisionedAlgorithm } from './providers.js';
import type { TestCa } from './test-ca.js';

const DAY_MS = 86_400_000;

/** One certificate to put on the token. */
export interface CertificatePlan {
  subject: NameAttributes;
  /** Days from now (negative: in the past). */
  notBeforeDays: number;
  notAfterDays: number;
  algorithm?: ProvisionedAlgorithm;
}

/** A provisioned certificate: the agent's id for it and its serial number (lower-case hex). */
export interface PlannedCertificate {
  certId: string;
  serialNumber: string;
}

/** Issues and installs each planned certificate beside a new key on `tokenId`. */
export async function provisionPlans<K extends string>(provider: KeyProvider, tokenId: string, pin: string, ca: TestCa, plans: Record<K, CertificatePlan>): Promise<Record<K, PlannedCertificate>> {
  const now = Date.now();
  const out = {} as Record<K, PlannedCertificate>;
  for (const [name, plan] of Object.entries(plans) as [K, CertificatePlan][]) {
    const { publicKey } = await provider.generateKey(tokenId, pin, plan.algorithm ?? 'ECDSA-P256');
    const der = await ca.issue(plan.subject, publicKey, { notBefore: new Date(now + plan.notBeforeDays * DAY_MS), notAfter: new Date(now + plan.notAfterDays * DAY_MS) });
    out[name] = { certId: await provider.installCertificate(tokenId, der), serialNumber: summarizeCertificate(der).serialNumber };
  }
  return out;
}

/** What locking needs of a provider: a PIN try on a key. */
export interface PinTrier {
  withKey(key: { tokenId: string; keyId: string }, pin: string, use: () => Promise<unknown>): Promise<unknown>;
}

/** Spends wrong PINs on `certId`'s key until the token answers `PIN_LOCKED` (at most `maxTries`). */
export async function lockWithWrongPins(provider: PinTrier, certId: string, wrongPin: string, maxTries = 20): Promise<void> {
  const slash = certId.lastIndexOf('/');
  const key = { tokenId: certId.slice(0, slash), keyId: certId.slice(slash + 1) };
  for (let i = 0; i < maxTries; i++) {
    try {
      await provider.withKey(key, wrongPin, async () => undefined);
      throw new Error('the wrong PIN was accepted');
    } catch (error) {
      if ((error as { reason?: string }).reason === 'PIN_LOCKED') return;
      if ((error as { reason?: string }).reason !== 'PIN_INCORRECT') throw error;
    }
  }
  throw new Error(`the token did not lock after ${maxTries} wrong PINs`);
}
