import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { applicationsApi, currentUser } from './applications-api.js';
import { ApplicationsStore } from './applications-store.js';
import { certificatesApi } from './certificates-api.js';
import type { CertificatesStore } from './certificates-store.js';
import { consoleApi } from './console-api.js';
import type { CrlPublisher } from './crl-publisher.js';
import type { DemoCa } from './demo-ca.js';
import type { DemoDatabase } from './database.js';
import { demoSessionApi } from './demo-session.js';
import { FaceTokens } from './face-check.js';
import { hallApi } from './hall-api.js';
import { hallUsbKeyApi } from './hall-usb-key-api.js';
import { InsuredRegistry } from './insured-registry.js';
import { profileApi } from './profile-api.js';
import { UploadsStore } from './uploads-store.js';
import { declarationsApi } from './declarations-api.js';
import { jsonErrorHandler, unknownEndpoint } from './json-errors.js';
import { renewalsApi } from './renewals-api.js';
import { emptyBody, requireOwnHost, requireSameOrigin } from './same-origin.js';

const here = dirname(fileURLToPath(import.meta.url));
/** demo/public, from both demo/server (tsx) and demo/dist (built). */
const PUBLIC_DIR = join(here, '..', 'public');
const ELEMENTS_DIST = join(dirname(createRequire(import.meta.url).resolve('@sicert/elements')));
const PROTOCOL_DIST = dirname(createRequire(import.meta.url).resolve('@sicert/protocol'));

/** What the portal page needs to know about the agent. */
export interface PortalSettings {
  agentUrl: string;
  demoPin: string;
  /** Where uploaded materials are kept. */
  uploadsDir: string;
  /** The portal's own origins (`http://127.0.0.1:5180`, …): the only ones allowed to change state. */
  origins: readonly string[];
}

/** The demo CA and what the portal keeps of it: the database, the certificates it issued, and its CRL. */
export interface PortalServices {
  ca: DemoCa;
  db: DemoDatabase;
  certificates: CertificatesStore;
  crl: CrlPublisher;
  /** The key face-check tokens are signed with, shared by every process of the portal (random when absent). */
  faceSecret?: Uint8Array;
}

/**
 * The sample provincial portal: pages, the elements bundle, the backend contract, the declaration API, the
 * review console, the hall counter and the CRL. Every state-changing request must come from the portal's own
 * origin, and every error is JSON.
 */
export function createPortalApp({ ca, db, certificates, crl, faceSecret }: PortalServices, settings: PortalSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');

  const applications = new ApplicationsStore(db);
  const uploads = new UploadsStore(db, settings.uploadsDir);
  const faces = new FaceTokens(faceSecret);
  const registry = new InsuredRegistry(db);
  app.use(requireOwnHost(settings.origins));
  app.use(requireSameOrigin(settings.origins));
  app.use(emptyBody);
  app.use('/api/sicert/v1', applicationsApi({ ca, registry, applications, certificates, crl, uploads, faces }));
  app.use('/api/sicert/v1', certificatesApi({ db, applications, certificates, crl }));
  app.use('/api/sicert/v1', renewalsApi({ ca, registry, applications, certificates }));
  app.use('/console/api/hall', hallApi({ db, registry, applications, certificates, crl }));
  app.use('/console/api/hall', hallUsbKeyApi({ ca, registry, applications, certificates }));
  app.use('/console/api', consoleApi(ca, certificates, applications, uploads));
  app.use('/api/demo', demoSessionApi(registry, faces));
  app.use('/api/demo', profileApi(registry));
  app.use('/api/declarations', declarationsApi({ ca, db, registry, applications, certificates }));
  app.use(['/api', '/console/api'], unknownEndpoint);

  // The URL every certificate names (CRL distribution point): the current CRL, reissued on every revocation.
  app.get('/crl', async (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/pkix-crl').send(Buffer.from(await crl.current()));
  });

  app.get('/config.json', (req, res) => {
    res.json({ agentUrl: settings.agentUrl, demoPin: settings.demoPin, signedIn: currentUser(req) ?? null });
  });
  app.get('/vendor/sicert.bundle.min.js', (_req, res) => res.sendFile(join(ELEMENTS_DIST, 'sicert.bundle.min.js')));
  app.get('/vendor/sicert.bundle.min.js.map', (_req, res) => res.sendFile(join(ELEMENTS_DIST, 'sicert.bundle.min.js.map')));
  // The protocol's client as plain ES modules (it depends on nothing): the hall page calls the agent itself.
  app.use('/vendor/protocol', express.static(PROTOCOL_DIST));
  app.get('/ca.der', (_req, res) => res.type('application/pkix-cert').send(Buffer.from(ca.certificate)));

  app.use(express.static(PUBLIC_DIR, { extensions: ['html'] }));
  app.use(jsonErrorHandler);
  return app;
}
