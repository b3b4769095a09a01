// Sessions a USB-Key keeps open between operations, in process: the provider over the fault shim (for its trace of
// PKCS#11 calls) in front of a real SoftHSM2. An operation reuses the kept session and logs in and out itself; a
// batch signs in several; sessions that died behind the provider's back, with a re-initialisation of the module or
// with their token are never used again and never outlive their token; a failed logout ends every session.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import pkcs11js from 'pkcs11js';
import { sha256 } from '@sicert/pki';
import { AgentError } from '@sicert/protocol';
import { buildFaultShim, CKR, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm } from '@sicert/test-support/softhsm';
import { Pkcs11Provider } from '../src/index.js';
import { MAX_SESSIONS } from '../src/providers/pkcs11/pkcs11-session-pool.js';
import { softhsmUtil } from './support/token-events.js';

type Calls = [string, number][];
const count = (calls: Calls, name: string, rv = 0) => calls.filter(([n, r]) => n === name && r === rv).length;

describe('sessions kept open per USB-Key', () => {
  let hsm: SoftHsm;
  let dir: string;
  let plan: FaultPlan;
  let provider: Pkcs11Provider;
  /** SoftHSM2 loaded a second time in this process, as another part of the program: it shares the module's sessions. */
  let direct: pkcs11js.PKCS11;
  let key: { tokenId: string; keyId: string };
  let digest: Uint8Array;

  const sign = (ref = key) => provider.withKey(ref, hsm.pin, ({ signer }) => signer.signDigest(digest));

  before(async () => {
    hsm = createSoftHsm('sicert-pool');
    dir = mkdtempSync(join(tmpdir(), 'sicert-pool-'));
    plan = new FaultPlan(dir);
    Object.assign(process.env, plan.env);
    provider = new Pkcs11Provider([buildFaultShim()]);
    const token = (await provider.listTokens()).find((t) => t.label === hsm.label)!;
    key = { tokenId: token.id, keyId: (await provider.generateKey(token.id, hsm.pin, 'ECDSA-P256')).keyId };
    digest = await sha256(new TextEncoder().encode('失业保险金申领'));
    direct = new pkcs11js.PKCS11();
    direct.load(SOFTHSM_MODULE);
  });

  beforeEach(async () => {
    await sign();
    plan.set();
  });

  after(async () => {
    await provider.close();
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an operation takes the session the last one kept: ten signatures open none, and each logs in and out', async () => {
    for (let i = 0; i < 10; i++) assert.ok((await sign()).length > 0);
    const calls = plan.calls();
    assert.equal(count(calls, 'C_OpenSession'), 0, 'no session opened');
    assert.equal(count(calls, 'C_CloseSession'), 0, 'none closed');
    assert.equal(count(calls, 'C_Login'), 10);
    assert.equal(count(calls, 'C_Logout'), 10);
  });

  it(`a batch signs in several sessions at once (at most ${MAX_SESSIONS}), which are kept for the next operation`, async () => {
    const signatures = await provider.withKey(key, hsm.pin, ({ signer }) => Promise.all(Array.from({ length: 60 }, () => signer.signDigest(digest))));
    assert.equal(signatures.length, 60);
    const opened = count(plan.calls(), 'C_OpenSession');
    assert.ok(opened >= 1 && opened <= MAX_SESSIONS - 1, `${opened} more sessions opened`);
    assert.equal(count(plan.calls(), 'C_Login'), 1, 'one login for the whole batch');
    plan.set();
    await provider.withKey(key, hsm.pin, ({ signer }) => Promise.all(Array.from({ length: 60 }, () => signer.signDigest(digest))));
    assert.equal(count(plan.calls(), 'C_OpenSession'), 0, 'the second batch finds them open');
  });

  // The first signatures of an operation go through the event loop's way; once the token proved fast, chunks go to
  // a signing thread: the 41st call fails in one of those.
  for (const after of [0, 40]) {
    it(`a signature of a batch that the token fails (in C_SignInit or C_Sign, ${after ? 'in a signing thread' : 'the first'}) fails alone, and the batch\u2019s sessions are closed after`, async () => {
      for (const call of ['C_SignInit', 'C_Sign']) {
        plan.set(`${call} 0x${CKR.DEVICE_ERROR.toString(16)} count=1 after=${after}`);
        const outcomes = await provider.withKey(key, hsm.pin, ({ signer }) => Promise.allSettled(Array.from({ length: 200 }, () => signer.signDigest(digest))));
        const failed = outcomes.filter((o) => o.status === 'rejected');
        assert.equal(failed.length, 1, `${call}: one signature failed`);
        assert.ok(failed[0]!.reason instanceof AgentError && failed[0]!.reason.reason === 'TOKEN_ERROR', String(failed[0]!.reason));
        assert.equal(plan.calls().filter(([n, rv]) => n === call && rv !== 0).length, 1);
        const calls = plan.calls();
        assert.ok(count(calls, 'C_CloseSession') >= count(calls, 'C_OpenSession') + 1, `${call}: the batch's sessions closed: ${JSON.stringify(calls)}`);
        plan.set();
        assert.ok((await sign()).length > 0);
        assert.equal(count(plan.calls(), 'C_OpenSession'), 1, 'none was kept: the next operation starts in a new session');
      }
    });
  }

  it('an operation whose caller stops waiting for its signatures logs out only once none runs, and the rest are cancelled', async () => {
    const pending: Promise<Uint8Array>[] = [];
    await provider.withKey(key, hsm.pin, async ({ signer }) => {
      for (let i = 0; i < 300; i++) {
        const signature = signer.signDigest(digest);
        signature.catch(() => undefined); // looked at below, once the operation is over
        pending.push(signature);
      }
      await pending[0];
    });
    const calls = plan.calls();
    const lastSign = calls.map(([n]) => n).lastIndexOf('C_Sign');
    assert.ok(calls.findIndex(([n]) => n === 'C_Logout') > lastSign, `logged out after the last signature: ${JSON.stringify(calls.slice(-8))}`);
    const outcomes = await Promise.allSettled(pending);
    const reasons = new Set(outcomes.map((o) => (o.status === 'fulfilled' ? 'signed' : o.reason instanceof AgentError ? o.reason.reason : String(o.reason))));
    assert.ok([...reasons].every((r) => r === 'signed' || r === 'CANCELLED'), [...reasons].join());
    assert.ok(reasons.has('CANCELLED'), 'signatures not started when the operation ended are cancelled');
    plan.set();
    assert.ok((await sign()).length > 0);
    assert.equal(count(plan.calls(), 'C_OpenSession'), 0, 'its sessions were kept, in a state fit for the next operation');
  });

  it('sessions closed behind the provider\u2019s back (as a USB-Key reset does) are replaced, and the signature succeeds', async () => {
    try {
      direct.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch {
      // initialised already: this process's SoftHSM2 is the provider's
    }
    const slot = direct.C_GetSlotList(true).find((s) => direct.C_GetTokenInfo(s).label.trim() === hsm.label)!;
    direct.C_CloseAllSessions(slot);
    assert.ok((await sign()).length > 0);
    const calls = plan.calls();
    assert.ok(count(calls, 'C_GetSessionInfo', CKR.SESSION_HANDLE_INVALID) >= 1, 'the kept session was found dead');
    assert.equal(count(calls, 'C_OpenSession'), 1, 'and replaced');
    assert.equal(count(calls, 'C_Login'), 1, 'with no failed login');
  });

  it('a logout that fails closes every session of the token: no login outlives the operation', async () => {
    plan.set(`C_Logout 0x${CKR.DEVICE_ERROR.toString(16)} count=1`);
    assert.ok((await sign()).length > 0, 'the signature was made before the logout');
    const closed = plan.calls().findIndex(([n, rv]) => n === 'C_CloseSession' && rv === 0);
    assert.ok(closed > plan.calls().findIndex(([n]) => n === 'C_Logout'), `closed after the failed logout: ${JSON.stringify(plan.calls())}`);
    plan.set();
    assert.ok((await sign()).length > 0);
    assert.equal(count(plan.calls(), 'C_OpenSession'), 1, 'the next operation opens a new one');
  });

  it('a token the module stops showing has its kept sessions closed, and is used again when it is back', async () => {
    plan.set(`C_GetTokenInfo 0x${CKR.TOKEN_NOT_PRESENT.toString(16)}`);
    assert.ok(!(await provider.listTokens()).some((t) => t.id === key.tokenId));
    assert.ok(count(plan.calls(), 'C_CloseSession') >= 1, `its sessions closed: ${JSON.stringify(plan.calls())}`);
    plan.clear();
    assert.ok((await provider.listTokens()).some((t) => t.id === key.tokenId));
    assert.ok((await sign()).length > 0);
  });

  it('after a re-initialisation (a token made by another program), no session from before is touched, and a removed token answers TOKEN_REMOVED', async () => {
    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', 'sicert-pool-b', '--pin', hsm.pin, '--so-pin', hsm.soPin);
    const other = (await provider.listTokens()).find((t) => t.label === 'sicert-pool-b')!;
    const otherKey = { tokenId: other.id, keyId: (await provider.generateKey(other.id, hsm.pin, 'ECDSA-P256')).keyId };
    assert.ok((await sign(otherKey)).length > 0);
    assert.equal(count(plan.calls(), 'C_Finalize'), 1, 'SoftHSM2 was re-initialised to see the new token');
    plan.set();
    assert.ok((await sign()).length > 0, 'the first token signs in a new session');
    await softhsmUtil(hsm.conf, '--delete-token', '--token', 'sicert-pool-b');
    await assert.rejects(sign(otherKey), (e: unknown) => e instanceof AgentError && e.reason === 'TOKEN_REMOVED');
    assert.ok((await sign()).length > 0);
    const calls = plan.calls();
    assert.equal(count(calls, 'C_Finalize'), 1, 're-initialised once more for the removal');
    // After C_Finalize every handle is void (and its number comes back): the first session call is a new session.
    const sessionCalls = ['C_OpenSession', 'C_GetSessionInfo', 'C_CloseSession', 'C_Finalize'];
    const after = calls.slice(calls.findIndex(([n]) => n === 'C_Finalize') + 1).find(([n]) => sessionCalls.includes(n));
    assert.deepEqual(after, ['C_OpenSession', 0], `no handle from before the re-initialisation was used or closed: ${JSON.stringify(calls)}`);
  });
});
