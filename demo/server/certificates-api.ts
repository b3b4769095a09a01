import express from 'express';
import type { CertificateRecord } from '@sicert/elements/backend';
import { DETAILS, sendError } from './api-errors.js';
import { currentUser } from './applications-api.js';
import type { ApplicationsStore } from './applications-store.js';
import { normalizeSerial, type CertificatesStore, type IssuedCertificate } from './certificates-store.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { DemoDatabase } from './database.js';

interface Services {
  db: DemoDatabase;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
  crl: CrlPublisher;
}

/** What the portal tells about a certificate (the CRL publishes the same to anyone). */
export function certificateRecord(serial: string, issued: IssuedCertificate | undefined): CertificateRecord {
  if (!issued) return { serialNumber: serial, status: 'unknown' };
  if (!issued.revokedAt) return { serialNumber: serial, status: 'good' };
  return { serialNumber: serial, status: 'revoked', revokedAt: issued.revokedAt, revocationReason: issued.revocationReason ?? 'unspecified' };
}

/**
 * Revokes a lost certificate (keyCompromise) and, in the same transaction, the certificate of a renewal that
 * replaces it and is not installed yet: that key was made on the same lost token. False when the certificate was
 * already revoked (then nothing changes).
 */
export function revokeLost(services: Pick<Services, 'db' | 'applications' | 'certificates'>, serial: string, at: Date = new Date()): Promise<boolean> {
  return services.db.sql.transaction(async (tx) => {
    const certificates = services.certificates.in(tx);
    if (!(await certificates.revoke(serial, 'keyCompromise', at))) return false;
    const renewal = await services.applications.renewalOf(serial, tx);
    if (renewal?.status === 'approved' && renewal.serial) await certificates.revoke(renewal.serial, 'keyCompromise', at);
    return true;
  });
}

/**
 * `GET /certificates/{serial}` and `POST /certificates/{serial}/loss` of the backend contract (docs/backend-api.md),
 * under /api/sicert/v1.
 */
export function certificatesApi(services: Services): express.Router {
  const { certificates, crl } = services;
  const api = express.Router();
  api.use(express.json({ limit: '1kb' }));

  /**
   * Public, like the CRL: anyone holding a certificate may learn whether it is revoked. With a session, `mine` says
   * whether the person signed in may act on it (loss report, renewal), so the status card offers only what works.
   */
  api.get('/certificates/:serial', async (req, res) => {
    const serial = normalizeSerial(req.params.serial);
    if (!serial) return void sendError(res, 422, 'INVALID_FIELD', 'serialNumber');
    const issued = await certificates.get(serial);
    const user = currentUser(req);
    res.json({ ...certificateRecord(serial, issued), ...(user && issued ? { mine: issued.owner === user } : {}) });
  });

  /** Loss report (挂失): a lost token cannot sign, so the portal session of its holder (or handler) is the proof. */
  api.post('/certificates/:serial/loss', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const serial = normalizeSerial(req.params.serial);
    const issued = serial ? await certificates.get(serial) : undefined;
    // Someone else's certificate is answered like an unknown one: whose it is is not theirs to learn.
    if (!serial || !issued || issued.owner !== owner) return void sendError(res, 404, 'NOT_FOUND', 'serialNumber');
    if (!(await revokeLost(services, serial))) return void sendError(res, 409, 'WRONG_STATE', undefined, DETAILS.alreadyRevoked);
    await crl.publish();
    res.json(certificateRecord(serial, await certificates.get(serial)));
  });

  return api;
}
