// Withdrawing an application before review, and the kind and fee of an application: a first certificate keeps
// its free/media-fee rule, a holder who has had a certificate applies as a reissue (补办) for the reissue fee.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { keyIdOf, readCertificationRequest } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { CROSS_SITE_HEADERS, endingIn, finishOpen, issueTo, LI, newKey, session, submit, ZHANG } from './support/portal.js';

describe('withdrawal, and reissue fees', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-withdraw-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const consoleStatus = async (id: string) => ((await (await fetch(`${demo.portalUrl}/console/api/applications/${id}`)).json()) as { status: string }).status;

  it('withdraws a submitted application once, answers a retry the same, and staff can no longer open or decide it', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const id = String((await submit(zhang, ZHANG)).body.id);
    const withdrawn = await zhang.call('POST', `/api/sicert/v1/applications/${id}/withdrawal`, {});
    assert.deepEqual([withdrawn.status, withdrawn.body.status, withdrawn.body.kind], [200, 'withdrawn', 'new']);
    assert.deepEqual((withdrawn.body.history as { status: string }[]).map((h) => h.status), ['submitted', 'withdrawn']);
    const retry = await zhang.call('POST', `/api/sicert/v1/applications/${id}/withdrawal`, {});
    assert.deepEqual([retry.status, retry.body.status], [200, 'withdrawn']);
    for (const action of ['review', 'approve']) {
      assert.equal((await zhang.call('POST', `/console/api/applications/${id}/${action}`)).status, 409, action);
    }
    assert.equal(await consoleStatus(id), 'withdrawn');
    assert.equal((await zhang.call('GET', '/api/sicert/v1/applications/current')).body.status, 'withdrawn');
  });

  it("names the key of the application's request (keyId), so the wizard can delete it after a withdrawal or rejection", async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    await finishOpen(zhang);
    const submitted = await submit(zhang, ZHANG);
    const row = (await demo.db.sql.get<{ csr: Buffer }>('SELECT csr FROM applications WHERE id = ?', [String(submitted.body.id)]))!;
    const csr = await readCertificationRequest(new Uint8Array(row.csr));
    assert.equal(submitted.body.keyId, await keyIdOf(csr.publicKey));
    assert.match(submitted.body.keyId as string, /^[0-9a-f]{40}$/);
  });

  it('refuses to withdraw once review has started or the application is decided', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    await finishOpen(zhang);
    const reviewing = String((await submit(zhang, ZHANG)).body.id);
    await zhang.call('POST', `/console/api/applications/${reviewing}/review`);
    const late = await zhang.call('POST', `/api/sicert/v1/applications/${reviewing}/withdrawal`, {});
    assert.deepEqual([late.status, late.body.error], [409, 'WRONG_STATE']);
    assert.match(String(late.body.message), /不能撤回/);
    assert.match(String(late.body.messageEn), /can no longer be withdrawn/);
    assert.equal(await consoleStatus(reviewing), 'under_review');
    await zhang.call('POST', `/console/api/applications/${reviewing}/approve`);
    assert.equal((await zhang.call('POST', `/api/sicert/v1/applications/${reviewing}/withdrawal`, {})).status, 409);
    assert.equal(await consoleStatus(reviewing), 'approved');
  });

  it('withdraws only the caller’s own application, from the portal’s own pages', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    await finishOpen(zhang);
    const id = String((await submit(zhang, ZHANG)).body.id);
    const li = await session(demo, LI.idNumber);
    const theirs = await li.call('POST', `/api/sicert/v1/applications/${id}/withdrawal`, {});
    assert.deepEqual([theirs.status, theirs.body.error], [404, 'NOT_FOUND']);
    const anonymous = await (await session(demo)).call('POST', `/api/sicert/v1/applications/${id}/withdrawal`, {});
    assert.equal(anonymous.status, 404);
    for (const headers of CROSS_SITE_HEADERS) {
      const crossSite = await zhang.call('POST', `/api/sicert/v1/applications/${id}/withdrawal`, {}, headers);
      assert.deepEqual([crossSite.status, crossSite.body.error], [403, 'CROSS_SITE'], JSON.stringify(headers));
    }
    assert.equal(await consoleStatus(id), 'submitted');
  });

  it('a first certificate is free, however many applications came before it; a holder who has had one pays the reissue fee', async () => {
    const li = await session(demo, LI.idNumber);
    const eligibility = () => li.call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', name: LI.name, idNumber: LI.idNumber });
    assert.equal((await eligibility()).body.repeatIssue, false);
    const first = await submit(li, LI, 'usb-key');
    assert.deepEqual([first.status, first.body.kind, first.body.fee], [201, 'new', 0]);
    await li.call('POST', `/console/api/applications/${String(first.body.id)}/reject`, { reason: '照片不清晰' });
    const again = await submit(li, LI, 'usb-key');
    assert.deepEqual([again.body.kind, again.body.fee], ['new', 0], 'a rejected application is not a certificate');
    await finishOpen(li);

    await issueTo(demo, LI, (await newKey()).spki, endingIn(300));
    assert.equal((await eligibility()).body.repeatIssue, true);
    const reissue = await submit(li, LI, 'usb-key');
    assert.deepEqual([reissue.status, reissue.body.kind, reissue.body.fee], [201, 'reissue', 30]);
    assert.equal((await li.call('POST', `/api/sicert/v1/applications/${String(reissue.body.id)}/withdrawal`, {})).body.status, 'withdrawn');
    const onComputer = await submit(li, LI, 'computer');
    assert.deepEqual([onComputer.body.kind, onComputer.body.fee], ['reissue', 30], 'the reissue fee applies on either medium');
    assert.equal((await li.call('GET', `/api/sicert/v1/applications/${String(reissue.body.id)}`)).body.kind, 'reissue');
    const listed = (await (await fetch(`${demo.portalUrl}/console/api/applications`)).json()) as { id: string; kind: string }[];
    assert.equal(listed.find((a) => a.id === reissue.body.id)?.kind, 'reissue');
    await finishOpen(li);
  });

  it('counts an organisation’s certificates for the organisation, not for its handler', async () => {
    const li = await session(demo, LI.idNumber);
    const check = () =>
      li.call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', type: 'organization', name: LI.name, idNumber: LI.idNumber, mobile: LI.mobile, orgName: '示例科技有限公司', creditCode: '91110000600037341L' });
    assert.equal((await check()).body.repeatIssue, false, '李四 has had a personal certificate, the organisation none');
  });
});
