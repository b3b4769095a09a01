// A USB-Key pulled out while an operation runs on it and another waits for it: both answer TOKEN_REMOVED at once
// (no hang, no misleading KEY_NOT_FOUND), the pages hear token.removed, and the other USB-Key keeps working. The
// agent runs in a child process in front of the fault shim, which holds C_Login for a while: the token is deleted
// (softhsm2-util --delete-token) during that hold, as a key is pulled mid-operation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { spawnAgent, type AgentProcess } from './support/cli-process.js';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { EventRecorder, softhsmUtil, until } from './support/token-events.js';

const PIN = 'Pull2468x';
const DATA = toBase64(new TextEncoder().encode('待遇申领'));

describe('a USB-Key removed during an operation', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let ca: TestCa;
  let agent: AgentProcess;
  let client: AgentClient;
  let events: EventRecorder;

  /** Makes a token with a key and certificate through the agent; returns its id and the certificate id. */
  async function plugIn(label: string): Promise<{ tokenId: string; certId: string }> {
    const since = events.mark();
    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', label, '--pin', PIN, '--so-pin', 'So24680x');
    const added = await events.waitFor((e) => e.method === 'token.added' && e.params.token.label === label, since, `token.added of ${label}`);
    const tokenId = added.method === 'token.added' ? added.params.token.id : '';
    const key = await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '吴十' }, fromBase64(key.publicKey));
    return { tokenId, certId: (await client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(certificate) })).certId };
  }

  before(async () => {
    hsm = createSoftHsm('sicert-stays');
    home = mkdtempSync(join(tmpdir(), 'sicert-removal-'));
    plan = new FaultPlan(home);
    ca = await createTestCa();
    agent = await spawnAgent({ home, modules: [buildFaultShim()], env: plan.env });
    client = connect(agent.url);
    events = new EventRecorder(client);
    await client.request('agent.info', undefined);
  });

  after(async () => {
    events.stop();
    client.close();
    await agent.stop();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('the running and the waiting operation both answer TOKEN_REMOVED, and token.removed follows', async () => {
    const { tokenId, certId } = await plugIn('pulled-out');
    // Long enough for softhsm2-util to delete the token while C_Login is held, on a busy machine too.
    plan.set('C_Login 0 delay_ms=2500 count=1');
    const running = client.request('sign.data', { certId, pin: PIN, data: DATA });
    await until(() => plan.delaying('C_Login'), 'the shim holds C_Login');
    const waiting = client.request('sign.data', { certId, pin: PIN, data: DATA });
    const since = events.mark();
    await softhsmUtil(hsm.conf, '--delete-token', '--token', 'pulled-out');
    const outcomes = await Promise.allSettled([running, waiting]);
    assert.deepEqual(
      outcomes.map((o) => (o.status === 'rejected' && o.reason instanceof AgentError ? o.reason.reason : o.status)),
      ['TOKEN_REMOVED', 'TOKEN_REMOVED'],
    );
    await events.waitFor((e) => e.method === 'token.removed' && e.params.tokenId === tokenId, since, 'token.removed');
    plan.clear();
  });

  it('the other USB-Key keeps signing, and a key plugged in again is found', async () => {
    const stays = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!;
    const key = await client.request('key.generate', { tokenId: stays.id, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '郑十一' }, fromBase64(key.publicKey));
    const { certId } = await client.request('cert.install', { tokenId: stays.id, pin: hsm.pin, certificate: toBase64(certificate) });
    assert.ok((await client.request('sign.data', { certId, pin: hsm.pin, data: DATA })).signature.length > 0);
    const again = await plugIn('plugged-again');
    assert.ok((await client.request('sign.data', { certId: again.certId, pin: PIN, data: DATA })).signature.length > 0);
  });
});
