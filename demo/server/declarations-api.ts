import express from 'express';
import { fromBase64, verifySignedData, type ExpectedSigner } from '@sicert/pki';
import { sendError, text } from './api-errors.js';
import { currentUser, subjectSerial } from './applications-api.js';
import type { ApplicationsStore } from './applications-store.js';
import type { CertificatesStore } from './certificates-store.js';
import type { DemoCa } from './demo-ca.js';
import type { DeclarationRow, DemoDatabase } from './database.js';
import { newDeclaration, type Declarant } from './declaration.js';
import type { InsuredRegistry } from './insured-registry.js';
import { SIGNATURE_PROBLEM_MESSAGES } from './signature-problems.js';

interface Services {
  ca: DemoCa;
  db: DemoDatabase;
  registry: InsuredRegistry;
  applications: ApplicationsStore;
  certificates: CertificatesStore;
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
  function declarants(owner: string): Declarant[] {
    const person = registry.person(owner);
    if (!person) return [];
    const handler = { name: person.name, idNumber: person.idNumber };
    return [{ kind: 'person', ...handler }, ...applications.organizationsHandledBy(owner).map((o) => ({ kind: 'organization' as const, ...o, handler }))];
  }

  api.get('/declarants', (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    res.json(declarants(owner).map((d) => (d.kind === 'person' ? { kind: d.kind, name: d.name } : { kind: d.kind, name: d.name, creditCode: d.creditCode })));
  });

  api.post('/', (req, res) => {
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const creditCode = text((req.body as { organization?: unknown } | undefined)?.organization);
    const declarant = declarants(owner).find((d) => (creditCode ? d.kind === 'organization' && d.creditCode === creditCode : d.kind === 'person'));
    if (!declarant) return void sendError(res, creditCode ? 403 : 401, creditCode ? 'NOT_DECLARANT' : 'NOT_SIGNED_IN');
    const declaration = newDeclaration(declarant);
    db.insertDeclaration({ ...declaration, owner, organization: declarant.kind === 'organization' ? declarant.creditCode : null });
    res.status(201).json(declaration);
  });

  api.post('/:id/signature', async (req, res) => {
    const receivedAt = new Date();
    const owner = currentUser(req);
    if (!owner) return void sendError(res, 401, 'NOT_SIGNED_IN');
    const row = db.declaration(req.params.id);
    // Someone else's declaration is answered like a missing one: its existence is not theirs to learn.
    if (!row || row.owner !== owner) return void sendError(res, 404, 'NO_DECLARATION');
    if (row.verdict === 'VERIFIED') return void sendError(res, 409, 'ALREADY_SIGNED');
    const signature = (req.body as { signature?: unknown } | undefined)?.signature;
    if (typeof signature !== 'string' || signature.length === 0 || signature.length > 200_000) return void sendError(res, 400, 'INVALID_SIGNATURE', 'signature');
    let cms: Uint8Array;
    try {
      cms = fromBase64(signature);
    } catch {
      return void sendError(res, 400, 'INVALID_SIGNATURE', 'signature');
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
      db.recordRefusal(row.id, result.problem ?? 'REJECTED');
    } else if (!db.recordVerifiedSignature(row.id, signature, signer, receivedAt)) {
      return void sendError(res, 409, 'ALREADY_SIGNED');
    }
    const [refusal, refusalEn] = SIGNATURE_PROBLEM_MESSAGES[result.problem ?? 'MALFORMED'];
    res.status(result.valid ? 200 : 422).json({
      verified: result.valid,
      problem: result.problem,
      message: result.valid ? '签名验证通过，申报已受理。' : `签名验证未通过：${refusal}`,
      messageEn: result.valid ? 'Signature verified; the declaration is accepted.' : `The signature was refused: ${refusalEn}`,
      signer,
      signerSubject: result.signer?.subject,
      signingTime: result.signingTime?.toISOString(),
    });
  });

  return api;
}
