// A certificate's life after issue, end to end in Chromium against the demo (agent, portal, SQLite, CRL): 张三's
// certificate on this computer expires in 10 days and is renewed on the status page; the renewed one is reported
// lost there, and a declaration signed with it is refused by the portal's verification; then 补办 opens the wizard,
// which shows the region's reissue fee and files a reissue.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { parseCertificate, serialNumberHex } from '@sicert/pki';
import { subjectSerial } from '../server/applications-api.js';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { regionProfile } from '../server/region-profiles.js';
import { connect } from '@sicert/test-support/agent-client';
import { launchChromium, screenshot } from './browser.js';

const ZHANG = { name: '张三', idNumber: '11010519491231002X' };
const PIN = 'Zhang2468x';
const DAY = 86_400_000;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5a5a0a40000000049454e44ae426082', 'hex');

describe('a certificate renewed, reported lost, refused, and reissued', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let oldSerial: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-lifecycle-e2e-'));
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    // 张三's certificate on this computer, issued 355 days ago by the demo CA, expiring in 10 days.
    const soft = demo.agent.softToken!;
    const tokenId = await soft.createToken(ZHANG.name, PIN);
    const { publicKey } = await soft.generateKey(tokenId, PIN, 'ECDSA-P256', 'sicert');
    const now = Date.now();
    const subject = { C: 'CN', ST: '示例东省', serialNumber: subjectSerial(ZHANG.idNumber), CN: ZHANG.name };
    const der = await demo.ca.issue(subject, publicKey, 1, { notBefore: new Date(now - 355 * DAY), notAfter: new Date(now + 10 * DAY) });
    await soft.installCertificate(tokenId, der, [demo.ca.certificate]);
    oldSerial = serialNumberHex(parseCertificate(der));
    await demo.certificates.record({ serial: oldSerial, subject: ZHANG.name, der, holder: ZHANG.idNumber, owner: ZHANG.idNumber, applicationId: null });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  });
  after(async () => {
    await browser.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string) => screenshot(page, name);

  async function signIn(path: string): Promise<void> {
    await page.goto(`${demo.portalUrl}${path}`);
    await page.locator('#person option').first().waitFor({ state: 'attached' });
    await page.selectOption('#person', ZHANG.idNumber);
    await Promise.all([page.waitForEvent('load'), page.click('#login button[type=submit]')]);
  }

  const certificate = (serial: string): Locator => page.locator(`sicert-cert-status li[part=certificate][data-serial="${serial}"]`);
  const soleCertificates = async () => (await demo.agent.softToken!.listCertificates()).map((c) => serialNumberHex(parseCertificate(c.der)));

  it('renews the certificate that expires in 10 days through the status page; the old one is superseded', async () => {
    await signIn('/status');
    const old = certificate(oldSerial);
    await old.waitFor();
    assert.equal((await old.locator('[part=badge]').textContent())?.trim(), '即将过期');
    await old.locator('button.renew').click();
    await page.locator('sicert-cert-status #renew-dialog sicert-pin-input input').fill(PIN);
    await shot('lifecycle-renew-dialog');
    await page.locator('sicert-cert-status #renew-dialog button.start-renewal').click();
    await page.locator('sicert-cert-status [part=result]', { hasText: '续期成功' }).waitFor({ timeout: 30_000 });
    const serials = await soleCertificates();
    const renewed = serials.find((s) => s !== oldSerial);
    assert.ok(renewed, 'the new certificate is on this computer');
    assert.deepEqual([(await demo.certificates.get(oldSerial))?.revocationReason, (await demo.certificates.isRevoked(oldSerial))], ['superseded', true]);
    assert.equal((await demo.certificates.isRevoked(renewed)), false);
    await certificate(renewed).waitFor();
    assert.equal((await certificate(renewed).locator('[part=badge]').textContent())?.trim(), '有效');
  });

  it('reports the renewed certificate lost; a declaration signed with it is refused by the portal', async () => {
    const renewed = (await soleCertificates()).find((s) => s !== oldSerial)!;
    await certificate(renewed).locator('button.report-loss').click();
    await page.locator('sicert-cert-status #loss-dialog button.confirm-loss').click();
    await certificate(renewed).locator('[part=badge]', { hasText: '已吊销' }).waitFor();
    assert.equal((await demo.certificates.get(renewed))?.revocationReason, 'keyCompromise');
    await shot('lifecycle-loss-reported');
    // The lost certificate still sits on the computer: the signer, told by the portal, does not offer it.
    await signIn('/declaration');
    const certId = (await demo.agent.softToken!.listCertificates()).find((c) => serialNumberHex(parseCertificate(c.der)) === renewed)!.id;
    const choice = page.locator(`sicert-signer sicert-cert-picker input[value="${certId}"]`);
    await page.locator('sicert-signer sicert-cert-picker', { hasText: '已吊销' }).waitFor();
    assert.equal(await choice.isDisabled(), true);
    // It still signs, through the agent; the portal refuses that signature as revoked.
    const declaration = await page.evaluate(async () => (await fetch('/api/declarations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json() as Promise<{ id: string; payload: string }>);
    const client = connect(demo.agent.url, demo.portalUrl);
    const { signature } = await client.request('sign.data', { certId, pin: PIN, data: Buffer.from(declaration.payload, 'utf8').toString('base64') }).finally(() => client.close());
    const verdict = await page.evaluate(
      async ([id, sig]) => (await fetch(`/api/declarations/${id}/signature`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signature: sig }) })).json() as Promise<{ verified: boolean; problem?: string }>,
      [declaration.id, signature] as const,
    );
    assert.deepEqual([verdict.verified, verdict.problem], [false, 'REVOKED']);
  });

  it('补办 opens the wizard, which shows the reissue fee and files a reissue', async () => {
    await signIn('/status');
    const renewed = (await soleCertificates()).find((s) => s !== oldSerial)!;
    await Promise.all([page.waitForURL(/\/apply$/), certificate(renewed).locator('button.reapply').click()]);
    const wizard = page.locator('sicert-apply-wizard');
    const next = async (step: string) => {
      await wizard.locator('button.next').click();
      await wizard.locator(`h2[data-step="${step}"]`).waitFor();
    };
    await wizard.locator('h2[data-step="eligibility"]').waitFor();
    await next('type');
    await next('details');
    await next('materials');
    for (const kind of ['id-front', 'id-back']) {
      await wizard.locator(`#file-${kind}`).setInputFiles({ name: `${kind}.png`, mimeType: 'image/png', buffer: PNG });
      await wizard.locator(`.material[data-kind="${kind}"] [role=status]`, { hasText: '已上传' }).waitFor();
    }
    await next('password');
    const fee = regionProfile('demo-east')!.fees.reissue;
    assert.match((await wizard.locator('.notice.reissue').textContent()) ?? '', new RegExp(`补办费 ${fee} 元`));
    assert.doesNotMatch((await wizard.locator('fieldset').textContent()) ?? '', /首次办理免费/);
    await shot('lifecycle-reissue-password');
    await wizard.locator('sicert-pin-input[data-name="pin"] input').fill('Zhang1357y');
    await wizard.locator('sicert-pin-input[data-name="confirm"] input').fill('Zhang1357y');
    await next('face');
    await wizard.locator('button.face').click();
    await page.locator('#face[open]').waitFor();
    await page.click('#face-pass');
    await wizard.locator('.ok').waitFor();
    await next('review');
    assert.match((await wizard.locator('dl.review').textContent()) ?? '', new RegExp(`${fee} 元（补办费）`));
    await shot('lifecycle-reissue-review');
    await next('status');
    const row = (await demo.db.sql.get<{ kind: string; fee: number }>("SELECT kind, fee FROM applications WHERE owner = ? AND kind != 'renewal' ORDER BY rowid DESC LIMIT 1", [ZHANG.idNumber]))!;
    assert.deepEqual(row, { kind: 'reissue', fee });
  });
});
