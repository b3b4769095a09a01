import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { fromBase64, verifySignedData } from '@sicert/pki';
import { applicationsApi, currentUser } from './applications-api.js';
import { ApplicationsStore } from './applications-store.js';
import { consoleApi } from './console-api.js';
import type { DemoCa } from './demo-ca.js';
import type { DemoDatabase } from './database.js';
import { demoSessionApi } from './demo-session.js';
import { FaceTokens } from './face-check.js';
import { InsuredRegistry } from './insured-registry.js';
import { UploadsStore } from './uploads-store.js';
import { newDeclaration } from './declaration.js';

const here = dirname(fileURLToPath(import.meta.url));
/** demo/public, from both demo/server (tsx) and demo/dist (built). */
const PUBLIC_DIR = join(here, '..', 'public');
const ELEMENTS_DIST = join(dirname(createRequire(import.meta.url).resolve('@sicert/elements')));

/** What the portal page needs to know about the agent. */
export interface PortalSettings {
  agentUrl: string;
  demoPin: string;
  /** Where uploaded materials are kept. */
  uploadsDir: string;
}

/** The sample provincial portal: pages, the elements bundle, and the declaration API. */
export function createPortalApp(ca: DemoCa, db: DemoDatabase, settings: PortalSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');

  const applications = new ApplicationsStore(db);
  const uploads = new UploadsStore(db, settings.uploadsDir);
  const faces = new FaceTokens();
  const registry = new InsuredRegistry(db);
  app.use('/api/sicert/v1', applicationsApi({ ca, registry, applications, uploads, faces }));
  app.use('/console/api', consoleApi(ca, db, applications, uploads));
  app.use('/api/demo', demoSessionApi(registry, faces));

  app.get('/config.json', (req, res) => {
    res.json({ agentUrl: settings.agentUrl, demoPin: settings.demoPin, signedIn: currentUser(req) ?? null });
  });
  app.get('/vendor/sicert.bundle.min.js', (_req, res) => res.sendFile(join(ELEMENTS_DIST, 'sicert.bundle.min.js')));
  app.get('/vendor/sicert.bundle.min.js.map', (_req, res) => res.sendFile(join(ELEMENTS_DIST, 'sicert.bundle.min.js.map')));
  app.get('/ca.der', (_req, res) => res.type('application/pkix-cert').send(Buffer.from(ca.certificate)));

  app.post('/api/declarations', (_req, res) => {
    const declaration = newDeclaration();
    db.insertDeclaration(declaration);
    res.status(201).json(declaration);
  });

  app.post('/api/declarations/:id/signature', express.json({ limit: '1mb' }), async (req, res) => {
    const row = db.declaration(req.params.id);
    if (!row) {
      res.status(404).json({ error: 'NOT_FOUND', message: '申报单不存在 / no such declaration' });
      return;
    }
    const signature = (req.body as { signature?: unknown }).signature;
    if (typeof signature !== 'string' || signature.length === 0 || signature.length > 200_000) {
      res.status(400).json({ error: 'INVALID_SIGNATURE', message: '签名缺失或格式错误 / missing or malformed signature' });
      return;
    }
    let cms: Uint8Array;
    try {
      cms = fromBase64(signature);
    } catch {
      res.status(400).json({ error: 'INVALID_SIGNATURE', message: '签名不是有效的 base64 / not base64' });
      return;
    }
    // Verified against the payload the server issued, never against anything the page sends back.
    const result = await verifySignedData(cms, {
      content: new TextEncoder().encode(row.payload),
      trustedRoots: [ca.certificate],
      isRevoked: (serial) => db.isRevoked(serial),
    });
    const signer = result.signer?.subjectCommonName ?? null;
    db.recordSignature(row.id, signature, result.valid ? 'VERIFIED' : (result.problem ?? 'REJECTED'), signer);
    res.status(result.valid ? 200 : 422).json({
      verified: result.valid,
      problem: result.problem,
      message: result.valid ? '签名验证通过，申报已受理。' : `签名验证未通过：${result.problem ?? ''}`,
      signer,
      signerSubject: result.signer?.subject,
      signingTime: result.signingTime?.toISOString(),
    });
  });

  app.use(express.static(PUBLIC_DIR, { extensions: ['html'] }));
  return app;
}
