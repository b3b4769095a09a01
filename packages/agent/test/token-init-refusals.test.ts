// token.init's answers when the USB-Key refuses the administrator (SO) PIN: never the holder's "wrong password".
// SoftHSM2 takes any SO PIN of 4-255 bytes on a blank key, so the fault shim in front of it answers C_InitToken as a
// key with a factory SO PIN would (CKR_PIN_INCORRECT, CKR_PIN_LOCKED); the rest is SoftHSM2's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, PinThrottle, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { buildFaultShim, CKR, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;
const HOLDER_PIN = 'Chen2468x';

describe('token.init refusals of the SO PIN', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let agent: RunningAgent;
  let client: AgentClient;
  let tokenId: string;

  const init = (soPin: string) => client.request('token.init', { tokenId, soPin, label: '陈小华', pin: HOLDER_PIN });
  const stillBlank = async () => (await client.request('token.list', undefined)).tokens.some((t) => t.id === tokenId && !t.pin.initialized);
  const initCalls = () => plan.calls().filter(([name]) => name === 'C_InitToken');

  before(async () => {
    hsm = createSoftHsm('sicert-init-refusals');
    home = mkdtempSync(join(tmpdir(), 'sicert-init-refusals-'));
    plan = new FaultPlan(home);
    Object.assign(process.env, plan.env);
    agent = await startAgent(
      { ...defaultConfig(), port: 0, home, modules: [buildFaultShim()], softToken: false, allowOrigins: [TEST_ORIGIN], hallMode: true },
      createLogger('error', () => undefined),
      // Two wrong SO PINs a window, on a clock that stands still.
      { pinThrottle: new PinThrottle({ maxFailures: 2, now: () => 0 }) },
    );
    client = connect(agent.url);
    tokenId = (await client.request('token.list', undefined)).tokens.find((t) => !t.pin.initialized)!.id;
  });

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('an SO PIN shorter than the key takes never reaches C_InitToken', async () => {
    plan.set();
    await assert.rejects(init('x'), refused('INVALID_PARAMS'));
    assert.deepEqual(initCalls(), []);
    assert.ok(await stillBlank());
  });

  it("the key's CKR_PIN_LOCKED is SO_PIN_LOCKED, and CKR_PIN_INCORRECT is SO_PIN_INCORRECT, counted against the SO budget", async () => {
    plan.set(`C_InitToken 0x${CKR.PIN_LOCKED.toString(16)} count=1`);
    await assert.rejects(init('Hall2468So'), refused('SO_PIN_LOCKED'));
    plan.set(`C_InitToken 0x${CKR.PIN_INCORRECT.toString(16)}`);
    await assert.rejects(init('Hall2468So'), refused('SO_PIN_INCORRECT'));
    await assert.rejects(init('Hall1357So'), refused('SO_PIN_INCORRECT'));
    assert.equal(initCalls().length, 2);
    // Two wrong SO PINs in the window: the third try is refused without asking the key.
    await assert.rejects(init('Hall9753So'), refused('PIN_THROTTLED'));
    assert.equal(initCalls().length, 2);
    assert.ok(await stillBlank());
  });
});
