import { createHash, randomUUID } from 'node:crypto';
import express from 'express';
import { fromBase64, keyIdOf, parseCertificate, readCertificationRequest, serialNumberHex, verifySignedData } from '@sicert/pki';
import { validateResidentId } from '@sicert/elements/validators';
import { DETAILS, sendError, text } from './api-errors.js';
import { applicationView, holderOf, installationChallenge, subjectSerial } from './applications-api.js';
import type { ApplicationsStore, NewApplication } from './applications-store.js';
import type { CertificatesStore } from './certificates-store.js';
import { certificateSubject } from './console-api.js';
import type { DemoCa } from './demo-ca.js';
import type { InsuredRegistry } from './insured-registry.js';
import { refuseOpenApplication } from './open-application.js';
import { issuePrice, regionProfile } from './region-profiles.js';
import { isoDate } from './working-days.js';

interface Services {
  ca: DemoCa;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
}

/** How long a signature check's text may wait for its signature. */
const CHECK_TTL_MS = 5 * 60_000;

/**
 * The hall's USB-Key work (线下办理, demo only), beside the identity check under /console/api/hall: the on-site
 * USB-Key — the key made on a blank key the agent initialised, its certificate issued at once (the identity was
 * checked at the counter, the form signed on paper), installed and proven like an online one — and the signature
 * check that ends a password reset: a text to sign, verified for that citizen.
 */
export function hallUsbKeyApi({ ca, registry, applications, certificates }: Services): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: '32kb' }));
  const checks = new Map<string, { text: string; idNumber: string; until: number }>();

  /** 现场制作: the certificate for the key just made on the USB-Key, issued at once. One per Idempotency-Key. */
  api.post('/usb-key', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const id = validateResidentId(text(body.idNumber));
    const person = id.valid ? await registry.person(id.value) : undefined;
    if (!person) return void sendError(res, 422, 'NOT_INSURED', 'idNumber');
    if (person.name !== text(body.name)) return void sendError(res, 422, 'RECORD_MISMATCH', 'name');
    const region = regionProfile(person.region);
    const tokenId = text(body.tokenId);
    if (!region || !/^p11-[0-9a-f]{16}$/.test(tokenId)) return void sendError(res, 422, 'INVALID_FIELD', 'tokenId');
    let csr: Uint8Array;
    let request: Awaited<ReturnType<typeof readCertificationRequest>>;
    try {
      csr = fromBase64(text(body.csr));
      request = await readCertificationRequest(csr);
    } catch {
      return void sendError(res, 422, 'INVALID_CSR', 'csr');
    }
    const key = text(req.get('Idempotency-Key')) || randomUUID();
    const requestHash = createHash('sha256').update(`${person.idNumber}\0${tokenId}\0${text(body.csr)}`).digest('hex');
    // A retry (a lost answer) gets the certificate already issued, never a second one.
    const earlier = await applications.byIdempotencyKey(`hall:${key}`);
    if (earlier) return void (earlier.requestHash === requestHash ? res.json(applicationView(earlier, ca)) : sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED'));
    // One open application per person, at the counter too: one in progress online is finished (or withdrawn) first.
    const open = await applications.openFor(person.idNumber, person.idNumber);
    if (open) return void refuseOpenApplication(res, open, person.idNumber);
    const now = new Date();
    const input: NewApplication = {
      idempotencyKey: `hall:${key}`,
      requestHash,
      owner: person.idNumber,
      region: region.id,
      type: 'personal',
      onBehalf: false,
      kind: 'new', // decided by `price`, with the fee, in the transaction that records the application
      replaces: null,
      details: {
        applicant: { name: person.name, idNumber: person.idNumber, cardNumber: person.cardNumber, mobile: person.mobile },
        materials: [],
        face: { method: 'identity checked at the hall counter', at: now.toISOString() },
        keyId: await keyIdOf(request.publicKey),
      },
      medium: 'usb-key',
      tokenId,
      keyAlgorithm: request.keyAlgorithm,
      csr,
      fee: 0,
      submittedAt: now.toISOString(),
      expectedBy: isoDate(now),
    };
    const certificate = await ca.issue(certificateSubject(input), request.publicKey, region.certificateYears);
    const serial = serialNumberHex(parseCertificate(certificate));
    const record = { serial, subject: person.name, der: certificate, holder: holderOf('personal', person), owner: person.idNumber };
    const outcome = await applications.createOnce(input, {
      approved: {
        ...{ certificate, serial, note: 'issued at the hall counter', guard: () => Promise.resolve(true) },
        alongside: (applicationId, tx) => certificates.in(tx).record({ ...record, applicationId }),
      },
      price: async (tx) => issuePrice(region, 'usb-key', await certificates.in(tx).hasHad(person.idNumber)),
    });
    // Checked again in the transaction: an application submitted online meanwhile stops this one.
    if (outcome.refused === 'open') return void refuseOpenApplication(res, outcome.open, person.idNumber);
    if (outcome.refused) return void sendError(res, 409, 'WRONG_STATE');
    const { application, created } = outcome;
    if (!created && application.requestHash !== input.requestHash) return void sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED');
    res.status(created ? 201 : 200).json(applicationView(application, ca));
  });

  /** The on-site certificate installed on the USB-Key: proven by a signature over its challenge, as online. */
  api.post('/usb-key/:id/installation', async (req, res) => {
    const app = await applications.get(req.params.id);
    if (!app || !app.idempotencyKey.startsWith('hall:')) return void sendError(res, 404, 'NOT_FOUND');
    if (app.status === 'installed') return void res.json(applicationView(app, ca));
    if (app.status !== 'approved' || !app.certificate) return void sendError(res, 409, 'WRONG_STATE');
    const verification = await verifySignedData(fromBase64(text((req.body as Record<string, unknown>).signature)), {
      content: new TextEncoder().encode(installationChallenge(app.id)),
      expectedSigner: { certificate: app.certificate },
      trustedRoots: [ca.certificate],
      isRevoked: (serial) => certificates.isRevoked(serial),
    }).catch(() => undefined);
    if (!verification?.valid) return void sendError(res, 422, 'SIGNATURE_INVALID', 'signature', DETAILS.installProof);
    await applications.install(app.id, 'installed at the hall counter');
    res.json(applicationView((await applications.get(app.id))!, ca));
  });

  /** A text for the citizen to sign after a password reset (试签名), valid five minutes. */
  api.post('/signature-checks', async (req, res) => {
    const id = validateResidentId(text((req.body as Record<string, unknown>).idNumber));
    if (!id.valid || !(await registry.person(id.value))) return void sendError(res, 422, 'NOT_INSURED', 'idNumber');
    const check = { text: `社保数字证书试签名 ${new Date().toISOString()} ${randomUUID()}`, idNumber: id.value, until: Date.now() + CHECK_TTL_MS };
    const checkId = randomUUID();
    checks.set(checkId, check);
    res.status(201).json({ id: checkId, text: check.text });
  });

  /** Verifies the check's signature: that citizen's certificate, from the demo CA, not revoked, over that text. */
  api.post('/signature-checks/:id', async (req, res) => {
    const check = checks.get(req.params.id);
    if (!check || check.until < Date.now()) return void sendError(res, 404, 'NOT_FOUND');
    const verification = await verifySignedData(fromBase64(text((req.body as Record<string, unknown>).signature)), {
      content: new TextEncoder().encode(check.text),
      expectedSigner: { serialNumber: subjectSerial(check.idNumber) },
      trustedRoots: [ca.certificate],
      isRevoked: (serial) => certificates.isRevoked(serial),
    }).catch(() => undefined);
    if (!verification?.valid) return void res.status(422).json({ verified: false, problem: verification?.problem ?? 'MALFORMED' });
    checks.delete(req.params.id);
    res.json({ verified: true, signer: verification.signer?.subjectCommonName ?? verification.signer?.subject ?? '', serialNumber: verification.signer?.serialNumber ?? '' });
  });

  return api;
}
