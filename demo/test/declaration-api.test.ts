import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { subjectSerial } from '../server/applications-api.js';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { DEMO_PIN } from '../server/provision.js';
import type { Declaration } from '../server/declaration.js';

const ZHANG = '11010519491231002X';
const LI = '360426199101010071';

interface Answer {
  status: number;
  body: { verified?: boolean; problem?: string; signer?: string; error?: string; message?: string };
}

describe('demo portal: declaration signatures', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;
  let certId: string;
  let liCertId: string;

  /** A browser-like session: its own sign-in cookie, and the portal's Origin on every request. */
  async function session(idNumber: string | undefined) {
    let cookie = '';
    const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
      const response = await fetch(`${demo.portalUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', origin: demo.portalUrl, cookie },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0]!;
      return { status: response.status, body: (await response.json()) as Answer['body'] };
    };
    if (idNumber) assert.equal((await call('POST', '/api/demo/login', { idNumber })).status, 200);
    return {
      call,
      newDeclaration: async () => (await call('POST', '/api/declarations', {})).body as unknown as Declaration,
      submit: (id: string, signature: string) => call('POST', `/api/declarations/${id}/signature`, { signature }),
    };
  }

  async function sign(payload: string, options: { certId?: string; format?: 'cms-attached' } = {}): Promise<string> {
    const data = toBase64(new TextEncoder().encode(payload));
    return (await client.request('sign.data', { certId: options.certId ?? certId, pin: DEMO_PIN, data, ...(options.format ? { format: options.format } : {}) })).signature;
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-demo-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0 });
    client = connect(demo.agent.url, demo.portalUrl);
    // 张三's demo certificate (陈明's, the one near expiry, sits beside it).
    certId = (await client.request('cert.list', undefined)).certificates.find((c) => c.subjectCommonName === '张三 (演示)')!.id;
    // 李四's own valid certificate from the same CA, on the same computer (in a token of his own).
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: '李四', pin: DEMO_PIN });
    const key = await client.request('key.generate', { tokenId, pin: DEMO_PIN, algorithm: 'ECDSA-P256' });
    const certificate = await demo.ca.issue({ C: 'CN', serialNumber: subjectSerial(LI), CN: '李四' }, Buffer.from(key.publicKey, 'base64'));
    liCertId = (await client.request('cert.install', { tokenId, pin: DEMO_PIN, certificate: toBase64(certificate) })).certId;
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('provisions a demo certificate for 张三 from the demo CA on first start, once', async () => {
    const { certificates } = await client.request('cert.list', undefined);
    const demoCert = certificates.find((c) => c.id === certId)!;
    assert.equal(demoCert.subjectCommonName, '张三 (演示)');
    assert.match(demoCert.subject, new RegExp(`serialNumber=${subjectSerial(ZHANG)}`));
    assert.equal(demoCert.provider, 'soft');
  });

  it('opens declarations only for the signed-in person, and names them in the signed payload', async () => {
    assert.equal((await (await session(undefined)).call('POST', '/api/declarations', {})).status, 401);
    const declaration = await (await session(ZHANG)).newDeclaration();
    assert.match(declaration.payload, /"insured":"张三","idNumber":"11010519491231002X"/);
    assert.equal((await demo.db.declaration(declaration.id))?.owner, ZHANG);
    assert.equal((await (await session(ZHANG)).call('POST', '/api/declarations', { organization: '91110000600037341L' })).body.error, 'NOT_DECLARANT');
  });

  it('verifies 张三’s signature over his declaration and names the signer', async () => {
    const zhang = await session(ZHANG);
    const declaration = await zhang.newDeclaration();
    const signature = await sign(declaration.payload);
    assert.equal(opensslVerifyCms(Buffer.from(signature, 'base64'), demo.ca.certificate, new TextEncoder().encode(declaration.payload)).ok, true);
    const result = await zhang.submit(declaration.id, signature);
    assert.deepEqual([result.status, result.body.verified, result.body.signer], [200, true, '张三 (演示)']);
    assert.equal((await demo.db.declaration(declaration.id))?.verdict, 'VERIFIED');
  });

  it('refuses another holder’s valid certificate on 张三’s declaration, and keeps nothing of it', async () => {
    const zhang = await session(ZHANG);
    const declaration = await zhang.newDeclaration();
    const result = await zhang.submit(declaration.id, await sign(declaration.payload, { certId: liCertId }));
    assert.deepEqual([result.status, result.body.verified, result.body.problem], [422, false, 'WRONG_SIGNER']);
    assert.match(result.body.message ?? '', /不属于本申报单的申报人/);
    const row = (await demo.db.declaration(declaration.id))!;
    assert.deepEqual([row.verdict, row.signature], ['WRONG_SIGNER', null]);
    // 李四 cannot reach 张三's declaration at all.
    assert.equal((await (await session(LI)).submit(declaration.id, await sign(declaration.payload, { certId: liCertId }))).body.error, 'NO_DECLARATION');
  });

  it('refuses an attached signature of declaration A posted to declaration B', async () => {
    const zhang = await session(ZHANG);
    const a = await zhang.newDeclaration();
    const b = await zhang.newDeclaration();
    const signedA = await sign(a.payload, { format: 'cms-attached' });
    const result = await zhang.submit(b.id, signedA);
    assert.deepEqual([result.status, result.body.verified, result.body.problem], [422, false, 'CONTENT_MISMATCH']);
    assert.notEqual((await demo.db.declaration(b.id))?.verdict, 'VERIFIED');
    assert.equal((await zhang.submit(a.id, signedA)).body.verified, true, 'the same signature is good for A');
  });

  it('never overwrites a verified declaration: garbage, a replay and a race all get 409 and the signature stays', async () => {
    const zhang = await session(ZHANG);
    const declaration = await zhang.newDeclaration();
    const signature = await sign(declaration.payload);
    assert.equal((await zhang.submit(declaration.id, signature)).status, 200);
    const garbage = await zhang.submit(declaration.id, 'AAAA');
    assert.deepEqual([garbage.status, garbage.body.error], [409, 'ALREADY_SIGNED']);
    assert.equal((await zhang.submit(declaration.id, signature)).status, 409);
    const row = (await demo.db.declaration(declaration.id))!;
    assert.deepEqual([row.verdict, row.signature], ['VERIFIED', signature]);

    const raced = await zhang.newDeclaration();
    const [one, two] = [await sign(raced.payload), await sign(raced.payload)];
    const statuses = (await Promise.all([zhang.submit(raced.id, one), zhang.submit(raced.id, two)])).map((r) => r.status);
    assert.deepEqual(statuses.sort(), [200, 409]);
    assert.ok([one, two].includes((await demo.db.declaration(raced.id))!.signature!));
  });

  it('rejects a signature over a tampered payload', async () => {
    const zhang = await session(ZHANG);
    const declaration = await zhang.newDeclaration();
    const tampered = declaration.payload.replace('"personal":"640.00"', '"personal":"6.40"');
    assert.notEqual(tampered, declaration.payload);
    const result = await zhang.submit(declaration.id, await sign(tampered));
    assert.deepEqual([result.status, result.body.verified, result.body.problem], [422, false, 'DIGEST_MISMATCH']);
  });

  it('rejects garbage and unknown declarations with clear errors', async () => {
    const zhang = await session(ZHANG);
    const declaration = await zhang.newDeclaration();
    assert.equal((await zhang.submit(declaration.id, 'not base64!')).status, 400);
    assert.equal((await zhang.submit(declaration.id, 'AAAA')).body.problem, 'MALFORMED');
    assert.equal((await zhang.submit('nope', 'AAAA')).status, 404);
  });

  it('keeps its CA and data across a restart', async () => {
    const root = demo.ca.certificate;
    client.close();
    await demo.close();
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0 });
    client = connect(demo.agent.url, demo.portalUrl);
    assert.deepEqual(demo.ca.certificate, root);
    // The two demo certificates (张三's and 陈明's) and 李四's: nothing provisioned again, nothing lost.
    assert.equal((await client.request('cert.list', undefined)).certificates.length, 3);
  });
});
