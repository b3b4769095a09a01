// The seed's online flow end to end in Chromium: apply in <sicert-apply-wizard>, staff approve in the review
// console, install, and sign with <sicert-signer>; for a person on the software token and for an organization
// on a SoftHSM2 USB-Key. Negative paths along the way.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import type { SoftHsm } from '@sicert/test-support/softhsm';
import type { RunningDemo } from '../server/demo.js';
import { screenshot } from './browser.js';
import { startHarness, type Harness } from './harness.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5a5a0a40000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const SOFT_PIN = 'Zs7k2m9q';

describe('apply for a certificate online, through review, to a signature', () => {
  let harness: Harness;
  let hsm: SoftHsm;
  let demo: RunningDemo;
  let browser: Browser;

  before(async () => {
    // No demo certificate: the wizard makes the citizen's own software token with the password they set.
    harness = await startHarness('sicert-apply-e2e', { provisionDemoCertificate: false });
    ({ hsm, demo, browser } = harness);
  });
  after(() => harness.dispose());

  const shot = screenshot;

  async function signIn(page: Page, idNumber: string): Promise<Locator> {
    await page.goto(`${demo.portalUrl}/apply`);
    await page.selectOption('#person', idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button')]);
    const wizard = page.locator('sicert-apply-wizard');
    await wizard.locator('h2').waitFor();
    return wizard;
  }

  async function step(wizard: Locator): Promise<string> {
    return (await wizard.locator('h2').getAttribute('data-step')) ?? '';
  }

  async function next(wizard: Locator, expected: string): Promise<void> {
    await wizard.locator('button.next').click();
    await wizard.locator(`h2[data-step="${expected}"]`).waitFor();
    // focus moves to the new step's heading
    assert.equal(await wizard.evaluate((el) => el.shadowRoot?.activeElement?.tagName), 'H2');
  }

  async function fieldError(wizard: Locator, field: string): Promise<string> {
    const error = wizard.locator(`#${field}-error`);
    await error.waitFor();
    return (await error.textContent()) ?? '';
  }

  async function upload(wizard: Locator, kinds: string[]): Promise<void> {
    for (const kind of kinds) {
      const pdf = kind === 'application-form';
      await wizard.locator(`#file-${kind}`).setInputFiles({ name: `${kind}.${pdf ? 'pdf' : 'png'}`, mimeType: pdf ? 'application/pdf' : 'image/png', buffer: pdf ? PDF : PNG });
      await wizard.locator(`.material[data-kind="${kind}"] [role=status]`, { hasText: '已上传' }).waitFor();
    }
  }

  async function face(page: Page, wizard: Locator, outcome: 'pass' | 'fail'): Promise<void> {
    await wizard.locator('button.face').click();
    await page.locator('#face[open]').waitFor();
    await page.click(outcome === 'pass' ? '#face-pass' : '#face-fail');
  }

  async function approveInConsole(page: Page): Promise<void> {
    await page.goto(`${demo.portalUrl}/console`);
    await page.locator('#rows button').first().click();
    await page.locator('#detail:not([hidden])').waitFor();
    await shot(page, 'console');
    await page.click('#approve');
    await page.locator('#outcome', { hasText: '已签发证书' }).waitFor();
  }

  async function signDeclaration(page: Page, holder: string, pin: string, organization?: string): Promise<string> {
    await page.goto(`${demo.portalUrl}/declaration${organization ? `?organization=${organization}` : ''}`);
    const option = page.locator('sicert-signer sicert-cert-picker label', { hasText: holder });
    await option.waitFor();
    await option.locator('input').check();
    await page.locator('sicert-signer sicert-pin-input input').fill(pin);
    await page.locator('sicert-signer button.sign').click();
    await page.locator('#verdict').waitFor({ state: 'visible' });
    return (await page.locator('#verdict').textContent()) ?? '';
  }

  it('a person: refused when under 16 or with a bad check character; details must match; weak password and failed face check refused; double submit makes one application; approved, installed on this computer, signs', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const wizard = await signIn(page, '11010519491231002X');
    await shot(page, 'wizard-eligibility');

    // eligibility: an under-16 ID and a wrong check character are refused before anything is sent
    await wizard.locator('#idNumber').fill('440308201512011230'); // valid, born 2015-12-01
    await wizard.locator('button.next').click();
    assert.match(await fieldError(wizard, 'idNumber'), /申请人须年满16周岁/);
    await wizard.locator('#idNumber').fill('110105194912310021'); // check character should be X
    await wizard.locator('button.next').click();
    assert.match(await fieldError(wizard, 'idNumber'), /校验位不正确/);
    await wizard.locator('#idNumber').fill('11010519491231002x');
    await next(wizard, 'type');
    assert.match((await wizard.locator('.ok').textContent()) ?? '', /城镇职工基本医疗保险/);
    await next(wizard, 'details');

    // details must match the records: a wrong mobile is named
    await wizard.locator('#mobile').fill('13800138009');
    await wizard.locator('button.next').click();
    assert.match(await fieldError(wizard, 'mobile'), /手机号与社保记录不一致/);
    await wizard.locator('#mobile').fill('13800138000');
    await next(wizard, 'materials');
    await shot(page, 'wizard-materials');
    await wizard.locator('button.next').click();
    assert.match((await wizard.locator('[part=error]').textContent()) ?? '', /请上传/);
    await upload(wizard, ['id-front', 'id-back']);
    await next(wizard, 'password');

    // certificate password on this computer: a weak one is refused, then a good one generates the key
    await wizard.locator('sicert-agent-status[state="ready"]').waitFor();
    await wizard.locator('sicert-pin-input[data-name="pin"] input').fill('abc123');
    await wizard.locator('sicert-pin-input[data-name="confirm"] input').fill('abc123');
    await wizard.locator('button.next').click();
    assert.match((await wizard.locator('[part=error]').textContent()) ?? '', /过于简单/);
    assert.equal(await wizard.locator('sicert-pin-input[data-name="pin"] input').inputValue(), '', 'the password field is wiped after each attempt');
    await wizard.locator('sicert-pin-input[data-name="pin"] input').fill(SOFT_PIN);
    await wizard.locator('sicert-pin-input[data-name="confirm"] input').fill(SOFT_PIN);
    await shot(page, 'wizard-password');
    await next(wizard, 'face');

    // face check: a failure is reported and blocks; a pass continues
    await face(page, wizard, 'fail');
    await wizard.locator('[part=error]', { hasText: '人脸识别未通过' }).waitFor();
    await wizard.locator('button.next').click();
    assert.equal(await step(wizard), 'face');
    await face(page, wizard, 'pass');
    await wizard.locator('.ok', { hasText: '人脸识别已通过' }).waitFor();
    await next(wizard, 'review');
    const review = (await wizard.locator('dl.review').textContent()) ?? '';
    assert.match(review, /免费/);
    assert.match(review, /1-3 个工作日/);
    assert.match(review, /110105\*{8}002X/);
    await shot(page, 'wizard-review');

    // a double click submits once
    await wizard.locator('button.next').dblclick();
    await wizard.locator('h2[data-step="status"]').waitFor();
    assert.match((await wizard.locator('.status').textContent()) ?? '', /已提交/);
    // The expected date is the paragraph right after the application's details.
    assert.match((await wizard.locator('dl.review + p').textContent()) ?? '', /^预计 \d{4}-\d\d-\d\d 前/);
    await shot(page, 'wizard-status');
    const apps = (await (await fetch(`${demo.portalUrl}/console/api/applications`)).json()) as unknown[];
    assert.equal(apps.length, 1);
    const stored = await page.evaluate(async () => [localStorage.length, sessionStorage.length, (await indexedDB.databases()).length]);
    assert.deepEqual(stored, [0, 0, 0], 'nothing in localStorage, sessionStorage or IndexedDB');

    await approveInConsole(page);

    // reopening the apply page resumes from the backend, at the install step
    const again = await signIn(page, '11010519491231002X');
    await again.locator('h2[data-step="install"]').waitFor();
    await again.locator('sicert-agent-status[state="ready"]').waitFor();
    await again.locator('sicert-pin-input input').fill(SOFT_PIN);
    await shot(page, 'wizard-install');
    await again.locator('button.install').click();
    await again.locator('.status.installed').waitFor();
    // The step indicator stays at the end once installed: 9 of 9, every step ticked, none still to do.
    assert.equal(await again.locator('.progress').textContent(), '全部 9 步已完成');
    assert.equal(await again.locator('ol.steps li.done').count(), 9);
    await shot(page, 'wizard-installed');

    assert.match(await signDeclaration(page, '张三', SOFT_PIN), /签名验证通过.*张三/);
    await page.close();
  });

  it('an organization: USCC checked, materials per type, key generated on the USB-Key, approved, installed, signs', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const wizard = await signIn(page, '360426199101010071');
    await next(wizard, 'type');
    await wizard.locator('input[name="type"]').nth(1).check();
    await next(wizard, 'details');
    await wizard.locator('#orgName').fill('示例科技有限公司');
    await wizard.locator('#creditCode').fill('91110000600037341N');
    await wizard.locator('button.next').click();
    assert.match(await fieldError(wizard, 'creditCode'), /校验位不正确/);
    await wizard.locator('#creditCode').fill('9111 0000 6000 3734 1L');
    await next(wizard, 'materials');
    const kinds = await wizard.locator('.material').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.deepEqual(kinds, ['application-form', 'business-licence', 'handler-id', 'authorization-letter']);
    await upload(wizard, kinds as string[]);
    await next(wizard, 'password');
    await wizard.locator('sicert-agent-status[state="ready"]').waitFor();
    await wizard.locator('input[name="medium"]').nth(1).check();
    await wizard.locator('#usb-key').waitFor();
    await wizard.locator('sicert-pin-input[data-name="pin"] input').fill(hsm.pin);
    await next(wizard, 'face');
    await face(page, wizard, 'pass');
    await next(wizard, 'review');
    assert.match((await wizard.locator('dl.review').textContent()) ?? '', /91110000600037341L/);
    await wizard.locator('button.next').click();
    await wizard.locator('h2[data-step="status"]').waitFor();

    await approveInConsole(page);
    const again = await signIn(page, '360426199101010071');
    await again.locator('h2[data-step="install"]').waitFor();
    await again.locator('sicert-agent-status[state="ready"]').waitFor();
    await again.locator('sicert-pin-input input').fill(hsm.pin);
    await again.locator('button.install').click();
    await again.locator('.status.installed').waitFor();

    assert.match(await signDeclaration(page, '示例科技有限公司', hsm.pin, '91110000600037341L'), /签名验证通过.*示例科技有限公司 \(李四\)/);
    await page.close();
  });
});
