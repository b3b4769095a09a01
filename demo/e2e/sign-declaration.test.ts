// The demo end to end: the portal page, <sicert-signer>, the agent, a USB-Key (SoftHSM2) and the software
// token, and the portal backend's verdict.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { serialNumberHex, parseCertificate } from '@sicert/pki';
import type { Pkcs11Provider } from '@sicert/agent';
import type { SoftHsm } from '../../packages/agent/test/support/softhsm.js';
import type { RunningDemo } from '../server/demo.js';
import { DEMO_PIN } from '../server/provision.js';
import { startHarness, type Harness } from './harness.js';

describe('demo: sign a payment declaration in the browser', () => {
  let harness: Harness;
  let hsm: SoftHsm;
  let demo: RunningDemo;
  let browser: Browser;
  let usbCertId: string;

  before(async () => {
    harness = await startHarness('sicert-e2e', { provisionDemoCertificate: true });
    ({ hsm, demo, browser } = harness);
    // A USB-Key certificate from the demo CA, made through the agent's own key generation on the token.
    const pkcs11 = demo.agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider;
    const token = (await pkcs11.listTokens()).find((t) => t.label === hsm.label)!;
    const { publicKey } = await pkcs11.generateKey(token.id, hsm.pin, 'ECDSA-P256');
    const certificate = await demo.ca.issue({ C: 'CN', O: 'sicert 演示', CN: '赵六 (U盾)' }, publicKey);
    demo.db.recordIssued(serialNumberHex(parseCertificate(certificate)), '赵六 (U盾)', certificate);
    usbCertId = await pkcs11.installCertificate(token.id, certificate, [demo.ca.certificate]);
  });

  after(() => harness.dispose());

  async function openDeclaration(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${demo.portalUrl}/declaration`);
    await page.locator('sicert-signer sicert-cert-picker input[type=radio]').first().waitFor();
    return page;
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
    const [demoCert] = await demo.agent.softToken!.listCertificates();
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
    assert.match(verdict, /赵六 \(U盾\)/);
    await page.close();
  });

  it('a wrong password is reported on the page and nothing reaches the server', async () => {
    const page = await openDeclaration();
    await page.locator(`sicert-signer sicert-cert-picker input[value="${usbCertId}"]`).check();
    await page.locator('sicert-signer sicert-pin-input input').fill('Wrong246x');
    await page.locator('sicert-signer button.sign').click();
    await page.locator('sicert-signer [part=error]').waitFor();
    assert.match((await page.locator('sicert-signer [part=error]').textContent()) ?? '', /密码错误/);
    assert.equal(await page.locator('#verdict').isVisible(), false);
    await page.close();
  });
});
