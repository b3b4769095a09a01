// The demo end to end, batch mode: 李四, the handler of 示例科技有限公司, opens the organisation's declaration page,
// takes the offer to sign every insurance's declaration of this period at once, reads the list in <sicert-signer>,
// consents once, types the certificate password once; the agent signs them all (one sign.batch), and the portal
// verifies each against its own declaration and the organisation. On this computer are also the demo's personal
// certificates (张三's, 陈明's): the page steers to the organisation's, and a batch signed with 张三's anyway is
// refused item by item, unmistakably, and signed again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import type { RunningDemo } from '../server/demo.js';
import { summarizeCertificate } from '@sicert/pki';
import { DEMO_HOLDER, DEMO_PIN, demoLabel } from '../server/provision.js';
import { organizationHandler } from '../test/support/org-handler.js';
import { LI, ORG } from '../test/support/portal.js';
import { screenshot } from './browser.js';
import { startHarness, type Harness } from './harness.js';

describe('demo: an organisation handler signs all pending declarations at once', () => {
  let harness: Harness;
  let demo: RunningDemo;
  let client: AgentClient;
  let orgCertId: string;

  before(async () => {
    harness = await startHarness('sicert-e2e-batch', { provisionDemoCertificate: true });
    demo = harness.demo;
    client = connect(demo.agent.url, demo.portalUrl);
    orgCertId = await organizationHandler(demo, client, LI, ORG, DEMO_PIN);
  });
  after(async () => {
    client.close();
    await harness.dispose();
  });

  it('lists the declarations, signs them with one password, and the server accepts each, signed by the organisation', async () => {
    const page = await harness.browser.newPage({ viewport: { width: 900, height: 1000 } });
    await page.goto(`${demo.portalUrl}/declaration`);
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', LI.idNumber);
    await page.click('#login button[type=submit]');
    await page.locator('#declarant-row:not([hidden])').waitFor();
    await page.selectOption('#declarant', ORG.creditCode);
    await page.locator('#batch-offer:not([hidden])').waitFor();
    await page.click('#batch-link');

    // Every declaration of the period, in the page's table and in the signer's list, before any password.
    const rows = page.locator('#batch-rows tr');
    await rows.nth(3).waitFor();
    assert.equal(await rows.count(), 4);
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id ?? ''));
    const signer = page.locator('sicert-signer');
    await signer.locator('sicert-cert-picker input[type=radio]').first().waitFor();
    assert.equal(await signer.locator('#summary-label').textContent(), '您将签署以下 4 项');
    const summaries = await signer.locator('[part=item] .text').allTextContents();
    assert.deepEqual(
      summaries.map((s) => /：(.+?)，/.exec(s)?.[1]),
      ['城镇职工基本养老保险', '职工基本医疗保险', '失业保险', '工伤保险'],
    );
    for (const [i, id] of ids.entries()) assert.equal(summaries[i], (await demo.db.declaration(id))!.summary);
    await screenshot(page, 'declarations-batch-list');

    // The organisation's certificate is preselected and named by the page, not 张三's personal one listed first.
    assert.equal(await signer.locator(`sicert-cert-picker input[value="${orgCertId}"]`).isChecked(), true);
    assert.equal(await page.locator('#signer-hint').textContent(), `请用本单位的证书签名：“${ORG.orgName} (${LI.name})”。用个人证书签名，网站不予受理。`);

    // Signed with 张三's certificate anyway: the signer made 4 signatures, the website refuses each, and says so.
    const zhangCert = (await demo.agent.softToken!.listCertificates()).find((c) => summarizeCertificate(c.der).subjectCommonName === demoLabel(DEMO_HOLDER))!;
    await signer.locator(`sicert-cert-picker input[value="${zhangCert.id}"]`).check();
    await signer.locator('[part=consent] input').check();
    await signer.locator('sicert-pin-input input').fill(DEMO_PIN);
    await signer.locator('button.sign').click();
    await page.locator('#verdict.bad').waitFor();
    assert.equal(await page.locator('#verdict').getAttribute('role'), 'alert');
    assert.match((await page.locator('#verdict').textContent()) ?? '', /^网站核验未通过：4 份申报未受理（0 份已受理）.*“已签名”只表示签名已生成，不表示网站已受理/);
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr): [string | null, string | null | undefined] => [tr.getAttribute('class'), tr.lastElementChild?.textContent])), ids.map(() => ['refused', '未受理。签名验证未通过：签名证书不属于本申报单的申报人，请使用本人（或本单位）的证书签名。']));
    // The signer's "signed" beside them is gone: the refused ones are its batch again, to sign with the right certificate.
    await signer.locator('[part=outcome]').first().waitFor({ state: 'detached' });
    assert.equal(await signer.locator('#summary-label').textContent(), '您将签署以下 4 项');
    for (const id of ids) assert.equal((await demo.db.declaration(id))!.verdict, 'WRONG_SIGNER');
    await screenshot(page, 'declarations-batch-refused');
    await page.click('.lang-switch');
    assert.match((await page.locator('#verdict').textContent()) ?? '', /^The website refused 4 declarations \(0 accepted\)/);
    assert.equal(await rows.first().locator('td').last().textContent(), 'Not accepted. The signature was refused. The certificate is not the declarant’s; sign with your own (or your organisation’s) certificate.');
    assert.equal(await page.locator('#signer-hint').textContent(), `Sign with the organisation’s certificate, “${ORG.orgName} (${LI.name})”: the website refuses a personal certificate’s signature.`);
    await screenshot(page, 'declarations-batch-refused-en');
    await page.click('.lang-switch');

    await signer.locator(`sicert-cert-picker input[value="${orgCertId}"]`).check();
    await signer.locator('[part=consent] input').check();
    await signer.locator('sicert-pin-input input').fill(DEMO_PIN);
    await signer.locator('button.sign').click();
    await page.locator('#verdict.ok').waitFor();
    assert.equal(await page.locator('#verdict').textContent(), '4 份申报签名验证通过，已全部受理。');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.verified)), ['true', 'true', 'true', 'true']);
    assert.equal(await signer.locator('[part=result]').textContent(), '全部签署成功，共 4 项。网站核验结果以页面提示为准。');
    await screenshot(page, 'declarations-batch-verified');
    // The page's language switch turns the table, the verdict and the signer.
    await page.click('.lang-switch');
    assert.equal(await page.locator('#verdict').textContent(), 'All 4 declarations verified and accepted.');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent)), ['Accepted', 'Accepted', 'Accepted', 'Accepted']);
    assert.equal(await signer.locator('#summary-label').textContent(), 'You are signing these 4 items');
    assert.equal(await signer.locator('[part=summary]').textContent(), '4 payment declarations of the organisation, each signed');
    await screenshot(page, 'declarations-batch-verified-en');

    // The server kept each one's own signature, verified, from the organisation's certificate.
    for (const id of ids) {
      const stored = (await demo.db.declaration(id))!;
      assert.deepEqual([stored.organization, stored.verdict, stored.signer], [ORG.creditCode, 'VERIFIED', `${ORG.orgName} (${LI.name})`]);
    }
    assert.equal(new Set(await Promise.all(ids.map(async (id) => (await demo.db.declaration(id))!.signature))).size, 4);

    // Back on the batch page: the period is declared, nothing new to sign.
    await page.reload();
    await page.locator('#verdict:not([hidden])').waitFor();
    assert.deepEqual([await page.locator('#verdict').getAttribute('class'), await page.locator('#verdict').textContent()], ['verdict ok', 'This organisation’s declarations of every insurance for this period are already signed and accepted; there is nothing more to declare.']);
    await screenshot(page, 'declarations-batch-declared-en');
    await page.click('.lang-switch');
    assert.equal(await page.locator('#verdict').textContent(), '本单位本期各险种均已申报并受理，无需再次申报。');
    await screenshot(page, 'declarations-batch-declared');
    assert.equal(await page.locator('#batch-rows tr').count(), 0);
    assert.deepEqual(await Promise.all(['#signer-card', '#signer-hint', '#pin-hint'].map((s) => page.locator(s).isHidden())), [true, true, true]);
    assert.equal((await demo.db.organizationDeclarations(ORG.creditCode)).length, 4);
    await page.close();
  });
});
