// One open application per person, end to end in Chromium: the wizard opened before another application was
// submitted (another tab, another device) is refused at its first step with the portal's advice, opens the
// application in progress, withdraws it, and starts again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningDemo } from '../server/demo.js';
import { LI, session, submit } from '../test/support/portal.js';
import { startHarness, type Harness } from './harness.js';

describe('an application in progress', () => {
  let harness: Harness;
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    harness = await startHarness('sicert-in-progress-e2e', { provisionDemoCertificate: false });
    ({ demo, browser } = harness);
  });
  after(() => harness.dispose());

  it('is shown with what to do, opened from the refusal, withdrawn, and then the wizard starts again', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.portalUrl}/apply`);
    await page.selectOption('#person', LI.idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button')]);
    const wizard = page.locator('sicert-apply-wizard');
    await wizard.locator('h2[data-step="eligibility"]').waitFor();

    // Submitted elsewhere after this page loaded.
    const elsewhere = await submit(await session(demo, LI.idNumber), LI);
    assert.equal(elsewhere.status, 201, elsewhere.text);

    await wizard.locator('button.next').click();
    const error = wizard.locator('[part=error]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /^您已有一份办理中的申请，办结前不能再申请新的证书。.*撤回/);
    assert.equal(await wizard.locator('h2').getAttribute('data-step'), 'eligibility');

    await wizard.locator('button.in-progress', { hasText: '查看办理中的申请' }).click();
    await wizard.locator('h2[data-step="status"]').waitFor();
    assert.equal(await wizard.locator('.status').textContent(), '已提交，等待审核');
    assert.equal(await wizard.locator('dl.review dd').first().textContent(), String(elsewhere.body.id).slice(0, 8).toUpperCase());

    await wizard.locator('button.withdraw').click();
    await wizard.locator('button.confirm-withdraw').click();
    await wizard.locator('.status', { hasText: '申请已撤回' }).waitFor();
    await wizard.locator('button.again').click();
    await wizard.locator('h2[data-step="eligibility"]').waitFor();
    await wizard.locator('button.next').click();
    await wizard.locator('h2[data-step="type"]').waitFor();
    await page.close();
  });
});
