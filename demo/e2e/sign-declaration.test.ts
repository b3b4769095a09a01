// The demo end to end: the portal page, <sicert-signer>, the agent, a USB-Key (SoftHSM2) and the software
// token, and the portal backend's verdict.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { serialNumberHex, parseCertificate, summarizeCertificate } from '@sicert/pki';
import type { Pkcs11Provider } from '@sicert/agent';
import type { SoftHsm } from '@sicert/test-support/softhsm';
import { subjectSerial } from '../server/applications-api.js';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_HOLDER, DEMO_PIN, demoLabel } from '../server/provision.js';
import { startHarness, type Harness } from './harness.js';

describe('demo: sign a payment declaration in the browser', () => {
  let harness: Harness;
  let hsm: SoftHsm;
  let demo: RunningDemo;
  let browser: Browser;
  let usbCertId: string;
  let liUsbCertId: string;
  const ZHANG = '11010519491231002X';
  const LI = '360426199101010071';

  before(async () => {
    harness = await startHarness('sicert-e2e', { provisionDemoCertificate: true });
    ({ hsm, demo, browser } = harness);
    // USB-Key certificates from the demo CA, made through the agent's own key generation on the token: one for
    // 张三, and one for 李四, valid and trusted, but not 张三's.
    const pkcs11 = demo.agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider;
    const token = (await pkcs11.listTokens()).find((t) => t.label === hsm.label)!;
    async function usbCertificate(idNumber: string, commonName: string): Promise<string> {
      const { publicKey } = await pkcs11.generateKey(token.id, hsm.pin, 'ECDSA-P256');
      const certificate = await demo.ca.issue({ C: 'CN', O: 'sicert 演示', serialNumber: subjectSerial(idNumber), CN: commonName }, publicKey);
      await demo.certificates.record({ serial: serialNumberHex(parseCertificate(certificate)), subject: commonName, der: certificate, holder: idNumber, owner: idNumber, applicationId: null });
      return pkcs11.installCertificate(token.id, certificate, [demo.ca.certificate]);
    }
    usbCertId = await usbCertificate(ZHANG, '张三 (U盾)');
    liUsbCertId = await usbCertificate(LI, '李四 (U盾)');
  });

  after(() => harness.dispose());

  /** The declaration page, signed in (through the page's own login stand-in) as `idNumber`. */
  async function openDeclaration(idNumber = ZHANG): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${demo.portalUrl}/declaration`);
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', idNumber);
    await page.click('#login button[type=submit]');
    await page.locator('#who', { hasText: '已登录' }).waitFor();
    await page.locator('sicert-signer sicert-cert-picker input[type=radio]').first().waitFor();
    return page;
  }

  /** The declaration the page opened, as the server stored it. */
  async function storedDeclaration(page: Page) {
    const number = (await page.locator('#fields tr', { hasText: '申报单号' }).locator('td').textContent()) ?? '';
    const row = (await demo.db.sql.get<{ id: string }>('SELECT id FROM declarations WHERE upper(substr(id, 1, 8)) = ?', [number]))!;
    return (await demo.db.declaration(row.id))!;
  }

  async function signWith(page: Page, certId: string, pin: string): Promise<string> {
    await page.locator(`sicert-signer sicert-cert-picker input[value="${certId}"]`).check();
    await page.locator('sicert-signer sicert-pin-input input').fill(pin);
    await page.locator('sicert-signer button.sign').click();
    const verdict = page.locator('#verdict');
    await verdict.waitFor({ state: 'visible' });
    return (await verdict.textContent()) ?? '';
  }

  it('signs with the demo certificate on this computer, and the server verifies it', async () => {
    const page = await openDeclaration();
    assert.match((await page.locator('sicert-signer [part=summary]').textContent()) ?? '', /社保缴费申报 \d{4}-\d\d/);
    // 张三's demo certificate, beside 陈明's (the one near expiry), which 张三's declaration would refuse.
    const demoCert = (await demo.agent.softToken!.listCertificates()).find((c) => summarizeCertificate(c.der).subjectCommonName === demoLabel(DEMO_HOLDER));
    const verdict = await signWith(page, demoCert!.id, DEMO_PIN);
    assert.match(verdict, /签名验证通过/);
    assert.match(verdict, /张三 \(演示\)/);
    assert.equal(await page.locator('#verdict').getAttribute('data-verified'), 'true');
    assert.equal(await page.locator('sicert-signer sicert-pin-input input').inputValue(), '');
    await page.close();
  });

  it('signs with the USB-Key, and the server verifies it', async () => {
    const page = await openDeclaration();
    const verdict = await signWith(page, usbCertId, hsm.pin);
    assert.match(verdict, /签名验证通过/);
    assert.match(verdict, /张三 \(U盾\)/);
    assert.equal((await storedDeclaration(page)).verdict, 'VERIFIED');
    await page.close();
  });

  it('another holder’s valid certificate cannot sign 张三’s declaration: refused on the page and in the database', async () => {
    const page = await openDeclaration();
    const verdict = await signWith(page, liUsbCertId, hsm.pin);
    assert.match(verdict, /签名验证未通过.*不属于本申报单的申报人/);
    assert.equal(await page.locator('#verdict').getAttribute('data-verified'), 'false');
    assert.equal(await page.locator('#verdict').getAttribute('data-problem'), 'WRONG_SIGNER');
    const stored = await storedDeclaration(page);
    assert.deepEqual([stored.owner, stored.verdict, stored.signature], [ZHANG, 'WRONG_SIGNER', null]);
    await page.close();
  });

  it('李四 signed in gets his own declaration, which 张三’s certificate cannot sign', async () => {
    const page = await openDeclaration(LI);
    assert.match((await page.locator('#fields').textContent()) ?? '', /李四/);
    const verdict = await signWith(page, usbCertId, hsm.pin);
    assert.match(verdict, /不属于本申报单的申报人/);
    // The same page signs again: the refusal kept nothing, so 李四's own certificate is accepted.
    await page.locator(`sicert-signer sicert-cert-picker input[value="${liUsbCertId}"]`).check();
    await page.locator('sicert-signer sicert-pin-input input').fill(hsm.pin);
    await page.locator('sicert-signer button.sign').click();
    await page.locator('#verdict[data-verified="true"]').waitFor();
    assert.match((await page.locator('#verdict').textContent()) ?? '', /签名验证通过.*李四 \(U盾\)/);
    await page.close();
  });

  it('a wrong password is reported on the page and nothing reaches the server', async () => {
    const page = await openDeclaration();
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/declarations\/[^/]+\/signature$/.test(new URL(request.url()).pathname)) sent.push(request.url());
    });
    await page.locator(`sicert-signer sicert-cert-picker input[value="${usbCertId}"]`).check();
    await page.locator('sicert-signer sicert-pin-input input').fill('Wrong246x');
    await page.locator('sicert-signer button.sign').click();
    await page.locator('sicert-signer [part=error]').waitFor();
    assert.match((await page.locator('sicert-signer [part=error]').textContent()) ?? '', /密码错误/);
    assert.equal(await page.locator('#verdict').isVisible(), false);
    // The server is where "nothing" counts: the page sent no signature, and the declaration holds none.
    assert.deepEqual(sent, []);
    const stored = await storedDeclaration(page);
    assert.deepEqual([stored.signature, stored.verdict], [null, null]);
    await page.close();
  });
});
