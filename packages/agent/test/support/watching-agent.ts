// Run by hotplug-exit.test.ts as a process of its own: an agent whose slots are being watched for a connected
// page is closed, and then nothing may keep the process alive. It never calls process.exit: it must end by itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm } from '@sicert/test-support/softhsm';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider } from '../../src/index.js';

const hsm = createSoftHsm('sicert-exit');
const home = mkdtempSync(join(tmpdir(), 'sicert-exit-'));
const agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error'));
const client = connect(agent.url);
await client.request('token.list', undefined);
const pkcs11 = agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider;
process.stdout.write(`watching: ${pkcs11.watching}\n`);
// The agent closes while the page is still connected: it must stop watching by itself.
await agent.close();
process.stdout.write(`closed, watching: ${pkcs11.watching}\n`);
client.close();
hsm.dispose();
rmSync(home, { recursive: true, force: true });
