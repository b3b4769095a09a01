// A USB-Key pulled out in the middle of a `sign.batch` fails the whole batch with TOKEN_REMOVED, as any request for
// a token that went away does, rather than answering a success whose later items all failed. SoftHSM2 behind the
// fault shim holds one C_Sign, so the token is deleted (softhsm2-util --delete-token) while the batch is under way.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';
import { spawnAgent, type AgentProcess } from './support/cli-process.js';
import { softhsmUtil, until } from './support/token-events.js';

describe('sign.batch when the USB-Key is pulled out', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let agent: AgentProcess;
  let client: AgentClient;

  before(async () => {
    hsm = createSoftHsm('sicert-batch-pulled');
    home = mkdtempSync(join(tmpdir(), 'sicert-batch-pulled-'));
    plan = new FaultPlan(home);
    agent = await spawnAgent({ home, modules: [buildFaultShim()], env: plan.env });
    client = connect(agent.url);
  });

  after(async () => {
    client.close();
    await agent.stop();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('fails the whole batch with TOKEN_REMOVED', async () => {
    const tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
    const key = await client.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    const certificate = await (await createTestCa()).issue({ CN: '拔出 USB-Key' }, fromBase64(key.publicKey));
    const { certId } = await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: toBase64(certificate) });
    // Every signature waits a little, one of them long enough to pull the key out while the batch runs.
    plan.set(`C_Sign 0 delay_ms=1500 count=1\nC_Sign 0 delay_ms=5`);
    const items = Array.from({ length: 400 }, (_, i) => ({ data: toBase64(new TextEncoder().encode(`第 ${i} 项`)) }));
    const batch = client.request('sign.batch', { certId, pin: hsm.pin, items, format: 'raw' });
    await until(() => plan.delaying('C_Sign'), 'a signature is under way');
    await softhsmUtil(hsm.conf, '--delete-token', '--token', hsm.label);
    await assert.rejects(batch, (error: unknown) => error instanceof AgentError && error.reason === 'TOKEN_REMOVED');
    plan.clear();
  });
});
