import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { fromBase64, keyIdOf, readCertificationRequest, toBase64, verifySignedData } from '@sicert/pki';
import { validatePersonName, validateResidentId } from '@sicert/elements/validators';
import { DETAILS, sendError, text } from './api-errors.js';
import type { ApplicationRecord, ApplicationsStore } from './applications-store.js';
import type { CertificatesStore } from './certificates-store.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { DemoCa } from './demo-ca.js';
import { checkEligibility } from './eligibility.js';
import type { FaceTokens } from './face-check.js';
import type { InsuredRegistry } from './insured-registry.js';
import { refuseOpenApplication } from './open-application.js';
import { issuePrice, regionProfile, type MaterialKind, type RegionProfile } from './region-profiles.js';
import { sniffType, type UploadsStore } from './uploads-store.js';
import { addWorkingDays, isoDate } from './working-days.js';

/** The message a freshly installed certificate signs to prove it works (and that the key is where it should be). */
export function installationChallenge(applicationId: string): string {
  return `sicert-install:${applicationId}`;
}

/** The signed-in user (the demo's login stand-in keeps their ID number in a cookie). */
export function currentUser(req: Request): string | undefined {
  const match = /(?:^|;\s*)sicert_demo_user=([0-9X]{18})/.exec(req.headers.cookie ?? '');
  return match?.[1];
}

/** Materials the application needs, from the region profile, the certificate type and 委托代办. */
export function requiredMaterials(region: RegionProfile, type: string, onBehalf: boolean): MaterialKind[] {
  if (type === 'organization') return region.materials.organization;
  return onBehalf ? region.materials.onBehalf : region.materials.personal;
}

/** The application as the wizard sees it. */
export function applicationView(app: ApplicationRecord, ca: DemoCa) {
  return {
    id: app.id,
    status: app.status,
    kind: app.kind,
    ...(app.replaces ? { replaces: app.replaces } : {}),
    region: app.region,
    type: app.type,
    onBehalf: app.onBehalf,
    medium: app.medium,
    tokenId: app.tokenId,
    // The key the request was made with: the wizard deletes it after a withdrawal or a rejection.
    ...(app.details.keyId ? { keyId: app.details.keyId } : {}),
    holder: app.type === 'organization' ? app.details.organization?.name : app.details.applicant.name,
    fee: app.fee,
    submittedAt: app.submittedAt,
    expectedBy: app.expectedBy,
    rejectReason: app.rejectReason,
    history: app.history,
    ...(app.certificate ? { certificate: toBase64(app.certificate), chain: [toBase64(ca.certificate)] } : {}),
  };
}

interface Services {
  ca: DemoCa;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
  crl: CrlPublisher;
  uploads: UploadsStore;
  faces: FaceTokens;
}

/** Whose certificate an application asks for: the organisation's (USCC) or the person's (ID number). */
export function holderOf(type: string, applicant: { idNumber: string }, organization?: { creditCode: string }): string {
  return type === 'organization' && organization ? organization.creditCode : applicant.idNumber;
}

type Body = Record<string, unknown>;

/** The region profile a request names; answers UNKNOWN_REGION when there is none. */
function regionOf(body: Body, res: Response): RegionProfile | undefined {
  const region = regionProfile(text(body.region));
  if (!region) sendError(res, 404, 'UNKNOWN_REGION');
  return region;
}

/** JSON with object keys sorted at every level: the same request always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Body).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** An application-making POST's idempotency key, its request's hash, and whether an application is another's use of the key. */
export interface IdempotentRequest {
  key: string;
  requestHash: string;
  /** True when `app` was made with this key by someone else or for another request. */
  reused: (app: ApplicationRecord) => boolean;
}

/**
 * Reads the `Idempotency-Key` of a POST that makes an application. A retry (same key, same request, same person)
 * is answered here with the application it made; anything else with the key is a conflict, never somebody's earlier
 * application. Returns undefined when it has answered.
 */
export async function idempotentRequest(req: Request, res: Response, owner: string, applications: ApplicationsStore, ca: DemoCa): Promise<IdempotentRequest | undefined> {
  const key = req.header('Idempotency-Key') ?? '';
  if (!/^[A-Za-z0-9-]{16,64}$/.test(key)) return void sendError(res, 400, 'IDEMPOTENCY_KEY_REQUIRED');
  const requestHash = createHash('sha256').update(canonicalJson(req.body)).digest('hex');
  const reused = (app: ApplicationRecord) => app.owner !== owner || app.requestHash !== requestHash;
  const previous = await applications.byIdempotencyKey(key);
  if (previous) {
    if (reused(previous)) return void sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED');
    return void res.status(200).json(applicationView(previous, ca));
  }
  return { key, requestHash, reused };
}

/** The REST contract of docs/backend-api.md, under /api/sicert/v1. */
export function applicationsApi({ ca, registry, applications, certificates, crl, uploads, faces }: Services): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: '12mb' }));

  api.get('/regions/:id', (req, res) => {
    const region = regionProfile(req.params.id);
    if (!region) return void sendError(res, 404, 'UNKNOWN_REGION');
    res.json(region);
  });

  /**
   * The records check of the wizard's first steps. Signed-in only, like every application endpoint: what it tells
   * (insured here, the kind of insurance, an earlier certificate) is personal, and the portal's real-name login
   * makes every question attributable. The kind of insurance is told only to the person themselves; an earlier
   * certificate (the fee) to whoever files for the holder. An open application of the person signed in, or of the
   * holder when that is them or their organisation, is refused here already, before a key is made.
   */
  api.post('/eligibility', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const body = req.body as Body;
    const region = regionOf(body, res);
    if (!region) return;
    const result = await checkEligibility(registry, body, region, res);
    if (!result.ok) return;
    const self = result.applicant.idNumber === owner;
    const holder = holderOf(text(body.type), result.applicant, result.organization);
    const open = await applications.openFor(self || result.organization ? holder : null, owner);
    if (open) return void refuseOpenApplication(res, open, owner);
    const insurance = result.organization ? '单位社会保险登记' : self ? (await registry.checkPerson(region.id, result.applicant)).insurance : undefined;
    // Someone who has had a certificate applies again as a reissue (补办), for the region's reissue fee.
    res.json({ eligible: true, ...(insurance ? { insurance } : {}), repeatIssue: await certificates.hasHad(holder) });
  });

  api.post('/uploads', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const body = req.body as Body;
    const region = regionOf(body, res);
    if (!region) return;
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(text(body.data));
    } catch {
      return void sendError(res, 422, 'UPLOAD_TYPE');
    }
    if (bytes.length > region.maxUploadBytes) return void sendError(res, 413, 'UPLOAD_TOO_LARGE');
    const type = sniffType(bytes);
    if (!type) return void sendError(res, 415, 'UPLOAD_TYPE');
    const record = await uploads.save(owner, text(body.kind), text(body.fileName) || 'upload', type, bytes);
    res.status(201).json({ uploadId: record.id, mimeType: type, size: record.size });
  });

  api.get('/applications/current', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const app = await applications.current(owner);
    if (!app) return void sendError(res, 404, 'NOT_FOUND');
    res.json(applicationView(app, ca));
  });

  api.get('/applications/:id', async (req, res) => {
    const owner = currentUser(req);
    const app = await applications.get(req.params.id);
    if (!app || app.owner !== owner) return void sendError(res, 404, 'NOT_FOUND');
    res.json(applicationView(app, ca));
  });

  api.post('/applications', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const idempotent = await idempotentRequest(req, res, owner, applications, ca);
    if (!idempotent) return;
    const { key, requestHash, reused } = idempotent;
    const body = req.body as Body;
    const region = regionOf(body, res);
    if (!region) return;
    // Absent means the default; anything else than the two values is refused, never quietly read as the default.
    for (const [field, allowed] of [['type', ['personal', 'organization']], ['medium', ['computer', 'usb-key']]] as const) {
      if (body[field] !== undefined && !(allowed as readonly unknown[]).includes(body[field])) return void sendError(res, 422, 'INVALID_FIELD', field);
    }
    const type = body.type === 'organization' ? 'organization' : 'personal';
    const checked = await checkEligibility(registry, { ...(body.applicant as Body), ...(body.organization as Body), type }, region, res);
    if (!checked.ok) return;
    if (!checked.applicant.mobile) return void sendError(res, 422, 'INVALID_FIELD', 'mobile');
    const onBehalf = type === 'personal' && typeof body.agent === 'object' && body.agent !== null;
    let agent: { name: string; idNumber: string } | undefined;
    if (onBehalf) {
      const a = body.agent as Body;
      const name = validatePersonName(text(a.name));
      const id = validateResidentId(text(a.idNumber), { minimumAge: 18 });
      if (!name.valid) return void sendError(res, 422, 'INVALID_FIELD', 'agent.name');
      if (!id.valid) return void sendError(res, 422, id.code === 'UNDER_AGE' ? 'UNDER_AGE' : 'INVALID_FIELD', 'agent.idNumber');
      // The agent (代办人) is the person signed in: the record must name who really filed the application.
      if (id.value !== owner || (await registry.person(owner))?.name !== name.value) return void sendError(res, 422, 'RECORD_MISMATCH', 'agent.idNumber');
      agent = { name: name.value, idNumber: id.value };
    } else if (checked.applicant.idNumber !== owner) {
      // Applying for someone else needs the 委托代办 materials and the agent's identity; an organisation's handler
      // (经办人) is the person signed in.
      return void sendError(res, 422, 'RECORD_MISMATCH', 'idNumber');
    }
    const materials = Array.isArray(body.materials) ? (body.materials as (Body | null)[]).map((m) => ({ kind: text(m?.kind), uploadId: text(m?.uploadId) })) : [];
    // Every upload named, required or not, must be the applicant's own: an application links the uploads it names.
    const owners = await Promise.all(materials.map(async (m) => (await uploads.get(m.uploadId))?.owner));
    const foreign = materials.find((_, i) => owners[i] !== owner);
    if (foreign) return void sendError(res, 422, 'MATERIAL_MISSING', foreign.kind);
    for (const kind of requiredMaterials(region, type, onBehalf)) {
      if (!materials.some((m) => m.kind === kind)) return void sendError(res, 422, 'MATERIAL_MISSING', kind);
    }
    const faceMethod = faces.verify(text((body.face as Body | undefined)?.token), checked.applicant.idNumber, key);
    if (!faceMethod) return void sendError(res, 422, 'FACE_REQUIRED', 'face');
    let csr: Uint8Array;
    let keyAlgorithm: string;
    let keyId: string;
    try {
      csr = fromBase64(text(body.csr));
      const request = await readCertificationRequest(csr);
      keyAlgorithm = request.keyAlgorithm;
      keyId = await keyIdOf(request.publicKey);
    } catch {
      return void sendError(res, 422, 'INVALID_CSR', 'csr');
    }
    const medium = body.medium === 'usb-key' ? 'usb-key' : 'computer';
    const holder = holderOf(type, checked.applicant, checked.organization);
    const now = new Date();
    const outcome = await applications.createOnce({
      idempotencyKey: key,
      requestHash,
      owner,
      region: region.id,
      type,
      onBehalf,
      kind: 'new', // decided by `price`, with the fee, in the transaction that records the application
      replaces: null,
      details: {
        applicant: { ...checked.applicant, mobile: checked.applicant.mobile },
        ...(checked.organization ? { organization: checked.organization } : {}),
        ...(agent ? { agent } : {}),
        materials,
        face: { method: faceMethod, at: now.toISOString() },
        keyId,
      },
      medium,
      tokenId: text(body.tokenId),
      keyAlgorithm,
      csr,
      fee: 0,
      submittedAt: now.toISOString(),
      expectedBy: isoDate(addWorkingDays(now, region.review.maxWorkingDays, region.holidays)),
    }, { price: async (tx) => issuePrice(region, medium, await certificates.in(tx).hasHad(holder)) });
    if (outcome.refused) return void refuseOpenApplication(res, outcome.open, owner);
    if (!outcome.created && reused(outcome.application)) return void sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED');
    res.status(outcome.created ? 201 : 200).json(applicationView(outcome.application, ca));
  });

  api.post('/applications/:id/withdrawal', async (req, res) => {
    const owner = currentUser(req);
    const app = await applications.get(req.params.id);
    if (!app || app.owner !== owner) return void sendError(res, 404, 'NOT_FOUND');
    // A retry after a lost answer finds it withdrawn already: the same answer, not an error.
    if (app.status !== 'withdrawn' && !(await applications.withdraw(app.id))) return void sendError(res, 409, 'WRONG_STATE', undefined, DETAILS.notWithdrawable);
    res.json(applicationView((await applications.get(app.id))!, ca));
  });

  api.post('/applications/:id/installation', async (req, res) => {
    const owner = currentUser(req);
    const app = await applications.get(req.params.id);
    if (!app || app.owner !== owner) return void sendError(res, 404, 'NOT_FOUND');
    if (app.status === 'installed') {
      res.json(applicationView(app, ca));
      return;
    }
    if (app.status !== 'approved' || !app.certificate) return void sendError(res, 409, 'WRONG_STATE');
    let problem: string | undefined = 'MALFORMED';
    try {
      // The proof must be by the certificate just issued for this application, over this application's challenge,
      // and that certificate must not have been revoked since (a loss report, the hall).
      const result = await verifySignedData(fromBase64(text((req.body as Body).signature)), {
        content: new TextEncoder().encode(installationChallenge(app.id)),
        expectedSigner: { certificate: app.certificate },
        trustedRoots: [ca.certificate],
        isRevoked: (serial) => certificates.isRevoked(serial),
      });
      problem = result.problem;
    } catch {
      problem = 'MALFORMED';
    }
    if (problem === 'REVOKED') return void sendError(res, 409, 'WRONG_STATE', undefined, DETAILS.revoked);
    if (problem) return void sendError(res, 422, 'SIGNATURE_INVALID', 'signature', DETAILS.installProof);
    // A renewal's new certificate is in use: the one it replaces is revoked as superseded, in the same transaction
    // (unless a loss report revoked it first: that reason stands).
    const installed = await applications.install(app.id, `installed on ${app.medium}`, async (tx) => {
      if (app.replaces) await certificates.in(tx).revoke(app.replaces, 'superseded');
    });
    if (!installed && (await applications.get(app.id))?.status !== 'installed') return void sendError(res, 409, 'WRONG_STATE');
    if (installed && app.replaces) await crl.publish();
    res.json(applicationView((await applications.get(app.id))!, ca));
  });

  return api;
}

/** A privacy-preserving stand-in for the ID number in a certificate subject: the holder's serialNumber. */
export function subjectSerial(idNumber: string): string {
  return `SHA256:${createHash('sha256').update(idNumber).digest('hex').slice(0, 32)}`;
}
