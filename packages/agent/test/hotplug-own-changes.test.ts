// Changes the agent makes itself are announced at once, not on the next look at the slots: this agent polls once
// an hour, so a token.changed it sends can only come from the change itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { EventRecorder } from './support/token-events.js';

describe('token.changed for changes made through the agent', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let events: EventRecorder;

  before(async () => {
    hsm = createSoftHsm('sicert-own-changes');
    home = mkdtempSync(join(tmpdir(), 'sicert-own-changes-'));
    ca = await createTestCa();
    agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error'), { pkcs11: { pollIntervalMs: 3_600_000 } });
    client = connect(agent.url);
    events = new EventRecorder(client);
    await client.request('agent.info', undefined);
  });

  after(async () => {
    events.stop();
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  for (const provider of ['pkcs11', 'soft'] as const) {
    it(`cert.install on a ${provider} token announces token.changed for it, without waiting for a poll`, async () => {
      const tokens = (await client.request('token.list', undefined)).tokens;
      const soft = provider === 'soft' ? await client.request('token.create', { provider: 'soft', label: '周九', pin: 'Home2468x' }) : undefined;
      const token = soft ? { id: soft.tokenId } : tokens.find((t) => t.label === hsm.label)!;
      const pin = provider === 'soft' ? 'Home2468x' : hsm.pin;
      const key = await client.request('key.generate', { tokenId: token.id, pin, algorithm: 'ECDSA-P256' });
      const certificate = await ca.issue({ CN: '周九' }, fromBase64(key.publicKey));
      const since = events.mark();
      const { certId } = await client.request('cert.install', { tokenId: token.id, pin, certificate: toBase64(certificate) });
      const changed = await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed');
      assert.equal(changed.method === 'token.changed' && changed.params.token.provider, provider);
      // The page that reloads its certificates on the event finds the new one.
      assert.ok((await client.request('cert.list', { tokenId: token.id })).certificates.some((c) => c.id === certId));
    });
  }
});
