// The demo's certificate status page end to end: the portal page, <sicert-cert-status>, the agent with the demo
// certificate on this computer, and the portal's session, which "public computer" ends as well.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_HOLDER } from '../server/provision.js';
import { startHarness, type Harness } from './harness.js';

describe('demo: the certificate status page', () => {
  let harness: Harness;
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    harness = await startHarness('sicert-e2e-status', { provisionDemoCertificate: true });
    ({ demo, browser } = harness);
  });

  after(() => harness.dispose());

  it('shows the demo certificate to its holder, and "public computer" forgets it and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.portalUrl}/`);
    await page.click('a[href="/status"]');
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', DEMO_HOLDER.idNumber);
    await page.click('#login button[type=submit]');
    await page.locator('#who', { hasText: '已登录' }).waitFor();
    const certificate = page.locator('sicert-cert-status li[part=certificate]', { hasText: '张三 (演示)' });
    await certificate.waitFor();
    assert.equal((await certificate.locator('[part=badge]').textContent())?.trim(), '有效');
    assert.match((await certificate.textContent()) ?? '', /类型\s*个人/);
    const token = page.locator('sicert-cert-status section[part=token]', { hasText: '张三 (演示)' });
    assert.match((await token.locator('h3').textContent()) ?? '', /^本机 · /);

    await page.click('sicert-cert-status button.forget');
    await page.locator('sicert-cert-status .forgotten').waitFor();
    assert.equal(await page.locator('sicert-cert-status li[part=certificate]').count(), 0);
    await page.locator('#who', { hasText: '已退出登录' }).waitFor();
    const config = (await (await page.request.get(`${demo.portalUrl}/config.json`)).json()) as { signedIn: string | null };
    assert.equal(config.signedIn, null);
    await page.close();
  });
});
