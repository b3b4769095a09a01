// The demo's pages as citizens and staff meet them: nothing they load is missing (the favicon included); the language
// switch turns the page's own text and every sicert element on it to English and back, and the session remembers it
// from page to page; the review console says in the page's language how an identity was checked (never "simulated"
// on the Chinese page); and the pages call Demo2026 the demo certificates' initial password, which the citizen may
// have changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_HOLDER, DEMO_PIN } from '../server/provision.js';
import { session, submit, ZHANG } from '../test/support/portal.js';
import { screenshot } from './browser.js';
import { startHarness, type Harness } from './harness.js';

const PAGES = ['/', '/status', '/declaration', '/apply', '/console', '/hall'];

describe('demo pages: resources, language, wording', () => {
  let harness: Harness;
  let demo: RunningDemo;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    harness = await startHarness('sicert-e2e-pages', { provisionDemoCertificate: true });
    ({ demo, browser } = harness);
    context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  });
  after(async () => {
    await context.close();
    await harness.dispose();
  });

  const shot = screenshot;

  /** Opens `path` signed in as `idNumber` through the page's own login stand-in. */
  async function signedIn(page: Page, path: string, idNumber = DEMO_HOLDER.idNumber): Promise<void> {
    await page.goto(`${demo.portalUrl}${path}`);
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button[type=submit]')]);
    await page.locator('#who', { hasText: /已登录|Signed in/ }).waitFor();
  }

  it('serves its favicon, and no page loads anything that is missing', async () => {
    const icon = await fetch(`${demo.portalUrl}/favicon.ico`);
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type') ?? '', /icon/);
    assert.deepEqual([...new Uint8Array(await icon.arrayBuffer()).subarray(0, 4)], [0, 0, 1, 0], 'an ICO file');
    const page = await context.newPage();
    const missing: string[] = [];
    // API answers are the contract's business (404 for "no application in progress"); the page's own files are not.
    page.on('response', (r) => {
      if (r.status() >= 400 && !['fetch', 'xhr'].includes(r.request().resourceType())) missing.push(`${r.status()} ${r.url()}`);
    });
    // The elements reach the agent the portal names (here not on its default port), and never try another first.
    const ours = new Set([new URL(demo.portalUrl).host, new URL(demo.agent.url).host]);
    const elsewhere: string[] = [];
    page.on('request', (r) => void (ours.has(new URL(r.url()).host) || elsewhere.push(r.url())));
    page.on('websocket', (ws) => void (ours.has(new URL(ws.url()).host) || elsewhere.push(ws.url())));
    for (const path of PAGES) {
      await page.goto(`${demo.portalUrl}${path}`, { waitUntil: 'networkidle' });
      assert.equal(await page.getAttribute('link[rel=icon]', 'href'), '/favicon.ico', path);
    }
    assert.deepEqual(missing, []);
    assert.deepEqual(elsewhere, []);
    await page.close();
  });

  it('switches a page and its sicert elements to English and back, and the session keeps the choice from page to page', async () => {
    const page = await context.newPage();
    await signedIn(page, '/status');
    const card = page.locator('sicert-cert-status li[part=certificate]', { hasText: '张三 (演示)' });
    await card.locator('[part=badge]', { hasText: '有效' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.textContent('.lang-switch'), 'English');

    await page.click('.lang-switch');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.textContent('.lang-switch'), '中文');
    assert.equal(await page.textContent('#login-title'), 'Sign in (demo)');
    assert.equal(await page.textContent('#who'), 'Signed in: 张三');
    assert.match((await page.textContent('#person option:checked')) ?? '', /\(Demo East\)/);
    assert.equal(await page.title(), 'My digital certificates — Demo Province social-insurance online hall');
    // The card re-renders in English in place: same certificates, nothing reloaded.
    await card.locator('[part=badge]', { hasText: 'Valid' }).waitFor();
    assert.equal((await page.locator('sicert-cert-status h2').first().textContent())?.trim(), 'My digital certificates');
    await shot(page, 'pages-status-en');

    // The next page of the session opens in English, and so does another tab.
    await signedIn(page, '/declaration');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.locator('sicert-signer button.sign', { hasText: 'Sign' }).waitFor();
    assert.equal(await page.textContent('#declaration-title'), 'Payment declaration');
    assert.equal(await page.textContent('#fields tr:first-child th'), 'Declaration number');
    await shot(page, 'pages-declaration-en');
    const tab = await context.newPage();
    await signedIn(tab, '/apply');
    assert.equal((await tab.locator('sicert-apply-wizard h1').textContent())?.trim(), 'Apply for the social-insurance digital certificate');

    // And back: the wizard follows at once, keeping its step.
    await tab.click('.lang-switch');
    assert.equal(await tab.getAttribute('html', 'lang'), 'zh-CN');
    await tab.locator('sicert-apply-wizard h1', { hasText: '社保数字证书申领' }).waitFor();
    assert.equal(await tab.textContent('#login-title'), '登录（演示）');
    // Remembered in a session cookie only: nothing in the page's storage.
    assert.deepEqual(await tab.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);
    await tab.close();
    await page.close();

    // Another browser session starts in Chinese.
    const fresh = await browser.newPage();
    await fresh.goto(`${demo.portalUrl}/`);
    assert.equal(await fresh.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await fresh.textContent('header a'), '示例省人力资源和社会保障网上服务大厅');
    await fresh.close();
  });

  it('says on the review console how the applicant was checked, in the page’s language, never “simulated” on the Chinese page', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    assert.equal((await submit(zhang, ZHANG)).status, 201); // the demo's simulated face check
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${demo.portalUrl}/console`);
    await page.locator('#rows button').first().click();
    const facts = page.locator('#facts');
    await facts.locator('dd', { hasText: '模拟人脸识别' }).waitFor();
    assert.doesNotMatch((await page.locator('body').innerText()) ?? '', /simulated/i);
    await shot(page, 'pages-console');
    await page.click('.lang-switch');
    await facts.locator('dd', { hasText: 'Simulated face check' }).waitFor();
    assert.equal(await page.textContent('#approve'), 'Approve and issue the certificate');
    await page.close();
  });

  it('calls the demo password the initial one wherever it is shown', async () => {
    const page = await browser.newPage();
    for (const path of ['/', '/status', '/declaration']) {
      if (path === '/') await page.goto(`${demo.portalUrl}/`);
      else await signedIn(page, path);
      const where = page.locator('p', { has: page.locator('code', { hasText: DEMO_PIN }) }).first();
      await where.waitFor();
      assert.match((await where.innerText()) ?? '', /演示初始密码/, path);
    }
    await page.close();
  });
});
