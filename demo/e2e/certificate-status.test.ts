// The demo's certificate status page end to end: the portal page, <sicert-cert-status>, the agent with the demo
// certificates on this computer, and the portal's session, which "public computer" ends as well; and the README's
// renewal step, on the demo certificate provisioned to expire in 20 days.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_HOLDER, DEMO_PIN, RENEWAL_HOLDER } from '../server/provision.js';
import { screenshot } from './browser.js';
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

  const shot = screenshot;

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

  it('the README’s renewal step: 陈明 signs in, sees his demo certificate expiring, and renews it with the initial password', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${demo.portalUrl}/status`);
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', RENEWAL_HOLDER.idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button[type=submit]')]);
    const [old] = (await demo.certificates.ownedBy(RENEWAL_HOLDER.idNumber));
    const certificate = (serial: string) => page.locator(`sicert-cert-status li[part=certificate][data-serial="${serial}"]`);
    await certificate(old!.serial).waitFor();
    assert.equal((await certificate(old!.serial).locator('[part=badge]').textContent())?.trim(), '即将过期');
    await shot(page, 'status-renewal-due');
    await certificate(old!.serial).locator('button.renew').click();
    await page.locator('sicert-cert-status #renew-dialog sicert-pin-input input').fill(DEMO_PIN);
    await page.locator('sicert-cert-status #renew-dialog button.start-renewal').click();
    await page.locator('sicert-cert-status [part=result]', { hasText: '续期成功' }).waitFor({ timeout: 30_000 });
    // The old certificate is superseded once the new one is installed, on the same token, good for two years.
    assert.equal((await demo.certificates.get(old!.serial))?.revocationReason, 'superseded');
    const [renewed] = (await demo.certificates.ownedBy(RENEWAL_HOLDER.idNumber)).filter((c) => c.serial !== old!.serial);
    assert.ok(renewed, 'a new certificate was issued');
    await certificate(renewed.serial).waitFor();
    assert.equal((await certificate(renewed.serial).locator('[part=badge]').textContent())?.trim(), '有效');
    await shot(page, 'status-renewed');
    await page.close();
  });
});
