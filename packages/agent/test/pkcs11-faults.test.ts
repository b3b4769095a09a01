// USB-Key faults at the real PKCS#11 boundary: the fault shim in front of SoftHSM2 fails chosen calls with chosen
// CKR codes, or delays them, under a real agent (a child process) spoken to over WebSocket. Each fault maps to its
// reason, nothing hangs, sessions are closed and logged out, and the next operation succeeds once it is gone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentClient, AgentError } from '@sicert/protocol';
import { createTestCa } from '@sicert/test-support/test-ca';
import { connect, nodeSocket } from '@sicert/test-support/agent-client';
import { spawnAgent, type AgentProcess } from './support/cli-process.js';
import { buildFaultShim, CKR, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const DATA = toBase64(new TextEncoder().encode('缴费申报'));

describe('PKCS#11 faults through the agent', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let agent: AgentProcess;
  let client: AgentClient;
  let certId: string;

  const sign = (c: AgentClient = client) => c.request('sign.data', { certId, pin: hsm.pin, data: DATA });

  /**
   * Every session the module opened was closed again, and every login was followed by a logout. The hot-plug
   * watcher reads certificates in sessions of its own while a page is connected, so one of its sessions may be open
   * at the moment of asking: it must be closed within a second.
   */
  async function assertSessionsReleased(): Promise<void> {
    const ok = (calls: [string, number][], name: string) => calls.filter(([n, rv]) => n === name && rv === 0).length;
    const deadline = Date.now() + 1000;
    let calls = plan.calls();
    while (ok(calls, 'C_CloseSession') !== ok(calls, 'C_OpenSession') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      calls = plan.calls();
    }
    assert.equal(ok(calls, 'C_CloseSession'), ok(calls, 'C_OpenSession'), `sessions closed: ${JSON.stringify(calls)}`);
    assert.equal(calls.filter(([n]) => n === 'C_Logout').length, ok(calls, 'C_Login'), 'each login logged out');
  }

  before(async () => {
    hsm = createSoftHsm('sicert-faults');
    home = mkdtempSync(join(tmpdir(), 'sicert-faults-'));
    plan = new FaultPlan(home);
    const ca = await createTestCa();
    agent = await spawnAgent({ home, modules: [buildFaultShim()], env: plan.env });
    client = connect(agent.url);
    const tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
    const key = await client.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '赵六' }, fromBase64(key.publicKey));
    certId = (await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: toBase64(certificate) })).certId;
  });

  after(async () => {
    client.close();
    await agent.stop();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  const cases: { call: string; ckr: keyof typeof CKR; reason: string }[] = [
    { call: 'C_Sign', ckr: 'DEVICE_REMOVED', reason: 'TOKEN_REMOVED' },
    { call: 'C_OpenSession', ckr: 'TOKEN_NOT_PRESENT', reason: 'TOKEN_REMOVED' },
    { call: 'C_SignInit', ckr: 'SESSION_HANDLE_INVALID', reason: 'TOKEN_REMOVED' },
    { call: 'C_FindObjectsInit', ckr: 'SESSION_HANDLE_INVALID', reason: 'TOKEN_REMOVED' },
    { call: 'C_FindObjects', ckr: 'DEVICE_REMOVED', reason: 'TOKEN_REMOVED' },
    { call: 'C_Login', ckr: 'PIN_LOCKED', reason: 'PIN_LOCKED' },
    { call: 'C_Sign', ckr: 'DEVICE_ERROR', reason: 'TOKEN_ERROR' },
    { call: 'C_Login', ckr: 'DEVICE_ERROR', reason: 'TOKEN_ERROR' },
  ];
  for (const { call, ckr, reason } of cases) {
    it(`${call} → CKR_${ckr}: ${reason}, sessions released, and the next signature succeeds once the fault is gone`, async () => {
      plan.set(`${call} 0x${CKR[ckr].toString(16)}`);
      await assert.rejects(sign(), (e: unknown) => e instanceof AgentError && e.reason === reason);
      await assertSessionsReleased();
      plan.clear();
      assert.ok((await sign()).signature.length > 0);
      await assertSessionsReleased();
    });
  }

  it('cert.list on a USB-Key that goes away reports TOKEN_REMOVED, then lists again', async () => {
    plan.set(`C_FindObjects ${CKR.DEVICE_REMOVED} count=1`);
    await assert.rejects(client.request('cert.list', undefined), (e: unknown) => e instanceof AgentError && e.reason === 'TOKEN_REMOVED');
    await assertSessionsReleased();
    plan.clear();
    assert.ok((await client.request('cert.list', undefined)).certificates.some((c) => c.id === certId));
  });

  it('a module that cannot list its slots hides its USB-Keys, and token.list still answers with the others', async () => {
    await client.request('token.create', { provider: 'soft', label: '赵六', pin: 'Home2468x' });
    plan.set(`C_GetSlotList 0x${CKR.DEVICE_ERROR.toString(16)}`);
    assert.deepEqual((await client.request('token.list', undefined)).tokens.map((t) => t.provider), ['soft']);
    plan.clear();
    assert.ok((await client.request('token.list', undefined)).tokens.some((t) => t.label === hsm.label));
    assert.ok((await sign()).signature.length > 0);
  });

  it('a USB-Key that stalls: the page gets TIMEOUT instead of hanging, and the agent serves the next request', async () => {
    const impatient = new AgentClient(agent.url, { createSocket: nodeSocket(), reconnect: false, requestTimeoutMs: 500 });
    try {
      plan.set('C_Sign 0 delay_ms=2500');
      await assert.rejects(sign(impatient), (e: unknown) => e instanceof AgentError && e.reason === 'TIMEOUT');
    } finally {
      impatient.close();
    }
    plan.clear();
    assert.ok((await sign()).signature.length > 0);
    await assertSessionsReleased();
  });
});
