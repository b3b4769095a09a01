// pin.unblock: the service hall's reset of a USB-Key's user PIN with the security officer's PIN (CKU_SO login,
// C_InitPIN). SoftHSM2 never locks a PIN, so the fault shim in front of it locks after a few wrong PINs as a
// USB-Key does (its `lock_user` / `lock_so` plan lines); the PIN checks and the reset itself are SoftHSM2's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, PinThrottle, startAgent, type RunningAgent } from '../src/index.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { rawReason } from './support/raw-call.js';

const DATA = new TextEncoder().encode('待遇申领 2026-11');
const refused = (reason: string, retriesLeft?: number) => (e: unknown) => e instanceof AgentError && e.reason === reason && (retriesLeft === undefined || e.retriesLeft === retriesLeft);

describe('pin.unblock', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let plan: FaultPlan;
  let agent: RunningAgent;
  let client: AgentClient;
  let tokenId: string;
  let certId: string;
  let now = 0;

  const token = async () => (await client.request('token.list', undefined)).tokens.find((t) => t.id === tokenId)!;
  const sign = (pin: string) => client.request('sign.data', { certId, pin, data: toBase64(DATA) });

  before(async () => {
    hsm = createSoftHsm('sicert-unblock');
    home = mkdtempSync(join(tmpdir(), 'sicert-unblock-'));
    ca = await createTestCa();
    plan = new FaultPlan(home);
    Object.assign(process.env, plan.env);
    agent = await startAgent(
      { ...defaultConfig(), port: 0, home, modules: [buildFaultShim()], allowOrigins: [TEST_ORIGIN] },
      createLogger('error', () => undefined),
      { pinThrottle: new PinThrottle({ now: () => now }) },
    );
    client = connect(agent.url);
    tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
    const key = await client.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '郑十' }, fromBase64(key.publicKey));
    certId = (await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: toBase64(certificate) })).certId;
  });

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('unlocks a user PIN locked by wrong PINs: the new PIN signs, and OpenSSL verifies the signature', async () => {
    plan.set('lock_user 3', 'lock_so 3');
    await assert.rejects(sign('Wrong1357x'), refused('PIN_INCORRECT'));
    assert.deepEqual([(await token()).pin.countLow, (await token()).pin.finalTry], [true, false]);
    await assert.rejects(sign('Wrong1357x'), refused('PIN_INCORRECT', 1));
    await assert.rejects(sign('Wrong1357x'), refused('PIN_LOCKED'));
    await assert.rejects(sign(hsm.pin), refused('PIN_LOCKED'), 'locked: the right PIN is refused too');
    const locked = (await token()).pin;
    assert.deepEqual([locked.locked, locked.retriesLeft, locked.soLocked], [true, 0, false]);
    // The holder cannot change a locked PIN either.
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: hsm.pin, newPin: 'Fresh2468x' }), refused('PIN_LOCKED'));

    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: 'WrongSo135', newPin: 'Fresh2468x' }), refused('SO_PIN_INCORRECT'));
    // A weak new PIN is refused by the agent before the token is asked: no SO login is even tried.
    plan.set('lock_user 3', 'lock_so 3');
    for (const weak of ['123456', 'abcdef12', 'aaaaaa1']) assert.equal(await rawReason(agent.url, 'pin.unblock', { tokenId, soPin: hsm.soPin, newPin: weak }), 'PIN_POLICY');
    assert.deepEqual(plan.calls().filter(([name]) => name === 'C_Login' || name === 'C_InitPIN'), []);
    // (Replacing the plan started the shim's counts afresh; lock the user PIN again.)
    for (let i = 0; i < 3; i++) await assert.rejects(sign('Wrong1357x'));
    assert.equal((await token()).pin.locked, true);

    await client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' });
    assert.deepEqual(plan.calls().filter(([name]) => name === 'C_InitPIN'), [['C_InitPIN', 0]]);
    assert.equal((await token()).pin.locked, false);
    const { signature, certificate } = await sign('Fresh2468x');
    assert.equal(opensslVerifyCms(fromBase64(signature), ca.root, DATA).ok, true);
    assert.ok(certificate.length > 0);
    await assert.rejects(sign(hsm.pin), refused('PIN_INCORRECT'), 'the old PIN is gone');
    await client.request('pin.change', { tokenId, oldPin: 'Fresh2468x', newPin: hsm.pin });
  });

  it('a locked SO PIN is SO_PIN_LOCKED, and token.list says soLocked', async () => {
    plan.set('lock_so 3');
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: 'WrongSo135', newPin: 'Fresh2468x' }), refused('SO_PIN_INCORRECT'));
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: 'WrongSo135', newPin: 'Fresh2468x' }), refused('SO_PIN_INCORRECT', 1));
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: 'WrongSo135', newPin: 'Fresh2468x' }), refused('SO_PIN_LOCKED'));
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' }), refused('SO_PIN_LOCKED'));
    assert.equal((await token()).pin.soLocked, true);
    // The holder's own PIN is untouched.
    assert.ok((await sign(hsm.pin)).signature.length > 0);
    plan.set();
    assert.equal((await token()).pin.soLocked, false);
  });

  it('throttles SO PINs apart from the user PIN: the 11th wrong SO PIN within a minute never reaches the token', async () => {
    plan.set();
    now += 60_000; // the wrong SO PINs of the tests before leave the window
    for (let i = 0; i < 10; i++) await assert.rejects(client.request('pin.unblock', { tokenId, soPin: `WrongSo${i}x`, newPin: 'Fresh2468x' }), refused('SO_PIN_INCORRECT'));
    plan.set();
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' }), refused('PIN_THROTTLED'));
    assert.deepEqual(plan.calls().filter(([name]) => name === 'C_Login'), [], 'the throttled try never reached the token');
    assert.ok((await sign(hsm.pin)).signature.length > 0, 'the holder still signs');
    now += 60_000;
    await client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' });
    await client.request('pin.change', { tokenId, oldPin: 'Fresh2468x', newPin: hsm.pin });
  });

  it('lets the holder in at once after an unblock, even when wrong PINs filled the throttle', async () => {
    plan.set();
    now += 60_000;
    for (let i = 0; i < 10; i++) await assert.rejects(sign(`Wrong${i}357x`), refused('PIN_INCORRECT'));
    await assert.rejects(sign(hsm.pin), refused('PIN_THROTTLED'));
    await client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' });
    assert.ok((await sign('Fresh2468x')).signature.length > 0, 'the new PIN is not held back by the old one\'s wrong tries');
    await client.request('pin.change', { tokenId, oldPin: 'Fresh2468x', newPin: hsm.pin });
  });

  it('a new PIN the USB-Key itself refuses (CKR_PIN_LEN_RANGE, CKR_PIN_INVALID: stricter rules than the policy) is PIN_POLICY', async () => {
    plan.set('C_SetPIN 0xa2 count=1', 'C_InitPIN 0xa1 count=1');
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: hsm.pin, newPin: 'Fresh2468x' }), refused('PIN_POLICY'));
    await assert.rejects(client.request('pin.unblock', { tokenId, soPin: hsm.soPin, newPin: 'Fresh2468x' }), refused('PIN_POLICY'));
    assert.ok((await sign(hsm.pin)).signature.length > 0, 'the PIN is unchanged');
  });

  it('reports mustChange while the USB-Key asks for a new PIN, until pin.change', async () => {
    plan.set('must_change');
    assert.equal((await token()).pin.mustChange, true);
    await client.request('pin.change', { tokenId, oldPin: hsm.pin, newPin: 'Fresh2468x' });
    assert.equal((await token()).pin.mustChange, false);
    await client.request('pin.change', { tokenId, oldPin: 'Fresh2468x', newPin: hsm.pin });
  });

  it('answers NOT_SUPPORTED for a certificate on this computer, and TOKEN_NOT_FOUND for no token', async () => {
    const soft = await client.request('token.create', { provider: 'soft', label: '郑十', pin: 'Home2468x' });
    await assert.rejects(client.request('pin.unblock', { tokenId: soft.tokenId, soPin: 'Anything1x', newPin: 'Fresh2468x' }), refused('NOT_SUPPORTED'));
    await assert.rejects(client.request('pin.unblock', { tokenId: 'p11-nothing', soPin: 'Anything1x', newPin: 'Fresh2468x' }), refused('TOKEN_NOT_FOUND'));
  });
});
