// What a real portal copies from the demo: state changes only from its own pages, GET that changes nothing,
// uploads and idempotency keys bound to their owner and request, and errors that are JSON with nothing inside.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { jsonErrorHandler } from '../server/json-errors.js';
import { finishOpen, PNG, session as portalSession, type Body } from './support/portal.js';

const PIN = 'Zs7k2m9q';
const zhang = { name: '张三', idNumber: '11010519491231002X', cardNumber: 'A12345678', mobile: '13800138000' };
const LI = '360426199101010071';

/** Nothing of the server's insides: no stack frame, no file path, no exception text. */
function assertBareJsonError(answer: { text: string; type: string | null }, code: string): void {
  assert.match(answer.type ?? '', /application\/json/);
  assert.equal((JSON.parse(answer.text) as Body).error, code);
  assert.doesNotMatch(answer.text, /\bat |\/work|node_modules|\.ts\b|\.js\b|Error:/);
}

describe('demo portal hardening', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;

  async function session(idNumber: string) {
    const { call } = await portalSession(demo, idNumber);
    const upload = async (kind: string) => String((await call('POST', '/api/sicert/v1/uploads', { region: 'demo-east', kind, fileName: `${kind}.png`, data: PNG.toString('base64') })).body.uploadId);
    return { call, upload };
  }

  let softToken: string | undefined;
  /** 张三's software token on this computer, made (as the wizard makes one) by the first application that needs it. */
  const softTokenId = async () => (softToken ??= (await client.request('token.create', { provider: 'soft', label: zhang.name, pin: PIN })).tokenId);

  /** A complete personal application body for 张三 under `key`. */
  async function application(s: Awaited<ReturnType<typeof session>>, key: string, extraMaterials: { kind: string; uploadId: string }[] = []): Promise<Body> {
    const tokenId = await softTokenId();
    const generated = await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
    const { csr } = await client.request('csr.create', { tokenId, keyId: generated.keyId, pin: PIN, subject: { CN: zhang.name } });
    const face = await s.call('POST', '/api/demo/face-checks', { idNumber: zhang.idNumber, applicationKey: key, outcome: 'pass' });
    const materials = [{ kind: 'id-front', uploadId: await s.upload('id-front') }, { kind: 'id-back', uploadId: await s.upload('id-back') }, ...extraMaterials];
    return { region: 'demo-east', type: 'personal', applicant: zhang, materials, face: { token: face.body.token }, medium: 'computer', tokenId, csr };
  }

  /** A fresh application, once staff have finished the one an earlier test left open (one per person). */
  async function submitted(s: Awaited<ReturnType<typeof session>>): Promise<string> {
    await finishOpen(s);
    const key = randomUUID();
    const created = await s.call('POST', '/api/sicert/v1/applications', await application(s, key), { 'Idempotency-Key': key });
    assert.equal(created.status, 201, created.text);
    return String(created.body.id);
  }

  const status = async (id: string) => (await fetch(`${demo.portalUrl}/console/api/applications/${id}`)).json().then((a: Body) => a.status);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-hardening-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    client = connect(demo.agent.url, demo.portalUrl);
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses state changes from another origin, a cross-site fetch, or no origin at all (CROSS_SITE)', async () => {
    const s = await session(zhang.idNumber);
    const id = await submitted(s);
    const attempts: Record<string, string>[] = [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: '' }];
    for (const headers of attempts) {
      const approve = await s.call('POST', `/console/api/applications/${id}/approve`, {}, headers);
      assert.equal(approve.status, 403, JSON.stringify(headers));
      assertBareJsonError(approve, 'CROSS_SITE');
    }
    assert.equal(await status(id), 'submitted', 'no certificate was issued');
    const login = await s.call('POST', '/api/demo/login', { idNumber: LI }, { origin: 'http://evil.example' });
    assert.equal(login.status, 403);
    assert.equal((await s.call('POST', `/console/api/applications/${id}/approve`)).body.status, 'approved', 'the portal’s own origin may');
  });

  it('a GET never changes an application; starting a review is an explicit POST', async () => {
    const s = await session(zhang.idNumber);
    const id = await submitted(s);
    assert.equal(await status(id), 'submitted');
    assert.equal(await status(id), 'submitted');
    assert.equal((await s.call('POST', `/console/api/applications/${id}/review`)).body.status, 'under_review');
    assert.equal(await status(id), 'under_review');
    assert.equal((await s.call('POST', `/console/api/applications/${id}/reject`, { reason: '测试' })).body.status, 'rejected');
  });

  it('refuses another applicant’s upload id among the materials, required or not, and leaves that upload alone', async () => {
    const li = await session(LI);
    const theirs = await li.upload('photo');
    const s = await session(zhang.idNumber);
    const key = randomUUID();
    const answer = await s.call('POST', '/api/sicert/v1/applications', await application(s, key, [{ kind: 'photo', uploadId: theirs }]), { 'Idempotency-Key': key });
    assert.deepEqual([answer.status, answer.body.error, answer.body.field], [422, 'MATERIAL_MISSING', 'photo']);
    const row = (await demo.db.sql.get<{ application_id: string | null }>('SELECT application_id FROM uploads WHERE id = ?', [theirs]))!;
    assert.equal(row.application_id, null);
  });

  it('binds an organisation’s handler and a 委托代办 agent to the person signed in', async () => {
    const zhao = await session('440308198503151210');
    const li = { name: '李四', idNumber: LI, mobile: '13912345678' };
    const asHandler = await zhao.call('POST', '/api/sicert/v1/applications', { region: 'demo-east', type: 'organization', applicant: li, organization: { orgName: '示例科技有限公司', creditCode: '91110000600037341L' } }, { 'Idempotency-Key': randomUUID() });
    assert.equal(asHandler.status, 422, asHandler.text);
    assert.deepEqual([asHandler.body.error, asHandler.body.field], ['RECORD_MISMATCH', 'idNumber']);

    const s = await session(LI);
    const onBehalf = (agent: Body) => s.call('POST', '/api/sicert/v1/applications', { region: 'demo-east', type: 'personal', applicant: zhang, agent }, { 'Idempotency-Key': randomUUID() });
    const someoneElse = await onBehalf({ name: '赵敏', idNumber: '440308198503151210' });
    assert.deepEqual([someoneElse.body.error, someoneElse.body.field], ['RECORD_MISMATCH', 'agent.idNumber']);
    // Naming himself, 李四 gets past the identity check and on to the 委托代办 materials.
    assert.equal((await onBehalf({ name: '李四', idNumber: LI })).body.error, 'MATERIAL_MISSING');
  });

  it('decides an application once: concurrent approvals issue one certificate, and approve and reject never both', async () => {
    const s = await session(zhang.idNumber);
    const issued = async () => (await demo.db.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM issued_certificates'))!.n;
    const before = await issued();
    const id = await submitted(s);
    const approvals = await Promise.all(Array.from({ length: 5 }, () => s.call('POST', `/console/api/applications/${id}/approve`)));
    assert.deepEqual(approvals.map((a) => a.status).sort(), [200, 409, 409, 409, 409]);
    assert.equal(await issued(), before + 1, 'one certificate');

    const other = await submitted(s);
    const [approve, reject] = await Promise.all([s.call('POST', `/console/api/applications/${other}/approve`), s.call('POST', `/console/api/applications/${other}/reject`, { reason: '材料不清晰' })]);
    assert.deepEqual([approve.status, reject.status].sort(), [200, 409]);
    const history = ((await s.call('GET', `/api/sicert/v1/applications/${other}`)).body.history as { status: string }[]).map((h) => h.status);
    assert.equal(history.filter((h) => h === 'approved' || h === 'rejected').length, 1, history.join(' > '));
  });

  it('answers only to its own Host (DNS rebinding), and a body-less POST with a 4xx', async () => {
    const port = new URL(demo.portalUrl).port;
    const rebound = await new Promise<{ status: number; text: string; type: string | null }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/console/api/applications', headers: { host: `rebind.attacker.example:${port}` } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: res.headers['content-type'] ?? null }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(rebound.status, 421);
    assertBareJsonError(rebound, 'WRONG_HOST');
    assert.equal((await fetch(`${demo.portalUrl.replace('127.0.0.1', 'localhost')}/config.json`)).status, 200, 'localhost is the portal too');
    const s = await session(zhang.idNumber);
    const noBody = await s.call('POST', '/api/demo/login', undefined, { 'content-type': '' });
    assert.equal(noBody.status, 404);
    const id = await submitted(s);
    const reject = await s.call('POST', `/console/api/applications/${id}/reject`, undefined, { 'content-type': '' });
    assert.deepEqual([reject.status, reject.body.error], [422, 'INVALID_FIELD']);
  });

  it('answers a loopback Host without a port, byte for byte as OpenSSL 3 asks for a CRL, and refuses other names', async () => {
    const port = Number(new URL(demo.portalUrl).port);
    /** The status line of a raw HTTP/1.0 request with exactly these header lines. */
    const statusOf = (head: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connectTcp(port, '127.0.0.1', () => socket.write(`GET /crl HTTP/1.0\r\n${head}\r\n\r\n`));
        socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
        socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
        socket.on('error', reject);
      });
    // What `openssl verify -crl_check -crl_download` sends for http://127.0.0.1:<port>/crl (seen on the wire).
    assert.equal(await statusOf('Host: 127.0.0.1'), 'HTTP/1.1 200 OK');
    for (const host of ['localhost', '[::1]', `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST']) assert.equal(await statusOf(`Host: ${host}`), 'HTTP/1.1 200 OK', host);
    for (const host of ['rebind.attacker.example', `rebind.attacker.example:${port}`, `127.0.0.1:${port + 1}`, 'localhost:80', '127.0.0.2', '127.0.0.1.attacker.example', '']) {
      assert.equal(await statusOf(`Host: ${host}`), 'HTTP/1.1 421 Misdirected Request', host);
    }
    assert.equal(await statusOf('X-Nothing: 1'), 'HTTP/1.1 421 Misdirected Request', 'no Host at all');
  });

  it('answers 409 when an Idempotency-Key comes back with a different request', async () => {
    const s = await session(zhang.idNumber);
    await finishOpen(s);
    const key = randomUUID();
    const body = await application(s, key);
    const first = await s.call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': key });
    assert.equal(first.status, 201);
    const retry = await s.call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': key });
    assert.deepEqual([retry.status, retry.body.id], [200, first.body.id]);
    const different = await s.call('POST', '/api/sicert/v1/applications', { ...body, medium: 'usb-key' }, { 'Idempotency-Key': key });
    assert.equal(different.status, 409);
    assertBareJsonError(different, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('answers malformed, oversized and unknown requests with the API’s JSON error, never a stack trace', async () => {
    const s = await session(zhang.idNumber);
    const malformed = await s.call('POST', '/api/declarations', '{"organization": ');
    assert.equal(malformed.status, 400);
    assertBareJsonError(malformed, 'MALFORMED_REQUEST');
    const tooLarge = await s.call('POST', '/api/declarations', { organization: 'x'.repeat(2 * 1024 * 1024) });
    assert.equal(tooLarge.status, 413);
    assertBareJsonError(tooLarge, 'PAYLOAD_TOO_LARGE');
    const consoleMalformed = await s.call('POST', '/console/api/applications/x/reject', '{');
    assert.equal(consoleMalformed.status, 400);
    assertBareJsonError(consoleMalformed, 'MALFORMED_REQUEST');
    const unknown = await s.call('GET', '/api/sicert/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assertBareJsonError(unknown, 'UNKNOWN_ENDPOINT');
  });

  it('answers an unexpected failure as a bare 500 JSON error', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error(`failed in ${import.meta.url}`);
    });
    app.use(jsonErrorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
      assert.equal(response.status, 500);
      assertBareJsonError({ text: await response.text(), type: response.headers.get('content-type') }, 'INTERNAL');
    } finally {
      server.close();
    }
  });
});
