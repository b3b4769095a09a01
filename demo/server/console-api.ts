import express from 'express';
import { readCertificationRequest, serialNumberHex, parseCertificate } from '@sicert/pki';
import { sendError } from './api-errors.js';
import { applicationView, holderOf, subjectSerial } from './applications-api.js';
import { AWAITING_DECISION, type ApplicationRecord, type ApplicationsStore } from './applications-store.js';
import type { CertificatesStore } from './certificates-store.js';
import type { DemoCa } from './demo-ca.js';
import { regionProfile } from './region-profiles.js';
import type { UploadsStore } from './uploads-store.js';

/** The certificate subject of an approved application, from the checked details (never from the CSR). */
export function certificateSubject(app: Pick<ApplicationRecord, 'details' | 'region' | 'type'>): Record<string, string> {
  const { applicant, organization } = app.details;
  const region = regionProfile(app.region);
  if (app.type === 'organization' && organization) {
    return { C: 'CN', ST: region?.name ?? app.region, O: organization.name, organizationIdentifier: organization.creditCode, CN: `${organization.name} (${applicant.name})` };
  }
  return { C: 'CN', ST: region?.name ?? app.region, serialNumber: subjectSerial(applicant.idNumber), CN: applicant.name };
}

/**
 * The staff review console's API (审核). The demo leaves it unauthenticated on loopback; a real portal puts it
 * behind its staff login.
 */
export function consoleApi(ca: DemoCa, certificates: CertificatesStore, applications: ApplicationsStore, uploads: UploadsStore): express.Router {
  const api = express.Router();
  api.use(express.json());

  api.get('/applications', async (_req, res) => {
    res.json((await applications.all()).map((app) => ({ ...applicationView(app, ca), applicant: app.details.applicant.name, submittedAt: app.submittedAt })));
  });

  /** Reading never changes anything (a link or a prefetch must not move an application); see POST …/review. */
  api.get('/applications/:id', async (req, res) => {
    const app = await applications.get(req.params.id);
    if (!app) return void sendError(res, 404, 'NOT_FOUND');
    const materials = await Promise.all(
      app.details.materials.map(async (m) => {
        const upload = await uploads.get(m.uploadId);
        return { kind: m.kind, uploadId: m.uploadId, fileName: upload?.fileName, mimeType: upload?.mimeType, size: upload?.size };
      }),
    );
    res.json({ ...applicationView(app, ca), details: { ...app.details, materials }, subject: certificateSubject(app) });
  });

  api.get('/uploads/:id', async (req, res) => {
    const upload = await uploads.get(req.params.id);
    if (!upload) return void sendError(res, 404, 'NOT_FOUND');
    res.type(upload.mimeType).send(uploads.read(upload));
  });

  /** The application a decision is about, if it still awaits one; otherwise answers the error. */
  async function awaitingDecision(id: string, res: express.Response): Promise<ApplicationRecord | undefined> {
    const app = await applications.get(id);
    if (!app) return void sendError(res, 404, 'NOT_FOUND');
    if (!AWAITING_DECISION.includes(app.status)) return void sendError(res, 409, 'WRONG_STATE');
    return app;
  }

  /** Staff open a submitted application for review (审核中); opening it again changes nothing. */
  api.post('/applications/:id/review', async (req, res) => {
    const app = await awaitingDecision(req.params.id, res);
    if (!app) return;
    // Only from submitted: an applicant's withdrawal that came first stands (409), and is never overwritten.
    if (app.status === 'submitted' && !(await applications.startReview(app.id))) return void sendError(res, 409, 'WRONG_STATE');
    res.json(applicationView((await applications.get(app.id))!, ca));
  });

  /** Applications being approved in this process: a second approval waits for nothing and issues nothing. */
  const approving = new Set<string>();

  api.post('/applications/:id/approve', async (req, res) => {
    const app = await awaitingDecision(req.params.id, res);
    if (!app) return;
    if (approving.has(app.id)) return void sendError(res, 409, 'WRONG_STATE');
    approving.add(app.id);
    try {
      const region = regionProfile(app.region)!;
      const { publicKey } = await readCertificationRequest(app.csr);
      const certificate = await ca.issue(certificateSubject(app), publicKey, region.certificateYears);
      const serial = serialNumberHex(parseCertificate(certificate));
      const holder = app.type === 'organization' ? (app.details.organization?.name ?? '') : app.details.applicant.name;
      // Another process (or a reject) may have decided meanwhile: then this certificate is never recorded or handed out.
      const { applicant, organization } = app.details;
      const record = { serial, subject: holder, der: certificate, holder: holderOf(app.type, applicant, organization), owner: applicant.idNumber, applicationId: app.id };
      const decided = await applications.decide(app.id, 'approved', { certificate, serial }, 'approved by staff', (tx) => certificates.in(tx).record(record));
      if (!decided) return void sendError(res, 409, 'WRONG_STATE');
      res.json(applicationView((await applications.get(app.id))!, ca));
    } finally {
      approving.delete(app.id);
    }
  });

  api.post('/applications/:id/reject', async (req, res) => {
    const app = await awaitingDecision(req.params.id, res);
    if (!app) return;
    const reason = typeof (req.body as { reason?: unknown }).reason === 'string' ? (req.body as { reason: string }).reason.trim().slice(0, 500) : '';
    if (!reason) return void sendError(res, 422, 'INVALID_FIELD', 'reason');
    if (approving.has(app.id) || !(await applications.decide(app.id, 'rejected', { rejectReason: reason }, null))) return void sendError(res, 409, 'WRONG_STATE');
    res.json(applicationView((await applications.get(app.id))!, ca));
  });

  return api;
}
