// cert.install stores a certificate's own DER only: a certificate followed by other bytes, or one whose serial
// number INTEGER is not minimal (OpenSSL will not parse it, so no CMS made with it verifies there), is refused as
// INVALID_PARAMS; the same certificate without the fault installs.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';

const PIN = 'Strict2468x';

describe('cert.install takes exact DER only', () => {
  let home: string;
  let agent: RunningAgent;
  let client: AgentClient;
  let ca: TestCa;
  let tokenId: string;
  let publicKey: Uint8Array;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-strict-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [], allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    client = connect(agent.url);
    ca = await createTestCa();
    tokenId = (await client.request('token.create', { provider: 'soft', label: '严格', pin: PIN })).tokenId;
    publicKey = fromBase64((await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' })).publicKey);
  });

  after(async () => {
    client.close();
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  const refused = (error: unknown) => error instanceof AgentError && error.reason === 'INVALID_PARAMS' && error.message === 'not an X.509 certificate';

  it('refuses a certificate with bytes after it, then installs it without them', async () => {
    const certificate = await ca.issue({ CN: '严格 尾随' }, publicKey);
    const padded = new Uint8Array([...certificate, ...new Uint8Array(16).fill(0x41)]);
    await assert.rejects(client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(padded) }), refused);
    await assert.rejects(client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(certificate), chain: [toBase64(new Uint8Array([...ca.root, 0]))] }), refused);
    await client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(certificate) });
    const listed = (await client.request('cert.list', { tokenId })).certificates;
    assert.deepEqual(listed.map((c) => c.der), [toBase64(certificate)]);
  });

  it('refuses a serial number with a needless leading 00 or ff octet', async () => {
    for (const serialNumber of [new Uint8Array([0x00, 0x01]), new Uint8Array([0xff, 0x80])]) {
      const certificate = await ca.issue({ CN: '严格 序列号' }, publicKey, { serialNumber });
      await assert.rejects(client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(certificate) }), refused);
    }
    // A leading 00 that keeps the number positive is minimal, and installs.
    await client.request('cert.install', { tokenId, pin: PIN, certificate: toBase64(await ca.issue({ CN: '严格 序列号' }, publicKey, { serialNumber: new Uint8Array([0x00, 0x80]) })) });
  });
});
