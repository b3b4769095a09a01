import express from 'express';
import { fromBase64, verifySignedData, type ExpectedSigner } from '@sicert/pki';
import { API_ERRORS, sendError, text, type ApiErrorCode } from './api-errors.js';
import { currentUser, subjectSerial } from './applications-api.js';
import type { ApplicationsStore } from './applications-store.js';
import type { CertificatesStore } from './certificates-store.js';
import type { DemoCa } from './demo-ca.js';
import type { DeclarationRow, DemoDatabase } from './database.js';
import { INSURANCES, newDeclaration, periodOf, type Declarant, type Insurance } from './declaration.js';
import { periodDeclarations } from './declaration-period.js';
import type { InsuredRegistry } from './insured-registry.js';
import { SIGNATURE_PROBLEM_MESSAGES } from './signature-problems.js';

interface Services {
  ca: DemoCa;
  db: DemoDatabase;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
}

/** Most signatures one `POST /signatures` takes (the router's 1 MB body limit holds that many detached CMS). */
export const MAX_SIGNATURES_PER_POST = 100;

/** One declaration's answer to a posted signature: the HTTP status it gets alone, and the body. */
interface Verdict {
  status: number;
  body: Record<string, unknown>;
}

/** A refusal before any verification, as `sendError` words it. */
function refusal(status: number, error: ApiErrorCode, field?: string): Verdict {
  const [message, messageEn] = API_ERRORS[error];
  return { status, body: { error, ...(field ? { field } : {}), message, messageEn } };
}

/** Whose certificate must sign a declaration: the owner's own, or the organisation's they declared for. */
export function declarationSigner(row: Pick<DeclarationRow, 'owner' | 'organization'>): ExpectedSigner {
  return row.organization ? { organizationIdentifier: row.organization } : { serialNumber: subjectSerial(row.owner) };
}

/**
 * The demo's business operation, under /api/declarations: a signed-in person opens a payment declaration for
 * themselves or for an organisation they handle, signs it with <sicert-signer>, and posts the signature. The
 * signature is verified against what the server stored (content and signer), at the time it arrives, once.
 */
export function declarationsApi({ ca, db, registry, applications, certificates }: Services): express.Router {
  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));

  /** Who the signed-in person may declare as. */
  async function declarants(owner: string): Promise<Declarant[]> {
    const person = await registry.person(owner);
    if (!person) return [];
    const handler = { name: person.name, idNumber: person.idNumber };
    return [{ kind: 'person', ...handler }, ...(await applications.organizationsHandledBy(owner)).map((o) => ({ kind: 'organization' as const, ...o, handler }))];
  }

  api.get('/declarants', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    res.json((await declarants(owner)).map((d) => (d.kind === 'person' ? { kind: d.kind, name: d.name } : { kind: d.kind, name: d.name, creditCode: d.creditCode })));
  });

  api.post('/', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const creditCode = text((req.body as { organization?: unknown } | undefined)?.organization);
    const declarant = (await declarants(owner)).find((d) => (creditCode ? d.kind === 'organization' && d.creditCode === creditCode : d.kind === 'person'));
    if (!declarant) return void sendError(res, creditCode ? 403 : 401, creditCode ? 'NOT_DECLARANT' : 'NOT_SIGNED_IN');
    const declaration = newDeclaration(declarant);
    await db.insertDeclaration({ ...declaration, owner, organization: declarant.kind === 'organization' ? declarant.creditCode : null });
    res.status(201).json(declaration);
  });

  /**
   * Verifies a signature of the owner's declaration `id` against what the server stored (content and declarant), at
   * the time it arrived, and records the outcome once: the same for one signature and for each of a batch.
   */
  async function verifyDeclaration(owner: string, id: string, signature: unknown, receivedAt: Date): Promise<Verdict> {
    const row = await db.declaration(id);
    // Someone else's declaration is answered like a missing one: its existence is not theirs to learn.
    if (!row || row.owner !== owner) return refusal(404, 'NO_DECLARATION');
    if (row.verdict === 'VERIFIED') return refusal(409, 'ALREADY_SIGNED');
    if (typeof signature !== 'string' || signature.length === 0 || signature.length > 200_000) return refusal(400, 'INVALID_SIGNATURE', 'signature');
    let cms: Uint8Array;
    try {
      cms = fromBase64(signature);
    } catch {
      return refusal(400, 'INVALID_SIGNATURE', 'signature');
    }
    // Verified against the payload and the declarant the server stored, never against anything the page sends.
    const result = await verifySignedData(cms, {
      content: new TextEncoder().encode(row.payload),
      expectedSigner: declarationSigner(row),
      trustedRoots: [ca.certificate],
      now: receivedAt,
      // Judged at receipt: a certificate reported lost after it signed is refused now.
      isRevoked: (serial) => certificates.isRevoked(serial),
    });
    const signer = result.signer?.subjectCommonName ?? null;
    if (!result.valid) {
      await db.recordRefusal(row.id, result.problem ?? 'REJECTED');
    } else if (!(await db.recordVerifiedSignature(row.id, signature, signer, receivedAt))) {
      return refusal(409, 'ALREADY_SIGNED');
    }
    const [refused, refusedEn] = SIGNATURE_PROBLEM_MESSAGES[result.problem ?? 'MALFORMED'];
    return {
      status: result.valid ? 200 : 422,
      body: {
        verified: result.valid,
        problem: result.problem,
        message: result.valid ? '签名验证通过，申报已受理。' : `签名验证未通过：${refused}`,
        messageEn: result.valid ? 'Signature verified; the declaration is accepted.' : `The signature was refused. ${refusedEn}`,
        signer,
        signerSubject: result.signer?.subject,
        signingTime: result.signingTime?.toISOString(),
      },
    };
  }

  api.post('/:id/signature', async (req, res) => {
    const receivedAt = new Date();
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const { status, body } = await verifyDeclaration(owner, req.params.id, (req.body as { signature?: unknown } | undefined)?.signature, receivedAt);
    res.status(status).json(body);
  });

  /**
   * An organisation's declarations of this period, one per insurance, for its handler to sign at once (the
   * signer's batch mode): those still unsigned are offered again rather than made twice, and a period whose
   * insurances are all declared is said to be so.
   */
  api.post('/batch', async (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const creditCode = text((req.body as { organization?: unknown } | undefined)?.organization);
    const declarant = (await declarants(owner)).find((d) => d.kind === 'organization' && d.creditCode === creditCode);
    if (!declarant || declarant.kind !== 'organization') return void sendError(res, 403, 'NOT_DECLARANT');
    const now = new Date();
    // Looked up and made in one transaction: two pages opened at once still make one set.
    const { offered, made } = await db.sql.transaction(async (tx) => {
      const { pending, missing } = periodDeclarations(await db.organizationDeclarations(declarant.creditCode, tx), owner, periodOf(now));
      const fresh = new Map(missing.map((insurance) => [insurance, newDeclaration(declarant, now, insurance)]));
      for (const declaration of fresh.values()) await db.insertDeclaration({ ...declaration, owner, organization: declarant.creditCode }, tx);
      return { offered: (Object.keys(INSURANCES) as Insurance[]).flatMap((i) => pending.get(i) ?? fresh.get(i) ?? []), made: fresh.size };
    });
    if (offered.length === 0) return void sendError(res, 409, 'PERIOD_DECLARED');
    res.status(made ? 201 : 200).json(offered);
  });

  /**
   * Signatures of several declarations at once (what the batch mode hands back): each verified and recorded as if
   * posted alone, its verdict in its place; one refused never touches another.
   */
  api.post('/signatures', async (req, res) => {
    const receivedAt = new Date();
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const posted = (req.body as { signatures?: unknown } | undefined)?.signatures;
    if (!Array.isArray(posted) || posted.length === 0 || posted.length > MAX_SIGNATURES_PER_POST) return void sendError(res, 400, 'INVALID_SIGNATURE', 'signatures');
    const results = [];
    for (const entry of posted as unknown[]) {
      const { id, signature } = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; signature?: unknown };
      results.push({ id: text(id), ...(await verifyDeclaration(owner, text(id), signature, receivedAt)).body });
    }
    res.json({ results });
  });

  return api;
}
