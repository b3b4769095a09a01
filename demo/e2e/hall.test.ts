// The service hall counter in Chromium: identity check, the prefilled 《社保数字证书申请表》 and how it prints (one
// A4 page, nothing but the form), and a revocation at the counter that the CRL then lists.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseCrl } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { launchChromium, screenshot } from './browser.js';

const SHOTS = process.env.SICERT_SCREENSHOTS;
const ZHANG = { name: '张三', idNumber: '11010519491231002X' };

describe('hall counter page', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-hall-e2e-'));
    // 张三 has the demo certificate: at the counter he applies again as a reissue, and has a certificate to revoke.
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  });
  after(async () => {
    await browser.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string) => screenshot(page, name);

  async function checkIdentity(name: string, idNumber: string): Promise<void> {
    await page.fill('#name', name);
    await page.fill('#idNumber', idNumber);
    await page.click('#check button[type=submit]');
  }

  it('names the field that differs from the records, and shows nothing of the record', async () => {
    await page.goto(`${demo.portalUrl}/hall`);
    await checkIdentity('张四', ZHANG.idNumber);
    await page.locator('#check-error', { hasText: '不一致' }).waitFor();
    assert.equal(await page.getAttribute('#name', 'aria-invalid'), '');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'name');
    assert.equal(await page.isHidden('#form-card'), true);
  });

  it('says which field is malformed and why: a wrong check character in the ID number', async () => {
    await checkIdentity(ZHANG.name, '110105194912310021'); // the check character should be X
    await page.locator('#check-error', { hasText: '身份证号校验位不正确' }).waitFor();
    assert.equal(await page.getAttribute('#idNumber', 'aria-invalid'), '');
    assert.equal(await page.getAttribute('#name', 'aria-invalid'), null);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'idNumber');
    await shot('hall-check-digit');
  });

  it('prefills the application form from the records, as a reissue for someone who has had a certificate', async () => {
    await checkIdentity(ZHANG.name, ZHANG.idNumber);
    await page.locator('#form [data-field="name"]', { hasText: ZHANG.name }).waitFor();
    assert.equal(await page.textContent('#check-error'), '');
    const field = (name: string) => page.textContent(`#form [data-field="${name}"]`);
    assert.deepEqual([await field('idNumber'), await field('sex'), await field('birthDate'), await field('cardNumber'), await field('region')], [ZHANG.idNumber, '女', '1949年12月31日', 'A12345678', '示例东省']);
    assert.deepEqual(await page.locator('#form [data-choice="kind"] > span.checked').allTextContents(), ['补办']);
    assert.match((await field('fee')) ?? '', /补办：30 元/);
    assert.equal(await page.locator('#certs tr').count(), 1);
    assert.match((await page.textContent('#certs tr td:nth-child(4)')) ?? '', /有效/);
    await shot('hall');
  });

  it('prints the form alone, on one A4 page', async () => {
    await page.emulateMedia({ media: 'print' });
    try {
      assert.equal(await page.isVisible('#form'), true);
      for (const hidden of ['header', '#check-card', '#certs-card', '#print']) assert.equal(await page.isVisible(hidden), false, hidden);
      // The width of an A4 sheet inside its 14 mm margins, at 96 dpi: what the paper shows.
      await page.setViewportSize({ width: 688, height: 1040 });
      await shot('hall-print');
      const pdfBytes = await page.pdf({ format: 'A4', printBackground: true, ...(SHOTS ? { path: join(SHOTS, 'hall-print.pdf') } : {}) });
      const pdf = pdfBytes.toString('latin1');
      assert.equal(pdf.match(/\/Type\s*\/Page(?!s)/g)?.length, 1, 'one page');
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  it('revokes a certificate at the counter with the citizen’s reason, and the CRL lists it', async () => {
    const serial = (await page.textContent('#certs td.serial'))!;
    page.once('dialog', (dialog) => void dialog.accept());
    await page.selectOption('#certs select', 'keyCompromise');
    await page.click('#certs button');
    await page.locator('#revoke-outcome', { hasText: '已吊销' }).waitFor();
    assert.match((await page.textContent('#certs tr td:nth-child(4)')) ?? '', /已吊销（挂失/);
    assert.equal(await page.locator('#certs button').count(), 0, 'nothing left to revoke');
    await shot('hall-revoked');
    const crl = parseCrl(new Uint8Array(await (await fetch(`${demo.portalUrl}/crl`)).arrayBuffer()));
    assert.equal(crl.revoked.find((e) => e.serialNumber === serial)?.reason, 'keyCompromise');
  });

  it('clears the citizen’s details for the next one', async () => {
    await page.click('#clear');
    assert.deepEqual([await page.inputValue('#name'), await page.inputValue('#idNumber')], ['', '']);
    assert.equal(await page.isHidden('#form-card'), true);
    assert.equal(await page.locator('#form [data-field="idNumber"]').textContent(), '');
  });
});
