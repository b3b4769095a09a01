// The browser helper from Playwright, as a portal team's end-to-end tests (and a static docs site) use it: no
// agent anywhere. Pages are served by page.route from the built bundles (npm run build), so nothing listens.
// 1. addInitScript: the IIFE bundle, then installMockAgent, before any page script runs.
// 2. a plain static page: the ES module bundle imported by a module script before the elements' bundle.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { verifySignedData } from '@sicert/pki';
import { fromBase64 } from '@sicert/pki/light';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { MOCK_PERSON } from '../src/index.js';

const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const MOCK_IIFE = dist('../dist/agent-mock.browser.iife.js');
const MOCK_ESM = dist('../dist/agent-mock.browser.min.js');
const ELEMENTS = dist('../../elements/dist/sicert.bundle.min.js');
const DATA = '社保缴费申报 2026-11 个人缴费 640.00 元';
// localhost is a secure context (WebCrypto needs one); page.route answers, so nothing listens there.
const ORIGIN = 'http://localhost:8089';

/** Serves `pages` (path → HTML) and the two bundles at `ORIGIN`; everything else is refused. */
async function serve(page: Page, pages: Record<string, string>): Promise<void> {
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (pages[path]) return route.fulfill({ contentType: 'text/html; charset=utf-8', body: pages[path] });
    if (path === '/sicert.bundle.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(ELEMENTS) });
    if (path === '/agent-mock.browser.min.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(MOCK_ESM) });
    return route.fulfill({ status: 404 });
  });
}

const SIGNER_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<sicert-signer summary="2026年11月 社保缴费申报"></sicert-signer>
<script type="module" src="/sicert.bundle.min.js"></script>
<script type="module">
  const signer = document.querySelector('sicert-signer');
  signer.data = ${JSON.stringify(DATA)};
  signer.addEventListener('sicert-signed', (e) => { window.signed = e.detail; });
</script></body></html>`;

async function signOnPage(page: Page, pin: string): Promise<{ signature: string }> {
  await page.locator('sicert-signer input[type=radio]').first().check();
  await page.locator('sicert-signer sicert-pin-input input').fill(pin);
  await page.locator('sicert-signer button.sign').click();
  await page.waitForFunction(() => 'signed' in window);
  return page.evaluate(() => (window as unknown as { signed: { signature: string } }).signed);
}

describe('@sicert/agent-mock from Playwright', () => {
  let browser: Browser;
  before(async () => {
    for (const file of [MOCK_IIFE, MOCK_ESM, ELEMENTS]) assert.ok(existsSync(file), `${file} is missing: run npm run build`);
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser.close();
  });

  it('addInitScript: the signer on a page with no agent signs with the mock, and the CMS verifies in Node and OpenSSL', async () => {
    const page = await browser.newPage();
    try {
      await page.addInitScript({ path: MOCK_IIFE });
      await page.addInitScript(() => {
        const global = window as unknown as { sicertAgentMock: typeof import('../src/browser.js'); mock: unknown };
        global.mock = global.sicertAgentMock.installMockAgent();
      });
      await serve(page, { '/': SIGNER_PAGE });
      await page.goto(`${ORIGIN}/`);
      const { pin, ca } = await page.evaluate(async () => {
        const mock = (window as unknown as { mock: import('../src/browser.js').InPageMockAgent }).mock;
        const der = await mock.caCertificate;
        return { pin: mock.pin, ca: btoa(String.fromCharCode(...der)) };
      });
      const { signature } = await signOnPage(page, pin);
      const caCertificate = fromBase64(ca);
      const content = new TextEncoder().encode(DATA);
      const verified = await verifySignedData(fromBase64(signature), { content, expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! }, trustedRoots: [caCertificate] });
      assert.equal(verified.valid, true, verified.message);
      const openssl = opensslVerifyCms(fromBase64(signature), caCertificate, content);
      assert.ok(openssl.ok, openssl.output);
    } finally {
      await page.close();
    }
  });

  it('a static page: the ES module bundle installed before the elements, then a scenario switched from the test', async () => {
    const page = await browser.newPage();
    try {
      await serve(page, {
        '/': `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><body>
<script type="module">
  import { installMockAgent } from '/agent-mock.browser.min.js';
  window.mock = installMockAgent({ scenario: 'expiring' });
</script>
<script type="module" src="/sicert.bundle.min.js"></script>
<sicert-signer reconnect-timeout="200"></sicert-signer></body></html>`,
      });
      await page.goto(`${ORIGIN}/`);
      await page.locator('sicert-signer input[type=radio]').first().waitFor({ state: 'attached' });
      assert.equal(await page.locator('sicert-signer input[type=radio]').count(), 1);
      assert.match((await page.locator('sicert-signer sicert-cert-picker label').first().textContent()) ?? '', /张三 \(测试\)/);
      await page.evaluate(() => (window as unknown as { mock: import('../src/browser.js').InPageMockAgent }).mock.setScenario('not-running'));
      // The agent goes away: the signer reconnects, gives up after its reconnect-timeout, and says so.
      await page.locator('sicert-signer sicert-agent-status button[part=retry]').waitFor();
      assert.match((await page.locator('sicert-signer sicert-agent-status [role=alert]').textContent()) ?? '', /未检测到证书助手/);
    } finally {
      await page.close();
    }
  });
});
