// Demo polish found by an integrator: every page (the console, the hall and 个人信息 included) has the language
// switch; 王芳's "confirm your contact details" leads to a page that exists and confirms them, after which she may
// apply; and the review console is usable on a 390 px wide phone (no sideways scrolling, list and detail).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { session, submit, ZHANG } from '../test/support/portal.js';
import { launchChromium, screenshot } from './browser.js';

const WANG = { name: '王芳', idNumber: '650102190001019870', cardNumber: 'C11223344', mobile: '15011112222' };
const PAGES = ['/', '/status', '/declaration', '/apply', '/console', '/hall', '/profile'];

describe('demo polish: language switch everywhere, contact confirmation, console on a phone', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-e2e-polish-'));
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every page has the English / 中文 switch, and it turns the page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(`${demo.portalUrl}${path}`);
      const toggle = page.locator('header .lang-switch');
      assert.equal(await toggle.textContent(), 'English', path);
      await toggle.click();
      assert.equal(await page.getAttribute('html', 'lang'), 'en', path);
      await page.locator('header .lang-switch', { hasText: '中文' }).click();
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', path);
    }
    await context.close();
  });

  it("王芳's refusal names the 个人信息 page, which confirms her contact details, and then she is eligible", async () => {
    const wang = await session(demo, WANG.idNumber);
    const eligibility = () => wang.call('POST', '/api/sicert/v1/eligibility', { region: 'demo-west', type: 'personal', name: WANG.name, idNumber: WANG.idNumber, mobile: WANG.mobile });
    const refused = await eligibility();
    assert.equal(refused.body.error, 'CONTACT_UNCONFIRMED');
    const target = /\/profile\b/.exec(String(refused.body.message))?.[0];
    assert.equal(target, '/profile', 'the message names the page');
    assert.match(String(refused.body.messageEn), /Personal details page \(\/profile\)/);

    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const answer = await page.goto(`${demo.portalUrl}${target}`);
    assert.equal(answer?.status(), 200);
    await signIn(page, WANG.idNumber);
    await page.locator('#contact-state', { hasText: '尚未确认' }).waitFor();
    assert.equal(await page.inputValue('#person'), WANG.idNumber, 'the sign-in list shows who is signed in');
    assert.equal(await page.inputValue('#mobile'), WANG.mobile);
    await page.fill('#mobile', '150 1111');
    await page.fill('#address', '新疆乌鲁木齐市天山区示例路1号');
    await page.click('#contact button[type=submit]');
    await page.locator('#contact-error', { hasText: '请填写11位手机号码' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'mobile', 'the field at fault has the focus');
    await screenshot(page, 'polish-profile-error');
    await page.fill('#mobile', WANG.mobile);
    await page.click('#contact button[type=submit]');
    await page.locator('#contact-state', { hasText: '已确认：15011112222，新疆乌鲁木齐市天山区示例路1号' }).waitFor();
    assert.equal(await page.isVisible('#next a[href="/apply"]'), true);
    await screenshot(page, 'polish-profile-confirmed');
    await page.click('.lang-switch');
    await page.locator('#contact-state', { hasText: 'Confirmed: 15011112222' }).waitFor();
    assert.equal(await page.textContent('#contact-title'), 'Confirm your contact details');
    await screenshot(page, 'polish-profile-en');
    await page.close();

    // The server checks too: an address is required whatever the page does.
    const blank = await wang.call('POST', '/api/demo/profile/contact', { mobile: WANG.mobile, address: '  ' });
    assert.deepEqual([blank.status, blank.body.field], [422, 'address']);
    const now = await eligibility();
    assert.equal(now.status, 200, now.text);
    assert.equal(now.body.eligible, true);
  });

  it('the review console fits a 390 px wide phone, list and application alike', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    assert.equal((await submit(zhang, ZHANG)).status, 201);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
    await page.goto(`${demo.portalUrl}/console`);
    await page.locator('#rows button').first().waitFor();
    assert.equal(await sidewaysScroll(page), 0, 'the list scrolls sideways');
    await screenshot(page, 'polish-console-390-list');
    await page.locator('#rows button').first().click();
    await page.locator('#approve').waitFor();
    assert.equal(await sidewaysScroll(page), 0, 'the application scrolls sideways');
    const approve = await page.locator('#approve').boundingBox();
    assert.ok(approve && approve.x >= 0 && approve.x + approve.width <= 390, 'the approve button is on screen');
    await screenshot(page, 'polish-console-390-detail');
    await page.click('.lang-switch');
    await page.locator('#approve', { hasText: 'Approve' }).waitFor();
    await screenshot(page, 'polish-console-390-detail-en');
    assert.equal(await sidewaysScroll(page), 0, 'the English page scrolls sideways');
    // The English page joins and brackets the English way (no ，：（） or 、 between English words).
    for (const part of ['#facts dt', '#facts dd', '#materials', '#rows']) {
      for (const text of await page.locator(part).allInnerTexts()) assert.doesNotMatch(text, /[，：（）、]/, `${part}: ${text}`);
    }
    await page.close();
  });

  async function signIn(page: Page, idNumber: string): Promise<void> {
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button[type=submit]')]);
  }

  /** How far the page reaches beyond the viewport's width, in CSS pixels (0: no sideways scrolling). */
  function sidewaysScroll(page: Page): Promise<number> {
    // Against the device's width, not innerWidth: a phone widens its layout viewport to fit what overflows.
    return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - 390));
  }
});
