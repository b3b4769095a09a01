import express, { type Response } from 'express';
import {
  certificateFields,
  equalBytes,
  EXPIRING_WITHIN_DAYS,
  fromBase64,
  NAME_ATTRIBUTES,
  nameAttribute,
  parseCertificate,
  readCertificationRequest,
  serialNumberHex,
  verifySignedData,
  type CertificationRequestInfo,
  type NameAttributes,
} from '@sicert/pki';
import { DETAILS, sendError, text, type ErrorDetail } from './api-errors.js';
import { applicationView, currentUser, idempotentRequest } from './applications-api.js';
import type { ApplicationDetails, ApplicationsStore, NewApplication } from './applications-store.js';
import { normalizeSerial, type CertificatesStore, type IssuedCertificate } from './certificates-store.js';
import type { DemoCa } from './demo-ca.js';
import type { InsuredRegistry } from './insured-registry.js';
import { regionProfile } from './region-profiles.js';
import { isoDate } from './working-days.js';

interface Services {
  ca: DemoCa;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
}

type Body = Record<string, unknown>;

/** The subject of a certificate as name attributes: a renewal keeps the holder's identity exactly. */
function subjectOf(der: Uint8Array): NameAttributes {
  const subject = parseCertificate(der).subject;
  const attributes: NameAttributes = {};
  for (const [short, oid] of Object.entries(NAME_ATTRIBUTES)) {
    const value = nameAttribute(subject, oid);
    if (value !== undefined) attributes[short] = value;
  }
  return attributes;
}

/** Why `current` cannot be renewed at `now`, if it cannot: revoked, expired, not yet in its last month, or renewed. */
async function notRenewable(current: IssuedCertificate, applications: ApplicationsStore, now: Date): Promise<ErrorDetail | undefined> {
  const { notAfter } = certificateFields(current.der);
  if (current.revokedAt) return DETAILS.revoked;
  if (now > notAfter) return DETAILS.expired;
  if (notAfter.getTime() - now.getTime() > EXPIRING_WITHIN_DAYS * 86_400_000) return DETAILS.tooEarly;
  if (await applications.renewalOf(current.serial)) return DETAILS.renewed;
  return undefined;
}

/**
 * `POST /renewals` of the backend contract (docs/backend-api.md), under /api/sicert/v1: in its last 30 days, a
 * still-valid certificate signs the CSR of a new key on the same token, and stands in for the face check. The
 * renewal is approved at once with a new certificate for the same subject; installing it supersedes the old one.
 */
export function renewalsApi({ ca, registry, applications, certificates }: Services): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));

  /** The application a renewal of `current` becomes, before its certificate is issued. */
  async function renewalOf(current: IssuedCertificate, body: Body, csr: Uint8Array, request: CertificationRequestInfo, now: Date): Promise<Omit<NewApplication, 'idempotencyKey' | 'requestHash'> | undefined> {
    const original = current.applicationId ? await applications.get(current.applicationId) : undefined;
    const person = await registry.person(current.owner);
    const region = regionProfile(original?.region ?? person?.region ?? '');
    if (!region || (!original && !person)) return undefined;
    const face = { method: `renewal signed with certificate ${current.serial}`, at: now.toISOString() };
    const details: ApplicationDetails = original
      ? { ...original.details, materials: [], face, keyId: undefined } // a renewal's key is a new one: not the original's
      : { applicant: { name: person!.name, idNumber: person!.idNumber, mobile: person!.mobile, cardNumber: person!.cardNumber }, materials: [], face };
    const tokenId = text(body.tokenId);
    return {
      owner: current.owner,
      region: region.id,
      type: original?.type ?? (subjectOf(current.der).organizationIdentifier ? 'organization' : 'personal'),
      onBehalf: false,
      kind: 'renewal',
      replaces: current.serial,
      details,
      // The demo certificate has no application: the agent names certificates on this computer `soft-…`.
      medium: original?.medium ?? (tokenId.startsWith('soft-') ? 'computer' : 'usb-key'),
      tokenId,
      keyAlgorithm: request.keyAlgorithm,
      csr,
      fee: 0, // the same token, no new medium
      submittedAt: now.toISOString(),
      expectedBy: isoDate(now),
    };
  }

  api.post('/renewals', async (req, res: Response) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const idempotent = await idempotentRequest(req, res, owner, applications, ca);
    if (!idempotent) return;
    const { key, requestHash, reused } = idempotent;
    const body = req.body as Body;

    const serial = normalizeSerial(text(body.serialNumber));
    const current = serial ? await certificates.get(serial) : undefined;
    // Someone else's certificate is answered like an unknown one.
    if (!serial || !current || current.owner !== owner) return void sendError(res, 404, 'NOT_FOUND', 'serialNumber');
    const now = new Date();
    const refusal = await notRenewable(current, applications, now);
    if (refusal) return void sendError(res, 409, 'WRONG_STATE', 'serialNumber', refusal);
    if (!text(body.tokenId)) return void sendError(res, 422, 'INVALID_FIELD', 'tokenId');

    let csr: Uint8Array;
    let request: CertificationRequestInfo;
    try {
      csr = fromBase64(text(body.csr));
      request = await readCertificationRequest(csr);
    } catch {
      return void sendError(res, 422, 'INVALID_CSR', 'csr');
    }
    if (equalBytes(request.publicKey, certificateFields(current.der).publicKey)) return void sendError(res, 422, 'INVALID_CSR', 'csr', DETAILS.newKey);

    let problem: string | undefined = 'MALFORMED';
    try {
      // The current certificate, exactly, over these CSR bytes, valid now: the holder's proof. Its revocation was
      // checked above (the early answer) and is checked again inside the transaction that records the renewal
      // (the answer that counts, when a loss report races this request), so `isRevoked` would add nothing here.
      const result = await verifySignedData(fromBase64(text(body.signature)), { content: csr, expectedSigner: { certificate: current.der }, trustedRoots: [ca.certificate], now });
      problem = result.problem;
    } catch {
      problem = 'MALFORMED';
    }
    if (problem) return void sendError(res, 422, 'SIGNATURE_INVALID', 'signature', DETAILS.renewalSignature);

    const input = await renewalOf(current, body, csr, request, now);
    if (!input) return void sendError(res, 422, 'NOT_INSURED', 'serialNumber');
    const region = regionProfile(input.region)!;
    const certificate = await ca.issue(subjectOf(current.der), request.publicKey, region.certificateYears);
    const newSerial = serialNumberHex(parseCertificate(certificate));
    const outcome = await applications.createOnce(
      { ...input, idempotencyKey: key, requestHash },
      {
        approved: {
          certificate,
          serial: newSerial,
          note: `renewed online; replaces ${current.serial}`,
          // A loss report or another renewal that won the race while this one was being signed stops it here.
          guard: async (tx) => !(await certificates.in(tx).isRevoked(current.serial)) && !(await applications.renewalOf(current.serial, tx)),
          alongside: (id, tx) => certificates.in(tx).record({ serial: newSerial, subject: current.subject, der: certificate, holder: current.holder, owner: current.owner, applicationId: id }),
        },
      },
    );
    if (outcome.refused) return void sendError(res, 409, 'WRONG_STATE', 'serialNumber', (await certificates.isRevoked(current.serial)) ? DETAILS.revoked : DETAILS.renewed);
    if (!outcome.created && reused(outcome.application)) return void sendError(res, 409, 'IDEMPOTENCY_KEY_REUSED');
    res.status(outcome.created ? 201 : 200).json(applicationView(outcome.application, ca));
  });

  return api;
}
