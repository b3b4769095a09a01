// USB-Key faults at the real PKCS#11 boundary: the fault shim in front of SoftHSM2 fails chosen calls with chosen
// CKR codes, or delays them, under a real agent (a child process) spoken to over WebSocket. Each fault maps to its
// reason, nothing hangs, the session that saw the fault is closed, nobody stays logged in, the token keeps no more
// sessions open than its pool holds, and the next operation succeeds once the fault is gone.
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
import { MAX_SESSIONS } from '../src/providers/pkcs11/pkcs11-session-pool.js';

const DATA = toBase64(new TextEncoder().encode('缴费申报'));

describe('PKCS#11 faults through the agent', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let agent: AgentProcess;
  let client: AgentClient;
  let certId: string;

  const sign = (c: AgentClient = client) => c.request('sign.data', { certId, pin: hsm.pin, data: DATA });
  const ok = (calls: [string, number][], name: string) => calls.filter(([n, rv]) => n === name && rv === 0).length;
  /** The calls of the plans before the current one (each plan starts its trace afresh). */
  const history: [string, number][] = [];

  /** Replaces the plan, keeping the calls of the trace it ends. */
  function setPlan(...rules: string[]): void {
    history.push(...plan.calls());
    plan.set(...rules);
  }

  /** Sessions open now: opened minus closed since the module was last finalised (C_Finalize closes them all). */
  function openSessions(): number {
    const calls = [...history, ...plan.calls()];
    let from = 0;
    calls.forEach(([n, rv], i) => {
      if (n === 'C_Finalize' && rv === 0) from = i + 1;
    });
    const since = calls.slice(from);
    return ok(since, 'C_OpenSession') - ok(since, 'C_CloseSession');
  }

  /**
   * Nobody is logged in (every login was followed by a logout), and the sessions still open are no more than the
   * token's pool keeps between operations; the hot-plug watcher reads certificates in pooled sessions while a page is
   * connected, so the count is compared once it settles (within a second). When `faulted` names a call that failed
   * in a session, that session was closed after it.
   */
  async function assertSessionsReleased(faulted?: string): Promise<void> {
    const deadline = Date.now() + 1000;
    while (openSessions() > MAX_SESSIONS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const calls = plan.calls();
    assert.ok(openSessions() >= 0 && openSessions() <= MAX_SESSIONS, `sessions left open: ${openSessions()} (${JSON.stringify(calls)})`);
    assert.equal(calls.filter(([n]) => n === 'C_Logout').length, ok(calls, 'C_Login'), 'each login logged out');
    if (faulted !== undefined) {
      const at = calls.findIndex(([n, rv]) => n === faulted && rv !== 0);
      assert.ok(at >= 0, `${faulted} failed`);
      assert.ok(calls.slice(at).some(([n, rv]) => n === 'C_CloseSession' && rv === 0), `the session of the failed ${faulted} was closed: ${JSON.stringify(calls)}`);
    }
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

  // `also` adds rules the case needs: the agent keeps a session open between operations, so C_OpenSession is only
  // reached once that session is found dead (a key pulled out between two operations).
  const cases: { call: string; ckr: keyof typeof CKR; reason: string; also?: string; inSession: boolean }[] = [
    { call: 'C_Sign', ckr: 'DEVICE_REMOVED', reason: 'TOKEN_REMOVED', inSession: true },
    { call: 'C_OpenSession', ckr: 'TOKEN_NOT_PRESENT', reason: 'TOKEN_REMOVED', also: `C_GetSessionInfo 0x${CKR.DEVICE_REMOVED.toString(16)}`, inSession: false },
    { call: 'C_SignInit', ckr: 'SESSION_HANDLE_INVALID', reason: 'TOKEN_REMOVED', inSession: true },
    { call: 'C_FindObjectsInit', ckr: 'SESSION_HANDLE_INVALID', reason: 'TOKEN_REMOVED', inSession: true },
    { call: 'C_FindObjects', ckr: 'DEVICE_REMOVED', reason: 'TOKEN_REMOVED', inSession: true },
    { call: 'C_Login', ckr: 'PIN_LOCKED', reason: 'PIN_LOCKED', inSession: true },
    { call: 'C_Sign', ckr: 'DEVICE_ERROR', reason: 'TOKEN_ERROR', inSession: true },
    { call: 'C_Login', ckr: 'DEVICE_ERROR', reason: 'TOKEN_ERROR', inSession: true },
  ];
  for (const { call, ckr, reason, also, inSession } of cases) {
    it(`${call} → CKR_${ckr}: ${reason}, sessions released, and the next signature succeeds once the fault is gone`, async () => {
      setPlan(`${call} 0x${CKR[ckr].toString(16)}`, ...(also ? [also] : []));
      await assert.rejects(sign(), (e: unknown) => e instanceof AgentError && e.reason === reason);
      await assertSessionsReleased(inSession ? call : undefined);
      plan.clear();
      assert.ok((await sign()).signature.length > 0);
      await assertSessionsReleased();
    });
  }

  it('a kept session that died between operations (the USB-Key was reset) is replaced, and the signature succeeds', async () => {
    setPlan(`C_GetSessionInfo 0x${CKR.SESSION_HANDLE_INVALID.toString(16)} count=1`);
    assert.ok((await sign()).signature.length > 0);
    const calls = plan.calls();
    assert.deepEqual(calls.filter(([n]) => n === 'C_GetSessionInfo')[0], ['C_GetSessionInfo', CKR.SESSION_HANDLE_INVALID], 'the kept session was checked');
    assert.ok(ok(calls, 'C_OpenSession') >= 1, 'a new session was opened in its place');
    await assertSessionsReleased();
  });

  it('cert.list on a USB-Key that goes away reports TOKEN_REMOVED, then lists again', async () => {
    setPlan(`C_FindObjects ${CKR.DEVICE_REMOVED} count=1`);
    await assert.rejects(client.request('cert.list', undefined), (e: unknown) => e instanceof AgentError && e.reason === 'TOKEN_REMOVED');
    await assertSessionsReleased();
    plan.clear();
    assert.ok((await client.request('cert.list', undefined)).certificates.some((c) => c.id === certId));
  });

  it('a module that cannot list its slots hides its USB-Keys, and token.list still answers with the others', async () => {
    await client.request('token.create', { provider: 'soft', label: '赵六', pin: 'Home2468x' });
    setPlan(`C_GetSlotList 0x${CKR.DEVICE_ERROR.toString(16)}`);
    assert.deepEqual((await client.request('token.list', undefined)).tokens.map((t) => t.provider), ['soft']);
    plan.clear();
    assert.ok((await client.request('token.list', undefined)).tokens.some((t) => t.label === hsm.label));
    assert.ok((await sign()).signature.length > 0);
  });

  it('a USB-Key that stalls: the page gets TIMEOUT instead of hanging, and the agent serves the next request', async () => {
    const impatient = new AgentClient(agent.url, { createSocket: nodeSocket(), reconnect: false, requestTimeoutMs: 500 });
    try {
      setPlan('C_Sign 0 delay_ms=2500');
      await assert.rejects(sign(impatient), (e: unknown) => e instanceof AgentError && e.reason === 'TIMEOUT');
    } finally {
      impatient.close();
    }
    plan.clear();
    assert.ok((await sign()).signature.length > 0);
    await assertSessionsReleased();
  });
});
