import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger, defaultConfig, startAgent, type LogLevel, type RunningAgent } from '@sicert/agent';
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
  const agent = await startAgent(
    {
      ...defaultConfig(),
      port: options.agentPort,
      home: join(options.dataDir, 'agent'),
      modules: options.modules ?? [],
      hallMode: options.hallMode ?? false,
      allowOrigins: origins,
      logLevel: options.logLevel ?? 'warn',
    },
    logger,
  );
  const ca = await DemoCa.open(join(options.dataDir, 'ca'), `${portalUrl}/crl`);
  const db = new DemoDatabase(join(options.dataDir, 'portal.sqlite'));
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
  const app = createPortalApp({ ca, db, certificates, crl }, { agentUrl: agent.url, demoPin: DEMO_PIN, uploadsDir: join(options.dataDir, 'uploads'), origins });
  portalServer.on('request', app);
  return {
    portalUrl,
    agent,
    ca,
    db,
    certificates,
    crl,
    async close() {
      portalServer.closeAllConnections();
      await new Promise<void>((resolve) => portalServer.close(() => resolve()));
      await agent.close();
      db.close();
    },
  };
}
