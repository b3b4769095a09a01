// The backend contract (docs/backend-api.md) against the demo server, with a real agent making the key and CSR.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { opensslCertificateText, opensslVerifyCertificate } from '@sicert/test-support/openssl';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { finishOpen } from './support/portal.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5a5a0a40000000049454e44ae426082', 'hex');
const PIN = 'Zs7k2m9q';

/** A resident ID with a correct check digit (GB 11643), born `yearsAgo` years ago today. */
function residentId(yearsAgo: number): string {
  const now = new Date();
  const birth = `${now.getFullYear() - yearsAgo}${String(now.getMonth() + 1).padStart(2, '0')}${String(Math.min(now.getDate(), 28)).padStart(2, '0')}`;
  const body = `440308${birth}123`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, weight, i) => total + Number(body[i]) * weight, 0);
  return body + '10X98765432'[sum % 11]!;
}

describe('backend contract: applications', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;
  let cookie = '';

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${demo.portalUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: demo.portalUrl, cookie, ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }

  const zhang = { name: '张三', idNumber: '11010519491231002X', cardNumber: 'A12345678', mobile: '13800138000' };

  let softToken: string | undefined;
  /** 张三's software token on this computer, made (as the wizard makes one) by the first application that needs it. */
  const softTokenId = async () => (softToken ??= (await client.request('token.create', { provider: 'soft', label: zhang.name, pin: PIN })).tokenId);

  async function upload(kind: string, data: Buffer = PNG) {
    return call('POST', '/api/sicert/v1/uploads', { region: 'demo-east', kind, fileName: `${kind}.png`, data: data.toString('base64') });
  }

  async function prepared(idempotencyKey: string) {
    const tokenId = await softTokenId();
    const key = await client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
    const { csr } = await client.request('csr.create', { tokenId, keyId: key.keyId, pin: PIN, subject: { CN: zhang.name } });
    const front = await upload('id-front');
    const back = await upload('id-back');
    const face = await call('POST', '/api/demo/face-checks', { idNumber: zhang.idNumber, applicationKey: idempotencyKey, outcome: 'pass' });
    return {
      region: 'demo-east',
      type: 'personal',
      applicant: zhang,
      materials: [
        { kind: 'id-front', uploadId: front.body.uploadId },
        { kind: 'id-back', uploadId: back.body.uploadId },
      ],
      face: { token: face.body.token },
      medium: 'computer',
      tokenId,
      csr,
    };
  }

  /**
   * A fresh application of 张三's, submitted: each test that needs one makes its own, once staff have finished the
   * one an earlier test left open (one open application per person).
   */
  async function submitted(): Promise<string> {
    await finishOpen({ call });
    const idempotencyKey = randomUUID();
    const created = await call('POST', '/api/sicert/v1/applications', await prepared(idempotencyKey), { 'Idempotency-Key': idempotencyKey });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return String(created.body.id);
  }

  /** A fresh application, reviewed and approved by staff: its certificate and chain. */
  async function approved(): Promise<{ id: string; certificate: string; chain: string[] }> {
    const id = await submitted();
    assert.equal((await call('POST', `/console/api/applications/${id}/review`)).body.status, 'under_review');
    assert.equal((await call('POST', `/console/api/applications/${id}/approve`)).body.status, 'approved');
    return (await call('GET', `/api/sicert/v1/applications/${id}`)).body as { id: string; certificate: string; chain: string[] };
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-apply-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    client = connect(demo.agent.url, demo.portalUrl);
    assert.equal((await call('POST', '/api/demo/login', { idNumber: zhang.idNumber })).status, 200);
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves region profiles that differ in fees, materials and holidays', async () => {
    const east = (await call('GET', '/api/sicert/v1/regions/demo-east')).body;
    const west = (await call('GET', '/api/sicert/v1/regions/demo-west')).body;
    assert.notDeepEqual(east.fees, west.fees);
    assert.notDeepEqual(east.materials, west.materials);
    assert.notDeepEqual(east.holidays, west.holidays);
    assert.equal((await call('GET', '/api/sicert/v1/regions/nowhere')).body.error, 'UNKNOWN_REGION');
  });

  it('checks eligibility against the records and names the field that differs', async () => {
    const ok = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...zhang });
    assert.equal(ok.body.eligible, true);
    const wrongMobile = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...zhang, mobile: '13800138001' });
    assert.deepEqual([wrongMobile.status, wrongMobile.body.error, wrongMobile.body.field], [422, 'RECORD_MISMATCH', 'mobile']);
    const elsewhere = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-west', ...zhang });
    assert.equal(elsewhere.body.error, 'NOT_INSURED');
    const badCheck = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...zhang, idNumber: '110105194912310021' });
    assert.deepEqual([badCheck.body.error, badCheck.body.field], ['INVALID_FIELD', 'idNumber']);
    // A well-formed ID of someone who turned 15 today: only the age rule can refuse it.
    const minor = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...zhang, idNumber: residentId(15) });
    assert.deepEqual([minor.status, minor.body.error, minor.body.field], [422, 'UNDER_AGE', 'idNumber']);
    const org = await call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', type: 'organization', name: '李四', idNumber: '360426199101010071', mobile: '13912345678', creditCode: '91110000600037341L', orgName: '别的公司' });
    assert.deepEqual([org.body.error, org.body.field], ['RECORD_MISMATCH', 'orgName']);
  });

  it('takes an application on someone’s behalf only from an adult agent who is the person signed in', async () => {
    const apply = async (agent: { name: string; idNumber: string }) => {
      const idempotencyKey = randomUUID();
      return call('POST', '/api/sicert/v1/applications', { ...(await prepared(idempotencyKey)), agent }, { 'Idempotency-Key': idempotencyKey });
    };
    // 代办人 must be 18: one who turned 17 this month is refused for age, one who turned 18 passes the age rule
    // (and is then refused for not being the person signed in).
    const minor = await apply({ name: '张三', idNumber: residentId(17) });
    assert.deepEqual([minor.status, minor.body.error, minor.body.field], [422, 'UNDER_AGE', 'agent.idNumber']);
    const adult = await apply({ name: '张三', idNumber: residentId(18) });
    assert.deepEqual([adult.status, adult.body.error, adult.body.field], [422, 'RECORD_MISMATCH', 'agent.idNumber']);
    const otherName = await apply({ name: '李四', idNumber: zhang.idNumber });
    assert.deepEqual([otherName.body.error, otherName.body.field], ['RECORD_MISMATCH', 'agent.idNumber']);
    // The signed-in person as agent passes; an application on someone's behalf then needs the 委托书 too.
    const self = await apply({ name: zhang.name, idNumber: zhang.idNumber });
    assert.deepEqual([self.status, self.body.error], [422, 'MATERIAL_MISSING']);
  });

  it('accepts JPEG/PNG/PDF by content, not by name, within the region size limit', async () => {
    assert.equal((await upload('id-front')).status, 201);
    assert.equal((await upload('id-front', Buffer.from('GIF89a....'))).body.error, 'UPLOAD_TYPE');
    assert.equal((await upload('id-front', Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]))).body.error, 'UPLOAD_TOO_LARGE');
  });

  it('submits exactly once per idempotency key, requires the face check, and shows the expected date', async () => {
    await finishOpen({ call });
    const idempotencyKey = randomUUID();
    const body = await prepared(idempotencyKey);
    const before = (await call('GET', '/console/api/applications')).body as unknown as unknown[];
    for (const [field, value] of [['type', "x'); DROP TABLE applications; --"], ['medium', 'floppy'], ['medium', null]] as const) {
      const refused = await call('POST', '/api/sicert/v1/applications', { ...body, [field]: value }, { 'Idempotency-Key': randomUUID() });
      assert.deepEqual([refused.status, refused.body.error, refused.body.field], [422, 'INVALID_FIELD', field], 'an unknown value is refused, not read as the default');
    }
    const noFace = await call('POST', '/api/sicert/v1/applications', { ...body, face: { token: 'forged.token' } }, { 'Idempotency-Key': idempotencyKey });
    assert.equal(noFace.body.error, 'FACE_REQUIRED');
    const otherKeysToken = await call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': randomUUID() });
    assert.equal(otherKeysToken.body.error, 'FACE_REQUIRED', 'a face token is bound to its application');
    const [first, second] = await Promise.all([
      call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': idempotencyKey }),
      call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': idempotencyKey }),
    ]);
    assert.deepEqual([first.status, second.status].sort(), [200, 201]);
    assert.equal(first.body.id, second.body.id);
    assert.equal(first.body.status, 'submitted');
    assert.match(String(first.body.expectedBy), /^\d{4}-\d\d-\d\d$/);
    const current = await call('GET', '/api/sicert/v1/applications/current');
    assert.equal(current.body.id, first.body.id);
    // Two requests with one key made one application (whatever other tests made).
    const all = (await call('GET', '/console/api/applications')).body as unknown as { id: string }[];
    assert.equal(all.filter((a) => a.id === first.body.id).length, 1);
    assert.equal(all.length, before.length + 1);
  });

  it('staff approval issues a certificate from the CSR that OpenSSL verifies, with the profile extensions', async () => {
    const id = await submitted();
    assert.equal((await call('GET', `/console/api/applications/${id}`)).body.status, 'submitted');
    const review = await call('POST', `/console/api/applications/${id}/review`);
    assert.equal(review.body.status, 'under_review');
    const approved = await call('POST', `/console/api/applications/${id}/approve`);
    assert.equal(approved.body.status, 'approved');
    const certificate = fromBase64(String(approved.body.certificate));
    assert.equal(opensslVerifyCertificate(certificate, demo.ca.certificate).ok, true);
    const text = opensslCertificateText(certificate);
    assert.match(text, /Digital Signature, Non Repudiation/);
    assert.match(text, /X509v3 Subject Key Identifier/);
    assert.match(text, /X509v3 Authority Key Identifier/);
    assert.match(text, /X509v3 CRL Distribution Points/);
    assert.match(text, /Policy: 1\.3\.6\.1\.4\.1\.55555\.1\.1/);
    assert.match(text, /Subject: C ?= ?CN, ST ?= ?.+, serialNumber ?= ?SHA256:[0-9a-f]{32}, CN ?= ?\\E5\\BC\\A0\\E4\\B8\\89/);
    assert.doesNotMatch(text, /11010519491231002X/, 'the ID number itself is not published in the certificate');
  });

  it('install: cert.install, a test signature, and the backend marks it installed', async () => {
    const app = await approved();
    const { certId } = await client.request('cert.install', { tokenId: await softTokenId(), pin: PIN, certificate: app.certificate, chain: app.chain });
    const wrong = await client.request('sign.data', { certId, pin: PIN, data: toBase64(new TextEncoder().encode('something else')) });
    const refused = await call('POST', `/api/sicert/v1/applications/${app.id}/installation`, { signature: wrong.signature });
    assert.equal(refused.body.error, 'SIGNATURE_INVALID');
    assert.match(String(refused.body.message), /安装后的测试签名/);
    assert.match(String(refused.body.messageEn), /test signature after installation/);
    // An attached signature carries its own content: it must be the challenge, not whatever the CMS holds.
    const attachedOther = await client.request('sign.data', { certId, pin: PIN, data: toBase64(new TextEncoder().encode('something else')), format: 'cms-attached' });
    assert.equal((await call('POST', `/api/sicert/v1/applications/${app.id}/installation`, { signature: attachedOther.signature })).body.error, 'SIGNATURE_INVALID');
    const { signature } = await client.request('sign.data', { certId, pin: PIN, data: toBase64(new TextEncoder().encode(`sicert-install:${app.id}`)) });
    const installed = await call('POST', `/api/sicert/v1/applications/${app.id}/installation`, { signature });
    assert.equal(installed.body.status, 'installed');
  });

  it('rejection carries the reason, and everything survives a restart', async () => {
    const id = await submitted();
    assert.equal((await call('POST', `/console/api/applications/${id}/reject`, { reason: '' })).body.field, 'reason');
    const rejected = await call('POST', `/console/api/applications/${id}/reject`, { reason: '身份证照片不清晰，请重新上传' });
    assert.equal(rejected.body.status, 'rejected');
    client.close();
    await demo.close();
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    client = connect(demo.agent.url, demo.portalUrl);
    const again = await call('GET', `/api/sicert/v1/applications/${id}`);
    assert.equal(again.body.status, 'rejected');
    assert.equal(again.body.rejectReason, '身份证照片不清晰，请重新上传');
    const listed = (await call('GET', '/console/api/applications')).body as unknown as { id: string; status: string }[];
    assert.deepEqual(listed.filter((a) => a.id === id).map((a) => a.status), ['rejected']);
  });
});
