import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger, defaultConfig, startAgent, watchAllowlist, type LogLevel, type PartialConfig, type RunningAgent } from '@sicert/agent';
import { createPortalApp } from './app.js';
import { CertificatesStore } from './certificates-store.js';
import { CrlPublisher } from './crl-publisher.js';
import { DemoCa } from './demo-ca.js';
import { DemoDatabase } from './database.js';
import { DEMO_PIN, provisionDemoCertificate } from './provision.js';
import { AgentError, Reason } from '@sicert/protocol';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Where the CA, the database and the agent's home live. */
  dataDir: string;
  /** Portal port on 127.0.0.1; 0 picks one. */
  portalPort: number;
  /** Agent port; 0 picks one. */
  agentPort: number;
  /** PKCS#11 modules for the agent (a USB-Key). */
  modules?: string[];
  /** Start the agent in hall mode (`token.init` for the hall counter's on-site USB-Key); default off. */
  hallMode?: boolean;
  logLevel?: LogLevel;
  /** Put the demo certificates (张三's, and 陈明's that expires in 20 days) on this computer at first start (default true). */
  provisionDemoCertificate?: boolean;
  /** Further agent settings (from the agent's config file and `SICERT_*`); the options above win over them. */
  agentSettings?: PartialConfig;
  /**
   * Origins allowed beside the portal's own, e.g. an integrator's page: `SICERT_ALLOW_ORIGINS` and the agent config
   * file's `allowOrigins`. Asked again whenever `configFile` changes (`sicert-agent allow`), with no restart.
   */
  extraOrigins?: () => string[];
  /** The agent config file to follow (see `extraOrigins`). */
  configFile?: string;
  /**
   * A PostgreSQL connection URL (`postgres://user:password@host:5432/db`): the portal's data goes there, and any
   * number of demo servers can share it. Without it, a SQLite file in `dataDir` (the embedded default).
   */
  databaseUrl?: string;
}

/** The running demo: the agent and the portal. */
export interface RunningDemo {
  portalUrl: string;
  agent: RunningAgent;
  ca: DemoCa;
  db: DemoDatabase;
  /** The certificates the demo CA issued (tests record their own here, as the approval does). */
  certificates: CertificatesStore;
  /** The CA's CRL, served at `${portalUrl}/crl`. */
  crl: CrlPublisher;
  close(): Promise<void>;
}

/** Starts the agent (software token, plus any modules) and the sample portal, and provisions the demo certificates. */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const logger = createLogger(options.logLevel ?? 'warn');
  // The portal's port must be known before the agent starts: it is the origin the agent allows.
  const portalServer = createServer();
  await new Promise<void>((resolve, reject) => {
    portalServer.once('error', reject);
    portalServer.listen(options.portalPort, '127.0.0.1', resolve);
  });
  const portalPort = (portalServer.address() as AddressInfo).port;
  const portalUrl = `http://127.0.0.1:${portalPort}`;
  const origins = [portalUrl, `http://localhost:${portalPort}`];
  const allowed = () => [...origins, ...(options.extraOrigins?.() ?? [])];
  const agent = await startAgent(
    {
      ...defaultConfig(),
      ...options.agentSettings,
      port: options.agentPort,
      home: join(options.dataDir, 'agent'),
      modules: options.modules ?? options.agentSettings?.modules ?? [],
      // The hall counter's on-site USB-Key needs an agent in hall mode: off unless asked for, as on a citizen's computer.
      hallMode: options.hallMode ?? options.agentSettings?.hallMode ?? false,
      allowOrigins: allowed(),
      logLevel: options.logLevel ?? 'warn',
    },
    logger,
  ).catch(async (error: unknown) => {
    await new Promise<void>((resolve) => portalServer.close(() => resolve()));
    throw error;
  });
  const stopWatching = options.configFile ? watchAllowlist(agent, options.configFile, allowed, logger) : () => undefined;
  const ca = await DemoCa.open(join(options.dataDir, 'ca'), `${portalUrl}/crl`);
  const db = await DemoDatabase.open(options.databaseUrl ? { url: options.databaseUrl } : { path: join(options.dataDir, 'portal.sqlite') }).catch(async (error: unknown) => {
    stopWatching();
    await agent.close();
    await new Promise<void>((resolve) => portalServer.close(() => resolve()));
    throw error;
  });
  const certificates = new CertificatesStore(db);
  const crl = new CrlPublisher(ca, db, certificates);
  if (agent.softToken && options.provisionDemoCertificate !== false) {
    try {
      await provisionDemoCertificate(agent.softToken, ca, certificates);
    } catch (error) {
      if (!(error instanceof AgentError && error.reason === Reason.TOKEN_DAMAGED)) throw error;
      // The agent has logged which file is damaged and what to do; the portal and USB-Keys still work.
      console.warn('演示证书未写入：本机证书文件已损坏（见上方日志），门户照常启动。 / The demo certificate was not provisioned: the software token file is damaged (see the log above); the portal starts anyway.');
    }
  }
  const faceSecret = await db.sharedSecret('face-tokens');
  const app = createPortalApp({ ca, db, certificates, crl, faceSecret }, { agentUrl: agent.url, demoPin: DEMO_PIN, uploadsDir: join(options.dataDir, 'uploads'), origins });
  portalServer.on('request', app);
  return {
    portalUrl,
    agent,
    ca,
    db,
    certificates,
    crl,
    async close() {
      stopWatching();
      portalServer.closeAllConnections();
      await new Promise<void>((resolve) => portalServer.close(() => resolve()));
      await agent.close();
      await db.close();
    },
  };
}
