// An agent in this process on a fresh SoftHSM2 USB-Key and a software token, each holding an ECDSA P-256 and an
// RSA-2048 key with a certificate from a test CA: what the signing and PIN tests start from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentClient } from '@sicert/protocol';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { provisionPkcs11, provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { createLogger, defaultConfig, startAgent, type AgentConfig, type AgentParts, type Logger, type Pkcs11Provider, type RunningAgent } from '../../src/index.js';

export interface ProvisionedAgent {
  hsm: SoftHsm;
  home: string;
  ca: TestCa;
  agent: RunningAgent;
  client: AgentClient;
  /** Certificate ids by provider and algorithm. */
  certs: Record<'pkcs11' | 'soft', ProvisionedCerts>;
  /** The user PIN of each provider's token. */
  pins: Record<'pkcs11' | 'soft', string>;
  /** Closes the client and the agent and removes the token and the home directory. */
  close(): Promise<void>;
}

export interface ProvisionedAgentOptions {
  /** The software token's PIN. */
  softPin: string;
  /** SoftHSM2 token label (default: createSoftHsm's). */
  label?: string;
  /** Prefix of the temporary home directory. */
  prefix?: string;
  /** Default: errors only, to nowhere. */
  logger?: Logger;
  config?: Partial<AgentConfig>;
  parts?: AgentParts;
}

export async function startProvisionedAgent(options: ProvisionedAgentOptions): Promise<ProvisionedAgent> {
  const hsm = options.label === undefined ? createSoftHsm() : createSoftHsm(options.label);
  const home = mkdtempSync(join(tmpdir(), options.prefix ?? 'sicert-agent-'));
  const ca = await createTestCa();
  const agent = await startAgent(
    { ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN], ...options.config },
    options.logger ?? createLogger('error', () => undefined),
    options.parts,
  );
  const certs = {
    pkcs11: await provisionPkcs11(agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider, hsm.label, hsm.pin, ca),
    soft: await provisionSoft(agent.softToken!, options.softPin, ca),
  };
  const client = connect(agent.url);
  return {
    hsm,
    home,
    ca,
    agent,
    client,
    certs,
    pins: { pkcs11: hsm.pin, soft: options.softPin },
    close: async () => {
      client.close();
      await agent.close();
      hsm.dispose();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
