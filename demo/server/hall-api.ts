import express from 'express';
import { summarizeCertificate } from '@sicert/pki';
import { validatePersonName, validateResidentId } from '@sicert/elements/validators';
import { sendError, text, DETAILS } from './api-errors.js';
import type { ApplicationsStore } from './applications-store.js';
import { certificateRecord, revokeLost } from './certificates-api.js';
import { sendInvalidField } from './field-problems.js';
import { normalizeSerial, REVOCATION_REASONS, type CertificatesStore, type RevocationReason } from './certificates-store.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { DemoDatabase } from './database.js';
import type { InsuredRegistry } from './insured-registry.js';
import { regionProfile } from './region-profiles.js';

interface Services {
  db: DemoDatabase;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
  crl: CrlPublisher;
}

/**
 * The service hall's counter (线下办理, demo only), under /console/api/hall beside the review console and, like it,
 * without a login of its own on loopback (a real portal puts it behind staff authentication): the identity check
 * of the citizen at the counter against the insured records, what the printed 《社保数字证书申请表》 is filled from,
 * and the citizen's certificates, which staff can revoke. State changes need the portal's own origin (CROSS_SITE).
 */
export function hallApi(services: Services): express.Router {
  const { registry, applications, certificates, crl } = services;
  const api = express.Router();
  api.use(express.json({ limit: '4kb' }));

  /** 信息核验: the name and ID number on the card must match the records. A POST: an ID number never goes in a URL. */
  api.post('/identity', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    // Which field, and why: a wrong check character is a typo staff can find on the card.
    const name = validatePersonName(text(body.name));
    if (!name.valid) return void sendInvalidField(res, 'name', name.code);
    const id = validateResidentId(text(body.idNumber));
    if (!id.valid) return void sendInvalidField(res, 'idNumber', id.code);
    const person = await registry.person(id.value);
    if (!person) return void sendError(res, 422, 'NOT_INSURED', 'idNumber');
    if (person.name !== name.value) return void sendError(res, 422, 'RECORD_MISMATCH', 'name');
    const region = regionProfile(person.region);
    const now = new Date();
    // One open application per person: staff see it before making a USB-Key, which it would refuse.
    const open = await applications.openFor(person.idNumber, person.idNumber);
    res.json({
      person: { ...person, regionName: region?.name ?? person.region, birthDate: id.birthDate, sex: id.sex },
      repeatIssue: await certificates.hasHad(person.idNumber),
      fees: region?.fees,
      organizations: await applications.organizationsHandledBy(person.idNumber),
      openApplication: open ? { id: open.id, status: open.status, kind: open.kind, type: open.type, medium: open.medium, submittedAt: open.submittedAt, filedByOther: open.owner !== person.idNumber } : null,
      certificates: (await certificates.ownedBy(person.idNumber)).map((issued) => {
        const summary = summarizeCertificate(issued.der, now);
        return {
          ...certificateRecord(issued.serial, issued),
          holder: issued.subject,
          organization: issued.holder !== person.idNumber,
          notBefore: summary.notBefore,
          notAfter: summary.notAfter,
          validity: summary.status,
        };
      }),
    });
  });

  /**
   * Revocation at the counter, with the reason the citizen gives: 挂失 (keyCompromise, which also revokes a renewal
   * not yet installed on the same token), 注销 (cessationOfOperation), 已更换 (superseded), or unspecified.
   */
  api.post('/certificates/:serial/revocation', async (req, res) => {
    const reason = text((req.body as Record<string, unknown>).reason) as RevocationReason;
    if (!REVOCATION_REASONS.includes(reason)) return void sendError(res, 422, 'INVALID_FIELD', 'reason');
    const serial = normalizeSerial(req.params.serial);
    if (!serial || !(await certificates.get(serial))) return void sendError(res, 404, 'NOT_FOUND', 'serialNumber');
    const revoked = reason === 'keyCompromise' ? await revokeLost(services, serial) : await certificates.revoke(serial, reason);
    if (!revoked) return void sendError(res, 409, 'WRONG_STATE', undefined, DETAILS.alreadyRevoked);
    await crl.publish();
    res.json(certificateRecord(serial, await certificates.get(serial)));
  });

  return api;
}
