// Certificates on this computer, one software token per holder: token.create from a page that bypasses the
// components, and one holder's wrong passwords never lock another's.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, SOFT_TOKEN_MAX_TRIES, startAgent, type AgentConfig, type RunningAgent } from '../src/index.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { rawReason } from './support/raw-call.js';

const DATA = new TextEncoder().encode('医保缴费 2026-11');
const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('software tokens, one per holder', () => {
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  const start = (settings: Partial<AgentConfig> = {}) => startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN], ...settings }, createLogger('error', () => undefined));

  /** A token for `holder` with a key and a certificate, made the way the wizard makes them. */
  async function holder(name: string, pin: string): Promise<{ tokenId: string; certId: string }> {
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: name, pin });
    const key = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: name }, fromBase64(key.publicKey));
    const { certId } = await client.request('cert.install', { tokenId, pin, certificate: toBase64(certificate) });
    return { tokenId, certId };
  }

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-holders-'));
    ca = await createTestCa();
    agent = await start();
    client = connect(agent.url);
  });

  after(async () => {
    client.close();
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('offers token.create and the lifecycle methods in agent.info; without the software token, not token.create', async () => {
    const info = await client.request('agent.info', undefined);
    for (const capability of ['token.create', 'pin.change', 'pin.unblock', 'key.delete']) assert.ok(info.capabilities.includes(capability), capability);
    const usbOnly = await start({ softToken: false, home: mkdtempSync(join(tmpdir(), 'sicert-holders-none-')) });
    try {
      const other = connect(usbOnly.url);
      assert.equal((await other.request('agent.info', undefined)).capabilities.includes('token.create'), false);
      await assert.rejects(other.request('token.create', { provider: 'soft', label: '张三', pin: 'Home2468x' }), refused('NOT_SUPPORTED'));
      other.close();
    } finally {
      await usbOnly.close();
      rmSync(usbOnly.config.home, { recursive: true, force: true });
    }
  });

  it('token.create from a raw client: the agent enforces the PIN policy and the label, and lists nothing it refused', async () => {
    for (const pin of ['123456', 'abc123', 'password1', 'Ab1', 'Ab1'.repeat(5), '张三abc123']) {
      assert.equal(await rawReason(agent.url, 'token.create', { provider: 'soft', label: '张三', pin }), 'PIN_POLICY', pin);
    }
    assert.equal(await rawReason(agent.url, 'token.create', { provider: 'soft', label: '', pin: 'Home2468x' }), 'INVALID_PARAMS');
    assert.equal(await rawReason(agent.url, 'token.create', { provider: 'soft', label: '   ', pin: 'Home2468x' }), 'INVALID_PARAMS');
    assert.equal(await rawReason(agent.url, 'token.create', { provider: 'pkcs11', label: '张三', pin: 'Home2468x' }), 'INVALID_PARAMS');
    assert.deepEqual((await client.request('token.list', undefined)).tokens, []);
  });

  it("one holder's wrong passwords lock that holder's token only; the other's still signs, after a restart too", async () => {
    const zhang = await holder('张三', 'Zhang2468x');
    const li = await holder('李四', 'Li4pass88x');
    assert.match(zhang.tokenId, /^soft-[0-9a-f]{16}$/);
    for (let i = 1; i < SOFT_TOKEN_MAX_TRIES; i++) await assert.rejects(client.request('sign.data', { certId: zhang.certId, pin: `Wrong${i}x2468`, data: toBase64(DATA) }), refused('PIN_INCORRECT'));
    await assert.rejects(client.request('sign.data', { certId: zhang.certId, pin: 'Wrong0x2468', data: toBase64(DATA) }), refused('PIN_LOCKED'));
    await assert.rejects(client.request('sign.data', { certId: zhang.certId, pin: 'Zhang2468x', data: toBase64(DATA) }), refused('PIN_LOCKED'));

    const byId = async (c: AgentClient) => new Map((await c.request('token.list', undefined)).tokens.map((t) => [t.id, t]));
    const listed = await byId(client);
    assert.deepEqual([listed.get(zhang.tokenId)?.label, listed.get(zhang.tokenId)?.pin.locked], ['张三', true]);
    assert.deepEqual([listed.get(li.tokenId)?.label, listed.get(li.tokenId)?.pin.locked, listed.get(li.tokenId)?.pin.retriesLeft], ['李四', false, 10]);
    // Each token lists its own holder's certificates only; an unknown software token is refused, not read as "all".
    const certsOf = async (tokenId: string) => (await client.request('cert.list', { tokenId })).certificates.map((c) => c.id);
    assert.deepEqual([await certsOf(zhang.tokenId), await certsOf(li.tokenId)], [[zhang.certId], [li.certId]]);
    await assert.rejects(client.request('cert.list', { tokenId: 'soft-0000000000000000' }), refused('TOKEN_NOT_FOUND'));
    const { signature } = await client.request('sign.data', { certId: li.certId, pin: 'Li4pass88x', data: toBase64(DATA) });
    assert.equal(opensslVerifyCms(fromBase64(signature), ca.root, DATA).ok, true);

    client.close();
    await agent.close();
    agent = await start();
    client = connect(agent.url);
    const again = await byId(client);
    assert.deepEqual([again.get(zhang.tokenId)?.pin.locked, again.get(li.tokenId)?.pin.locked], [true, false]);
    assert.ok((await client.request('sign.data', { certId: li.certId, pin: 'Li4pass88x', data: toBase64(DATA) })).signature.length > 0);
    const created = readFileSync(join(home, 'audit.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { operation: string; tokenId?: string; outcome: string })
      .filter((e) => e.operation === 'token.create');
    assert.deepEqual(created.map((e) => [e.tokenId, e.outcome]), [[zhang.tokenId, 'ok'], [li.tokenId, 'ok']]);
    assert.equal(readFileSync(join(home, 'audit.log'), 'utf8').includes('Zhang2468x'), false);
  });
});
