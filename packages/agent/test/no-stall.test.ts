// The agent answers while its tokens work: `agent.info` on another connection and `GET /v1/health`, sent while an
// RSA-2048 key is being generated or a large `sign.batch` runs, are answered before that work ends. A real agent in
// a child process; the USB-Key is SoftHSM2 behind the fault shim, which holds one C_GenerateKeyPair or C_Sign for a
// while, as a USB-Key does for seconds, so the test knows the token call is under way when it asks. The software
// token needs no shim: its batch reports progress once its first signature is made, and the questions go out then.
// No time is asserted, only which answer came first.
import assert from 'node:assert/strict';
import { X509Certificate, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient, SignBatchOutcome } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { spawnAgent, type AgentProcess } from './support/cli-process.js';
import { until } from './support/token-events.js';

const SOFT_PIN = 'Wait2468x';
/** How long the shim holds the one token call: far longer than an answer takes, on a busy machine too. */
const HOLD_MS = 2500;

const content = (i: number) => new TextEncoder().encode(`医保报销单 第 ${i} 张`);

describe('no stall: the agent answers while a token works', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let ca: TestCa;
  let agent: AgentProcess;
  let worker: AgentClient;
  let observer: AgentClient;
  let tokenId: string;

  /** Issues a certificate for a key made through the agent and installs it; returns the certificate id. */
  async function certify(token: string, pin: string, algorithm: 'ECDSA-P256' | 'RSA-2048'): Promise<string> {
    const key = await worker.request('key.generate', { tokenId: token, pin, algorithm });
    const certificate = await ca.issue({ CN: `不停顿 ${algorithm}` }, fromBase64(key.publicKey));
    return (await worker.request('cert.install', { tokenId: token, pin, certificate: toBase64(certificate) })).certId;
  }

  /**
   * Sends `agent.info` on the other connection and `GET /v1/health` while `work` runs, once `underway()` holds,
   * and returns the order in which the three finished.
   */
  async function answeredDuring(work: Promise<unknown>, underway: () => boolean): Promise<string[]> {
    const order: string[] = [];
    const finished = work.then(() => order.push('work'));
    await until(underway, 'the token call is under way');
    const health = fetch(`${agent.url.replace(/^ws/, 'http')}/health`).then((response) => {
      assert.equal(response.status, 200);
      order.push('health');
    });
    const info = observer.request('agent.info', undefined).then(() => order.push('agent.info'));
    await Promise.all([finished, health, info]);
    return order;
  }

  before(async () => {
    hsm = createSoftHsm('sicert-no-stall');
    home = mkdtempSync(join(tmpdir(), 'sicert-no-stall-'));
    plan = new FaultPlan(home);
    ca = await createTestCa();
    agent = await spawnAgent({ home, modules: [buildFaultShim()], env: plan.env });
    worker = connect(agent.url);
    observer = connect(agent.url);
    tokenId = (await worker.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
  });

  after(async () => {
    worker.close();
    observer.close();
    await agent.stop();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('while a USB-Key generates an RSA-2048 key, agent.info and /v1/health are answered first', async () => {
    plan.set(`C_GenerateKeyPair 0 delay_ms=${HOLD_MS} count=1`);
    const generation = worker.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'RSA-2048' });
    const order = await answeredDuring(generation, () => plan.delaying('C_GenerateKeyPair'));
    assert.deepEqual(order.slice(-1), ['work'], `answered in the order ${order.join(', ')}`);
    assert.ok((await generation).publicKey.length > 0);
    plan.clear();
  });

  it('while a USB-Key signs a batch on another connection, agent.info and /v1/health are answered first, and every signature verifies in its place', async () => {
    const certId = await certify(tokenId, hsm.pin, 'ECDSA-P256');
    plan.set(`C_Sign 0 delay_ms=${HOLD_MS} count=1`);
    const items = Array.from({ length: 200 }, (_, i) => ({ data: toBase64(content(i)) }));
    const batch = worker.request('sign.batch', { certId, pin: hsm.pin, items, format: 'raw' });
    const order = await answeredDuring(batch, () => plan.delaying('C_Sign'));
    assert.deepEqual(order.slice(-1), ['work'], `answered in the order ${order.join(', ')}`);
    assertVerifies(await batch, 200);
    plan.clear();
  });

  it('while the software token signs a batch of digests on another connection, agent.info and /v1/health are answered first', async () => {
    const soft = await worker.request('token.create', { provider: 'soft', label: '钱七', pin: SOFT_PIN });
    const certId = await certify(soft.tokenId, SOFT_PIN, 'ECDSA-P256');
    const digests = await Promise.all(Array.from({ length: 600 }, async (_, i) => ({ digest: toBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', content(i)))) })));
    let progressed = false;
    const batch = worker.request('sign.batch', { certId, pin: SOFT_PIN, items: digests, format: 'raw' }, { onProgress: () => (progressed = true) });
    const order = await answeredDuring(batch, () => progressed);
    assert.deepEqual(order.slice(-1), ['work'], `answered in the order ${order.join(', ')}`);
    assertVerifies(await batch, 600);
  });
});

/** Every signature of the batch verifies over its own item (and not over the next one's). */
function assertVerifies(result: { signatures: SignBatchOutcome[]; certificate: string }, count: number): void {
  assert.equal(result.signatures.length, count);
  const publicKey = new X509Certificate(fromBase64(result.certificate)).publicKey;
  result.signatures.forEach((outcome, i) => {
    assert.ok('signature' in outcome, `item ${i}: ${JSON.stringify(outcome)}`);
    const signature = fromBase64(outcome.signature);
    assert.equal(verify('sha256', content(i), publicKey, signature), true, `item ${i}`);
    assert.equal(verify('sha256', content(i + 1), publicKey, signature), false, `item ${i} over another item`);
  });
}
