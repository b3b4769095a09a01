// key.delete on a SoftHSM2 USB-Key and on a software token: a key pair without a certificate goes (an abandoned
// application's key), one with a certificate stays (KEY_IN_USE), and every attempt that reached a key is audited
// without its PIN.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';

const SOFT_PIN = 'Home2468x';
const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('key.delete', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  const tokens: Record<'usb' | 'soft', { id: string; pin: string }> = {} as never;

  const audit = () => readFileSync(join(home, 'audit.log'), 'utf8');

  before(async () => {
    hsm = createSoftHsm('sicert-key-delete');
    home = mkdtempSync(join(tmpdir(), 'sicert-key-delete-'));
    ca = await createTestCa();
    agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    client = connect(agent.url);
    tokens.usb = { id: (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!.id, pin: hsm.pin };
    tokens.soft = { id: (await client.request('token.create', { provider: 'soft', label: '陈十二', pin: SOFT_PIN })).tokenId, pin: SOFT_PIN };
  });

  after(async () => {
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  for (const medium of ['usb', 'soft'] as const) {
    it(`${medium}: deletes a key without a certificate, refuses one with a certificate (KEY_IN_USE) and an unknown one`, async () => {
      const { id: tokenId, pin } = tokens[medium];
      const kept = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });
      const certificate = toBase64(await ca.issue({ CN: '陈十二' }, fromBase64(kept.publicKey)));
      const { certId } = await client.request('cert.install', { tokenId, pin, certificate });
      const abandoned = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });

      await assert.rejects(client.request('key.delete', { tokenId, keyId: kept.keyId, pin }), refused('KEY_IN_USE'));
      await assert.rejects(client.request('key.delete', { tokenId, keyId: abandoned.keyId, pin: 'Wrong1357x' }), refused('PIN_INCORRECT'));
      await client.request('key.delete', { tokenId, keyId: abandoned.keyId, pin });
      // The key is gone: it cannot sign a request, nor be deleted twice.
      await assert.rejects(client.request('csr.create', { tokenId, keyId: abandoned.keyId, pin, subject: { CN: '陈十二' } }), refused('KEY_NOT_FOUND'));
      await assert.rejects(client.request('key.delete', { tokenId, keyId: abandoned.keyId, pin }), refused('KEY_NOT_FOUND'));
      await assert.rejects(client.request('key.delete', { tokenId, keyId: 'abcdef', pin }), refused('KEY_NOT_FOUND'));
      await assert.rejects(client.request('key.delete', { tokenId: `${medium === 'usb' ? 'p11' : 'soft'}-0000000000000000`, keyId: abandoned.keyId, pin }), refused('TOKEN_NOT_FOUND'));
      // The certified key still signs.
      const listed = (await client.request('cert.list', { tokenId })).certificates;
      assert.deepEqual(listed.map((c) => [c.id, c.hasPrivateKey]), [[certId, true]]);
      assert.ok((await client.request('sign.data', { certId, pin, data: toBase64(new Uint8Array([1])) })).signature.length > 0);

      const entries = audit()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { operation: string; tokenId?: string; keyId?: string; outcome: string })
        .filter((e) => e.operation === 'key.delete' && e.tokenId === tokenId);
      // KEY_NOT_FOUND and TOKEN_NOT_FOUND never reached a key: not audit entries.
      assert.deepEqual(
        entries.map((e) => [e.keyId, e.outcome]),
        [
          [kept.keyId, 'KEY_IN_USE'],
          [abandoned.keyId, 'PIN_INCORRECT'],
          [abandoned.keyId, 'ok'],
        ],
      );
      assert.equal(audit().includes(pin), false, 'no PIN in the audit log');
      assert.equal(audit().includes('Wrong1357x'), false);
    });
  }

  it('software token: deleting its last key removes the token, which had nothing else', async () => {
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: '褚十三', pin: SOFT_PIN });
    const { keyId } = await client.request('key.generate', { tokenId, pin: SOFT_PIN, algorithm: 'ECDSA-P256' });
    await client.request('key.delete', { tokenId, keyId, pin: SOFT_PIN });
    assert.equal((await client.request('token.list', undefined)).tokens.some((t) => t.id === tokenId), false);
    assert.equal(existsSync(join(home, 'soft-token', `${tokenId}.json`)), false);
    await assert.rejects(client.request('key.generate', { tokenId, pin: SOFT_PIN, algorithm: 'ECDSA-P256' }), refused('TOKEN_NOT_FOUND'));
  });
});
