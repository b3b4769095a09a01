// The demo end to end, batch mode: 李四, the handler of 示例科技有限公司, opens the organisation's declaration page,
// takes the offer to sign every insurance's declaration of this period at once, reads the list in <sicert-signer>,
// consents once, types the certificate password once; the agent signs them all (one sign.batch), and the portal
// verifies each against its own declaration and the organisation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_PIN } from '../server/provision.js';
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
    harness = await startHarness('sicert-e2e-batch', { provisionDemoCertificate: false });
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
    for (const [i, id] of ids.entries()) assert.equal(summaries[i], demo.db.declaration(id)!.summary);
    await screenshot(page, 'declarations-batch-list');

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
    await screenshot(page, 'declarations-batch-verified-en');

    // The server kept each one's own signature, verified, from the organisation's certificate.
    for (const id of ids) {
      const stored = demo.db.declaration(id)!;
      assert.deepEqual([stored.organization, stored.verdict, stored.signer], [ORG.creditCode, 'VERIFIED', `${ORG.orgName} (${LI.name})`]);
    }
    assert.equal(new Set(ids.map((id) => demo.db.declaration(id)!.signature)).size, 4);
    await page.close();
  });
});
