// cert.install over an existing certificate on a USB-Key: a failure or a kill -9 at any point leaves the key with
// its old or its new certificate, never none (issue 6, item 7). Faults come from the PKCS#11 shim in front of
// SoftHSM2; the agent runs as a child process so it can be killed mid-install.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { connect } from '@sicert/test-support/agent-client';
import { spawnAgent, type AgentProcess } from './support/cli-process.js';
import { buildFaultShim, CKR, FaultPlan } from '@sicert/test-support/fault-shim';
import { certificatesOnToken } from './support/p11-certificates.js';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const HOUR = 3_600_000;
/** Kill rounds per call site; raise it (SICERT_CRASH_ROUNDS=30) to measure rather than to test. */
const ROUNDS = Number(process.env.SICERT_CRASH_ROUNDS ?? 2);

describe('cert.install on a USB-Key survives failures and kill -9', () => {
  let hsm: SoftHsm;
  let home: string;
  let plan: FaultPlan;
  let shim: string;
  let ca: TestCa;
  let agent: AgentProcess;
  let client: AgentClient;
  let tokenId: string;
  let keyId: string;
  let publicKey: Uint8Array;
  let issued = 0;

  /** A certificate for the key, each one newer than the last (notBefore a minute later). */
  const issue = () => ca.issue({ CN: `王小明 ${++issued}` }, publicKey, { notBefore: new Date(Date.now() - 10 * HOUR + issued * 60_000) });
  const stored = () => certificatesOnToken(hsm.conf, hsm.module, hsm.label).filter((o) => o.id === keyId).map((o) => o.der);
  const listed = async () => (await client.request('cert.list', { tokenId })).certificates.filter((c) => c.id === `${tokenId}/${keyId}`).map((c) => c.der);
  const restart = async () => {
    client.close();
    agent = await spawnAgent({ home, modules: [shim], env: plan.env });
    client = connect(agent.url);
  };

  before(async () => {
    hsm = createSoftHsm('sicert-crash');
    home = mkdtempSync(join(tmpdir(), 'sicert-crash-'));
    plan = new FaultPlan(home);
    shim = buildFaultShim();
    ca = await createTestCa();
    agent = await spawnAgent({ home, modules: [shim], env: plan.env });
    client = connect(agent.url);
    tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id;
    const key = await client.request('key.generate', { tokenId, pin: hsm.pin, algorithm: 'ECDSA-P256' });
    keyId = key.keyId;
    publicKey = fromBase64(key.publicKey);
    await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: toBase64(await issue()) });
  });

  after(async () => {
    client.close();
    await agent.stop();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('keeps the old certificate when storing the new one fails (CKR_DEVICE_ERROR)', async () => {
    const [old] = await listed();
    plan.set(`C_CreateObject ${CKR.DEVICE_ERROR} count=1`);
    await assert.rejects(client.request('cert.install', { tokenId, pin: hsm.pin, certificate: toBase64(await issue()) }));
    plan.clear();
    assert.deepEqual(await listed(), [old]);
    assert.deepEqual(stored(), [old]);
    const newer = toBase64(await issue());
    await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: newer });
    assert.deepEqual(await listed(), [newer]);
    assert.deepEqual(stored(), [newer], 'the old certificate is removed once the new one is stored');
  });

  for (const call of ['C_CreateObject', 'C_DestroyObject']) {
    it(`kill -9 while the agent is in ${call} leaves the old or the new certificate, and listing shows one`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const old = toBase64(await issue());
        await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: old });
        const newer = toBase64(await issue());
        plan.set(`${call} 0 delay_ms=20000`);
        const pending = client.request('cert.install', { tokenId, pin: hsm.pin, certificate: newer }).catch(() => undefined);
        for (let i = 0; i < 400 && !plan.delaying(call); i++) await sleep(25);
        assert.ok(plan.delaying(call), `the agent reached ${call}`);
        await agent.kill();
        await pending;
        plan.clear();
        await restart();
        const after = await listed();
        assert.equal(after.length, 1, 'exactly one certificate for the key');
        assert.ok(after[0] === old || after[0] === newer, 'the old or the new certificate');
        const objects = stored();
        assert.ok(objects.length >= 1 && objects.every((der) => der === old || der === newer), 'never none, nothing else');
        if (objects.length === 2) assert.equal(after[0], newer, 'after a crash between the two steps, the newer one is listed');
        // The next install leaves exactly one certificate object.
        const next = toBase64(await issue());
        await client.request('cert.install', { tokenId, pin: hsm.pin, certificate: next });
        assert.deepEqual(stored(), [next]);
      }
    });
  }
});
