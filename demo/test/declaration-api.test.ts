import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '../../packages/agent/test/support/agent-client.js';
import { opensslVerifyCms } from '../../packages/pki/test/support/openssl.js';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { DEMO_PIN } from '../server/provision.js';
import type { Declaration } from '../server/declaration.js';

describe('demo portal: declaration signatures', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;
  let certId: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-demo-'));
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0 });
    client = connect(demo.agent.url, demo.portalUrl);
    certId = (await client.request('cert.list', undefined)).certificates[0]!.id;
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function newDeclaration(): Promise<Declaration> {
    return (await (await fetch(`${demo.portalUrl}/api/declarations`, { method: 'POST' })).json()) as Declaration;
  }

  async function submit(id: string, signature: string): Promise<{ status: number; body: { verified: boolean; problem?: string; signer?: string } }> {
    const response = await fetch(`${demo.portalUrl}/api/declarations/${id}/signature`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature }),
    });
    return { status: response.status, body: (await response.json()) as { verified: boolean; problem?: string; signer?: string } };
  }

  it('provisions a demo certificate from the demo CA on first start, once', async () => {
    const { certificates } = await client.request('cert.list', undefined);
    assert.equal(certificates.length, 1);
    assert.equal(certificates[0]!.subjectCommonName, '张三 (演示)');
    assert.equal(certificates[0]!.provider, 'soft');
  });

  it('verifies a signature over the issued payload and names the signer', async () => {
    const declaration = await newDeclaration();
    const data = new TextEncoder().encode(declaration.payload);
    const { signature } = await client.request('sign.data', { certId, pin: DEMO_PIN, data: toBase64(data) });
    assert.equal(opensslVerifyCms(Buffer.from(signature, 'base64'), demo.ca.certificate, data).ok, true);
    const result = await submit(declaration.id, signature);
    assert.equal(result.status, 200);
    assert.equal(result.body.verified, true);
    assert.equal(result.body.signer, '张三 (演示)');
    assert.equal(demo.db.declaration(declaration.id)?.verdict, 'VERIFIED');
  });

  it('rejects a signature over a tampered payload', async () => {
    const declaration = await newDeclaration();
    const tampered = declaration.payload.replace('"personal":"640.00"', '"personal":"6.40"');
    assert.notEqual(tampered, declaration.payload);
    const { signature } = await client.request('sign.data', { certId, pin: DEMO_PIN, data: toBase64(new TextEncoder().encode(tampered)) });
    const result = await submit(declaration.id, signature);
    assert.equal(result.status, 422);
    assert.equal(result.body.verified, false);
    assert.equal(result.body.problem, 'DIGEST_MISMATCH');
  });

  it('rejects garbage and unknown declarations with clear errors', async () => {
    const declaration = await newDeclaration();
    assert.equal((await submit(declaration.id, 'not base64!')).status, 400);
    assert.equal((await submit(declaration.id, 'AAAA')).body.problem, 'MALFORMED');
    assert.equal((await submit('nope', 'AAAA')).status, 404);
  });

  it('keeps its CA and data across a restart', async () => {
    const root = demo.ca.certificate;
    client.close();
    await demo.close();
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0 });
    client = connect(demo.agent.url, demo.portalUrl);
    assert.deepEqual(demo.ca.certificate, root);
    assert.equal((await client.request('cert.list', undefined)).certificates.length, 1);
  });
});
