// The hall counter's USB-Key work in Chromium, on a real SoftHSM2 token behind the fault shim (which locks a PIN
// after wrong tries as a USB-Key does; SoftHSM2 never locks) and an agent in hall mode: the on-site USB-Key made on
// the blank slot (token.init, key, certificate issued at once, installed, test signature verified by the portal),
// then its password locked by wrong tries and reset with the SO PIN, followed by a good signature.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { toBase64 } from '@sicert/pki';
import { AgentError } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { buildFaultShim, FaultPlan } from '@sicert/test-support/fault-shim';
import { opensslVerifyCertificate } from '@sicert/test-support/openssl';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { launchChromium, screenshot } from './browser.js';

const ZHANG = { name: '张三', idNumber: '11010519491231002X' };
const HALL_SO_PIN = 'Hall2468So';

describe('hall counter: on-site USB-Key and password reset', () => {
  let hsm: SoftHsm;
  let dataDir: string;
  let plan: FaultPlan;
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;

  before(async () => {
    hsm = createSoftHsm('sicert-hall-used');
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-hall-usb-'));
    plan = new FaultPlan(dataDir);
    Object.assign(process.env, plan.env);
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0, modules: [buildFaultShim()], hallMode: true, provisionDemoCertificate: false });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  after(async () => {
    await browser.close();
    await demo.close();
    hsm.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string) => screenshot(page, name);

  /**
   * The 刷新 button of a card's key list sits on the list's line, to its right, on one line of its own (not wrapped
   * under the list, nor its two characters one above the other), and the two stay inside the form's column.
   */
  async function besideItsList(card: string): Promise<void> {
    const list = (await page.locator(`${card} select`).boundingBox())!;
    const button = (await page.locator(`${card} .refresh-tokens`).boundingBox())!;
    const column = (await page.locator(`${card} form`).boundingBox())!;
    const boxes = JSON.stringify({ list, button, column });
    assert.ok(button.x >= list.x + list.width && button.y < list.y + list.height && button.y + button.height > list.y, `beside: ${boxes}`);
    assert.ok(button.height < 1.5 * list.height, `one line: ${boxes}`);
    assert.ok(button.x + button.width <= column.x + column.width + 1, `inside the column: ${boxes}`);
  }

  it('makes a USB-Key on site: initialised, key made on it, certificate issued and installed, test signature verified', async () => {
    await page.goto(`${demo.portalUrl}/hall`);
    await page.fill('#name', ZHANG.name);
    await page.fill('#idNumber', ZHANG.idNumber);
    await page.click('#check button[type=submit]');
    await page.locator('#usb-card').waitFor();
    await page.locator('#usb-card [data-agent]', { hasText: '大厅模式' }).waitFor();
    assert.equal(await page.locator('#usb-token option').count(), 1, 'the blank slot is offered');
    await besideItsList('#usb-card');
    const fillForm = async (soPin: string, soConfirm: string, pin: string) => {
      await page.fill('#usb-so', soPin);
      await page.fill('#usb-so-confirm', soConfirm);
      await page.fill('#usb-pin', pin);
      await page.fill('#usb-confirm', pin);
    };
    await fillForm(HALL_SO_PIN, HALL_SO_PIN, 'abc123');
    await page.click('#usb-make');
    await page.locator('#usb-error', { hasText: '过于简单' }).waitFor();
    assert.equal(await page.inputValue('#usb-so'), '', 'password fields are wiped');
    assert.equal(await page.inputValue('#usb-so-confirm'), '');
    // The SO PIN is set here and is the only way to reset the password later: typed twice, a typo stops the work.
    await fillForm(HALL_SO_PIN, 'Hall2468Sq', 'Zhang2468x');
    await page.click('#usb-make');
    await page.locator('#usb-error', { hasText: '两次输入的管理员PIN不一致' }).waitFor();
    assert.equal(await page.locator('#usb-steps li').count(), 0, 'nothing was started');
    assert.equal(await page.inputValue('#usb-so'), '');
    await page.click('#usb-card .refresh-tokens');
    assert.equal(await page.locator('#usb-token option:not([disabled])').count(), 1, 'the key is still blank');
    await fillForm(HALL_SO_PIN, HALL_SO_PIN, 'Zhang2468x');
    await shot('hall-usb-key-form');
    await page.click('#usb-make');
    await page.locator('#usb-outcome', { hasText: '试签名验证通过' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent('#usb-error'), '');
    // The steps as a list: one a line, each with its state in words.
    const steps = page.locator('#usb-steps li');
    assert.equal(await page.locator('#usb-steps li.done').count(), 5);
    assert.deepEqual(await steps.locator('.state').allTextContents(), ['已完成', '已完成', '已完成', '已完成', '已完成']);
    const boxes = await steps.evaluateAll((items) => items.map((li) => li.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
    for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i]!.top >= boxes[i - 1]!.bottom, `step ${i + 1} starts below step ${i}`);
    await page.locator('#certs tr').first().waitFor();
    // The printed form records the USB-Key just made: the medium, a first issue (free), 证书已制作.
    await page.locator('#form [data-choice="medium"] > span.checked').waitFor();
    const ticked = (group: string) => page.locator(`#form [data-choice="${group}"] > span.checked`).allTextContents();
    assert.deepEqual(await ticked('medium'), ['USB-Key（首次办理免费）']);
    assert.deepEqual(await ticked('kind'), ['首次申领']);
    assert.deepEqual(await ticked('office-checks'), ['证书已制作']);
    assert.equal(await page.textContent('#form [data-field="fee"]'), '首次办理免费');
    await shot('hall-usb-key-done');
    // The portal recorded an installed USB-Key application and the certificate; OpenSSL verifies it.
    const rows = await demo.db.sql.all<{ status: string; medium: string; kind: string }>('SELECT status, medium, kind FROM applications WHERE owner = ?', [ZHANG.idNumber]);
    assert.deepEqual(rows, [{ status: 'installed', medium: 'usb-key', kind: 'new' }]);
    const issued = (await demo.certificates.ownedBy(ZHANG.idNumber));
    assert.equal(issued.length, 1);
    const verified = opensslVerifyCertificate(issued[0]!.der, demo.ca.certificate);
    assert.ok(verified.ok, verified.output);
    // The key was initialised with the citizen's name and the hall's SO PIN.
    const client = connect(demo.agent.url, demo.portalUrl);
    try {
      const token = (await client.request('token.list', undefined)).tokens.find((t) => t.label === ZHANG.name);
      assert.ok(token?.pin.initialized);
    } finally {
      client.close();
    }
  });

  it('resets a locked USB-Key password with the SO PIN, and the new password signs (verified by the portal)', async () => {
    const client = connect(demo.agent.url, demo.portalUrl);
    let tokenId: string;
    try {
      tokenId = (await client.request('token.list', undefined)).tokens.find((t) => t.label === ZHANG.name)!.id;
      const [certificate] = (await client.request('cert.list', { tokenId })).certificates;
      // The citizen forgot the password and tried three times: the key locks, as a real USB-Key does.
      plan.set('lock_user 3');
      for (let i = 0; i < 3; i++) await assert.rejects(client.request('sign.data', { certId: certificate!.id, pin: `Guess${i}2468x`, data: toBase64(new Uint8Array([1])) }));
      await assert.rejects(client.request('sign.data', { certId: certificate!.id, pin: 'Zhang2468x', data: toBase64(new Uint8Array([1])) }), (e) => e instanceof AgentError && e.reason === 'PIN_LOCKED');
    } finally {
      client.close();
    }
    await page.click('#reset-card .refresh-tokens');
    await page.locator(`#reset-token option[value="${tokenId}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#reset-token', tokenId);
    await besideItsList('#reset-card');
    await page.fill('#reset-so', 'Wrong2468So');
    await page.fill('#reset-pin', 'Zhang1357y');
    await page.fill('#reset-confirm', 'Zhang1357y');
    await page.click('#reset-go');
    await page.locator('#reset-error', { hasText: '管理员PIN（SO PIN）错误' }).waitFor();
    await page.fill('#reset-so', HALL_SO_PIN);
    await page.fill('#reset-pin', 'Zhang1357y');
    await page.fill('#reset-confirm', 'Zhang1357y');
    await page.click('#reset-go');
    await page.locator('#reset-outcome', { hasText: '试签名验证通过' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent('#reset-error'), '');
    await shot('hall-reset-done');
  });
});
