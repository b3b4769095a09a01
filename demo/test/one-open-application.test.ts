// One open application per person (issue 8's review): a second application while one is submitted, under review,
// or approved and not installed is refused (APPLICATION_OPEN), online and at the hall counter, so nobody gets a
// second certificate as a free "first issue"; the kind and fee are decided in the transaction that records it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSignedData, fromBase64, toBase64 } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { applicationBody, csrFor, endingIn, finishOpen, issueTo, LI, newKey, ORG, PNG, session, submit, ZHANG, type Answer, type Body, type Call } from './support/portal.js';

describe('one open application per person', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-one-open-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A refusal because of an open application, in both languages. */
  function assertOpen(answer: Answer, advice: RegExp): void {
    assert.deepEqual([answer.status, answer.body.error], [409, 'APPLICATION_OPEN'], answer.text);
    assert.match(String(answer.body.message), /^您已有一份办理中的申请/);
    assert.match(String(answer.body.messageEn), /^You already have an application in progress/);
    assert.match(`${String(answer.body.message)} ${String(answer.body.messageEn)}`, advice);
  }

  const consoleCall = async (s: { call: Call }, id: unknown, action: string, body: Body = {}) => s.call('POST', `/console/api/applications/${String(id)}/${action}`, body);

  /** Installs an approved application's certificate with its key, as the wizard does after cert.install. */
  async function install(s: { call: Call }, application: Body, signer: Awaited<ReturnType<typeof newKey>>['signer']): Promise<Answer> {
    const content = new TextEncoder().encode(`sicert-install:${String(application.id)}`);
    const proof = await createSignedData({ content, certificate: fromBase64(String(application.certificate)) }, signer);
    return s.call('POST', `/api/sicert/v1/applications/${String(application.id)}/installation`, { signature: toBase64(proof) });
  }

  it('the reviewer’s case: B while A is pending is refused, and after A is installed B is a reissue with the fee', async () => {
    const li = await session(demo, LI.idNumber);
    const keyOfA = randomUUID();
    const bodyOfA = await applicationBody(li, LI, keyOfA, 'usb-key');
    const a = await li.call('POST', '/api/sicert/v1/applications', bodyOfA, { 'Idempotency-Key': keyOfA });
    assert.deepEqual([a.status, a.body.kind, a.body.fee], [201, 'new', 0]);
    assertOpen(await submit(li, LI, 'usb-key'), /撤回[\s\S]*withdraw/);
    const retryOfA = await li.call('POST', '/api/sicert/v1/applications', bodyOfA, { 'Idempotency-Key': keyOfA });
    assert.deepEqual([retryOfA.status, retryOfA.body.id], [200, a.body.id], 'a retry of A itself is answered with A');
    assert.equal((await li.call('POST', `/api/sicert/v1/applications/${String(a.body.id)}/withdrawal`, {})).body.status, 'withdrawn');

    const keyA2 = await newKey();
    const again = randomUUID();
    const a2 = await li.call('POST', '/api/sicert/v1/applications', { ...(await applicationBody(li, LI, again, 'usb-key')), csr: await csrFor(keyA2, LI.name) }, { 'Idempotency-Key': again });
    assert.deepEqual([a2.status, a2.body.kind, a2.body.fee], [201, 'new', 0], 'a withdrawn application is not open');
    assert.equal((await consoleCall(li, a2.body.id, 'review')).body.status, 'under_review');
    assertOpen(await submit(li, LI, 'usb-key'), /正在审核[\s\S]*under review/);
    const approved = await consoleCall(li, a2.body.id, 'approve');
    assert.equal(approved.body.status, 'approved');
    assertOpen(await submit(li, LI, 'usb-key'), /安装证书[\s\S]*install its certificate/);
    assert.equal((await li.call('GET', '/api/sicert/v1/applications/current')).body.id, a2.body.id, 'the application in progress is the current one');

    assert.equal((await install(li, approved.body, keyA2.signer)).body.status, 'installed');
    const b = await submit(li, LI, 'usb-key');
    assert.deepEqual([b.status, b.body.kind, b.body.fee], [201, 'reissue', 30], 'the second certificate is a reissue, for the fee');
    await finishOpen(li);
  });

  it('an approved application whose certificate was reported lost before installation no longer counts; the next is a reissue', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const first = await submit(zhang, ZHANG, 'usb-key');
    const approved = await consoleCall(zhang, first.body.id, 'approve');
    assertOpen(await submit(zhang, ZHANG), /挂失[\s\S]*report that certificate lost/);
    const serial = (await demo.certificates.ownedBy(ZHANG.idNumber)).find((c) => c.applicationId === approved.body.id)!.serial;
    assert.equal((await zhang.call('POST', `/api/sicert/v1/certificates/${serial}/loss`, {})).status, 200);
    const next = await submit(zhang, ZHANG);
    assert.deepEqual([next.status, next.body.kind, next.body.fee], [201, 'reissue', 30]);
    await finishOpen(zhang);
  });

  it('two submissions at once with different keys: one application, decided inside the transaction', async () => {
    const li = await session(demo, LI.idNumber);
    const bodies = await Promise.all([randomUUID(), randomUUID()].map(async (key) => ({ key, body: await applicationBody(li, LI, key) })));
    const answers = await Promise.all(bodies.map(({ key, body }) => li.call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': key })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409], answers.map((a) => a.text).join('\n'));
    const open = (await demo.db.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM applications WHERE owner = ? AND status = 'submitted'", [LI.idNumber]))!;
    assert.equal(open.n, 1);
    await finishOpen(li);
  });

  /** A complete application body filed by `s` for `applicant` (on their behalf with `agent`, or for `organization`). */
  async function filed(s: { call: Call }, applicant: typeof ZHANG, key: string, extra: { agent?: Body; organization?: typeof ORG }): Promise<Body> {
    const kinds = extra.organization ? ['application-form', 'business-licence', 'handler-id', 'authorization-letter'] : ['id-front', 'id-back', 'power-of-attorney', 'agent-id'];
    const upload = async (kind: string) => ({ kind, uploadId: String((await s.call('POST', '/api/sicert/v1/uploads', { region: 'demo-east', kind, fileName: `${kind}.png`, data: PNG.toString('base64') })).body.uploadId) });
    const face = await s.call('POST', '/api/demo/face-checks', { idNumber: applicant.idNumber, applicationKey: key, outcome: 'pass' });
    const materials = await Promise.all(kinds.map(upload));
    const type = extra.organization ? 'organization' : 'personal';
    return { region: 'demo-east', type, applicant, ...extra, materials, face: { token: face.body.token }, medium: 'computer', tokenId: 'soft-x', csr: await csrFor(await newKey(), applicant.name) };
  }
  const post = async (s: { call: Call }, applicant: typeof ZHANG, extra: { agent?: Body; organization?: typeof ORG }) => {
    const key = randomUUID();
    return s.call('POST', '/api/sicert/v1/applications', await filed(s, applicant, key, extra), { 'Idempotency-Key': key });
  };

  it('counts every application of the holder, whoever filed it, and every application the person filed, whoever it is for', async () => {
    const li = await session(demo, LI.idNumber);
    const zhang = await session(demo, ZHANG.idNumber);
    const onBehalf = await post(li, ZHANG, { agent: { name: LI.name, idNumber: LI.idNumber } });
    assert.deepEqual([onBehalf.status, onBehalf.body.onBehalf], [201, true], onBehalf.text);
    assertOpen(await submit(zhang, ZHANG), /不是用您的账号提交[\s\S]*not filed from your account/);
    assertOpen(await submit(li, LI), /撤回[\s\S]*withdraw/);
    assert.equal((await li.call('POST', `/api/sicert/v1/applications/${String(onBehalf.body.id)}/withdrawal`, {})).body.status, 'withdrawn');

    const forOrg = await post(li, LI, { organization: ORG });
    assert.deepEqual([forOrg.status, forOrg.body.type], [201, 'organization'], forOrg.text);
    assertOpen(await post(zhang, ZHANG, { organization: ORG }), /不是用您的账号提交/);
    assertOpen(await submit(li, LI), /撤回/);
    await finishOpen(li);
    assert.equal((await submit(zhang, ZHANG)).status, 201, 'another person, another holder');
    await finishOpen(zhang);
  });

  it('refuses at the eligibility step already, before a key is made, for the person signed in or their organisation only', async () => {
    const li = await session(demo, LI.idNumber);
    const zhang = await session(demo, ZHANG.idNumber);
    const pending = await submit(li, LI);
    const eligibility = (s: { call: Call }, body: Body) => s.call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...body });
    assertOpen(await eligibility(li, { name: LI.name, idNumber: LI.idNumber }), /撤回/);
    assertOpen(await eligibility(li, { name: ZHANG.name, idNumber: ZHANG.idNumber }), /撤回/);
    // 张三 naming 李四 (as an agent would) learns nothing of 李四's application here; submitting for him would say.
    assert.deepEqual([(await eligibility(zhang, { name: LI.name, idNumber: LI.idNumber })).status], [200]);
    await li.call('POST', `/api/sicert/v1/applications/${String(pending.body.id)}/withdrawal`, {});
    const forOrg = await post(li, LI, { organization: ORG });
    assert.equal(forOrg.status, 201);
    const asHandler = await eligibility(zhang, { type: 'organization', name: ZHANG.name, idNumber: ZHANG.idNumber, mobile: ZHANG.mobile, orgName: ORG.orgName, creditCode: ORG.creditCode });
    assertOpen(asHandler, /不是用您的账号提交/);
    await finishOpen(li);
  });

  it('the hall counter: no on-site USB-Key while an application is open online, and none online while the hall’s is not installed', async () => {
    const staff = await session(demo);
    const zhang = await session(demo, ZHANG.idNumber);
    const online = await submit(zhang, ZHANG);
    const identity = await staff.call('POST', '/console/api/hall/identity', { name: ZHANG.name, idNumber: ZHANG.idNumber });
    assert.deepEqual([(identity.body.openApplication as Body).id, (identity.body.openApplication as Body).status, (identity.body.openApplication as Body).filedByOther], [online.body.id, 'submitted', false]);
    const key = await newKey();
    const usbKey = { name: ZHANG.name, idNumber: ZHANG.idNumber, tokenId: 'p11-0123456789abcdef', csr: await csrFor(key, ZHANG.name) };
    assertOpen(await staff.call('POST', '/console/api/hall/usb-key', usbKey, { 'Idempotency-Key': randomUUID() }), /撤回/);
    assert.equal((await zhang.call('POST', `/api/sicert/v1/applications/${String(online.body.id)}/withdrawal`, {})).status, 200);

    const made = await staff.call('POST', '/console/api/hall/usb-key', usbKey, { 'Idempotency-Key': randomUUID() });
    assert.deepEqual([made.status, made.body.status, made.body.kind], [201, 'approved', 'reissue'], made.text);
    assert.equal((await staff.call('POST', '/console/api/hall/identity', { name: ZHANG.name, idNumber: ZHANG.idNumber })).body.openApplication !== null, true);
    assertOpen(await submit(zhang, ZHANG), /安装证书/);
    assertOpen(await staff.call('POST', '/console/api/hall/usb-key', { ...usbKey, csr: await csrFor(await newKey(), ZHANG.name) }, { 'Idempotency-Key': randomUUID() }), /安装证书/);
    const proof = await createSignedData({ content: new TextEncoder().encode(`sicert-install:${String(made.body.id)}`), certificate: fromBase64(String(made.body.certificate)) }, key.signer);
    assert.equal((await staff.call('POST', `/console/api/hall/usb-key/${String(made.body.id)}/installation`, { signature: toBase64(proof) })).body.status, 'installed');
    assert.equal((await staff.call('POST', '/console/api/hall/identity', { name: ZHANG.name, idNumber: ZHANG.idNumber })).body.openApplication, null);
  });

  it('a renewal is outside the rule: it neither waits for an open application nor blocks one', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const pending = await submit(zhang, ZHANG);
    assert.equal(pending.status, 201, pending.text);
    const key = await newKey();
    const current = await issueTo(demo, ZHANG, key.spki, endingIn(10));
    const csr = await csrFor(await newKey(), ZHANG.name);
    const signature = toBase64(await createSignedData({ content: fromBase64(csr), certificate: current.der }, key.signer));
    const renewal = await zhang.call('POST', '/api/sicert/v1/renewals', { serialNumber: current.serial, tokenId: 'usb-1', csr, signature }, { 'Idempotency-Key': randomUUID() });
    assert.deepEqual([renewal.status, renewal.body.kind], [201, 'renewal'], renewal.text);
    assert.equal((await zhang.call('GET', '/api/sicert/v1/applications/current')).body.id, pending.body.id, 'the current application is the open one, not the later renewal');
    assert.equal((await zhang.call('POST', `/api/sicert/v1/applications/${String(pending.body.id)}/withdrawal`, {})).status, 200);
    assert.equal((await submit(zhang, ZHANG)).status, 201, 'an approved renewal not installed yet does not block a new application');
    await finishOpen(zhang);
  });
});
