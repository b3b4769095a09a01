import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/define/sicert-cert-status.js';
import type { SicertCertStatus, SicertLossReportedEvent, SicertPinInput, SicertReapplyEvent, SicertReportLossEvent } from '../src/index.js';
import { AgentClient } from '@sicert/protocol';
import { FakeStatusBackend } from './fake-status-backend.js';
import { loadFixture, type Fixture } from './fixture.js';
import { $, $$, agentState, badge, buttons, deepActive, item, text, tokenSection, typeInto, untilBadge } from './status-helpers.js';

/** The serial number the agent lists for a certificate. */
async function serialOf(agentUrl: string, certId: string): Promise<string> {
  const { certificates } = await AgentClient.shared(agentUrl).request('cert.list', undefined);
  return certificates.find((c) => c.id === certId)!.serialNumber;
}

// The status card against a real agent whose software token holds a certificate in every validity state (and
// another agent whose token's password is locked), with a FAKE portal backend for revocation.
describe('<sicert-cert-status>', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function card(agentUrl: string, backend = new FakeStatusBackend(), lang = 'zh-CN') {
    const el = await fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" agent-url=${agentUrl} .backend=${backend}></sicert-cert-status>`);
    return { el, backend };
  }

  it('shows each certificate with holder, type, issuer, serial, validity, days left and badge, and passes axe', async () => {
    const { el } = await card(f.status.url);
    const c = f.status.certs;
    await untilBadge(el, c.expiring.serialNumber, 'expiring');
    const token = tokenSection(el, c.valid.certId.split('/')[0]!);
    expect(text(token?.querySelector('h3'))).to.equal('本机 · 陈小华');
    const valid = text(item(el, c.valid.serialNumber));
    expect(valid).to.contain('陈小华').and.contain('类型 个人').and.contain('颁发机构 sicert Test Root CA').and.contain(`序列号 ${c.valid.serialNumber}`);
    expect(valid).to.match(/有效期 \d{4}-\d\d-\d\d 至 \d{4}-\d\d-\d\d（剩余 (699|700) 天）/);
    expect(badge(el, c.valid.serialNumber)).to.equal('有效');
    expect(buttons(el, c.valid.serialNumber)).to.deep.equal(['挂失']);
    // 即将过期: prominent, with the renewal button first.
    expect(badge(el, c.expiring.serialNumber)).to.equal('即将过期');
    expect(text(item(el, c.expiring.serialNumber)?.querySelector('[part=note]'))).to.match(/^证书将在 10 天后（\d{4}-\d\d-\d\d）到期/);
    expect(buttons(el, c.expiring.serialNumber)).to.deep.equal(['续期', '挂失']);
    expect(badge(el, c.expired.serialNumber)).to.equal('已过期');
    expect(text(item(el, c.expired.serialNumber))).to.contain('已于').and.not.contain('剩余');
    expect(buttons(el, c.expired.serialNumber)).to.deep.equal(['重新申领']);
    expect(badge(el, c.notYetValid.serialNumber)).to.equal('未生效');
    expect(text(item(el, c.notYetValid.serialNumber))).to.contain('起可以使用');
    expect(badge(el, c.organization.serialNumber)).to.equal('有效');
    expect(text(item(el, c.organization.serialNumber))).to.contain('示例科技有限公司').and.contain('类型 单位');
    await expect(el).to.be.accessible();
  });

  it('speaks English with lang="en", and passes axe', async () => {
    const { el } = await card(f.status.url, new FakeStatusBackend(), 'en');
    const c = f.status.certs;
    await untilBadge(el, c.expiring.serialNumber, 'expiring');
    expect(text(tokenSection(el, c.valid.certId.split('/')[0]!)?.querySelector('h3'))).to.equal('This computer · 陈小华');
    expect([c.valid, c.expiring, c.expired, c.notYetValid].map((x) => badge(el, x.serialNumber))).to.deep.equal(['Valid', 'Expires soon', 'Expired', 'Not yet valid']);
    expect(text(item(el, c.valid.serialNumber))).to.match(/Validity \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \((699|700) days left\)/);
    expect(text(item(el, c.organization.serialNumber))).to.contain('Type Organization');
    expect(buttons(el, c.expiring.serialNumber)).to.deep.equal(['Renew', 'Report lost']);
    await expect(el).to.be.accessible();
  });

  it('shows 已吊销 for a certificate the portal revoked, offers 补办, and says what it cannot ask; passes axe', async () => {
    const backend = new FakeStatusBackend();
    const c = f.status.certs;
    backend.revoked.set(c.valid.serialNumber, { serialNumber: c.valid.serialNumber, status: 'revoked', revokedAt: '2026-11-01T08:00:00Z', revocationReason: 'keyCompromise' });
    backend.unknown.add(c.organization.serialNumber);
    backend.unavailable.add(c.notYetValid.serialNumber);
    const { el } = await card(f.status.url, backend);
    await untilBadge(el, c.valid.serialNumber, 'revoked');
    expect(badge(el, c.valid.serialNumber)).to.equal('已吊销');
    expect(text(item(el, c.valid.serialNumber))).to.contain('证书已于 2026-11-01 吊销');
    expect(buttons(el, c.valid.serialNumber)).to.deep.equal(['补办']);
    // Not this portal's certificate: neither renewed nor reported here. Not asked: said so, nothing offered.
    expect(text(item(el, c.organization.serialNumber))).to.contain('不是本网站签发');
    expect(buttons(el, c.organization.serialNumber)).to.deep.equal([]);
    expect(text(item(el, c.notYetValid.serialNumber))).to.contain('暂时无法向网站查询');
    expect(buttons(el, c.notYetValid.serialNumber)).to.deep.equal([]);
    const reapply = oneEvent(el, 'sicert-reapply') as Promise<SicertReapplyEvent>;
    item(el, c.valid.serialNumber)!.querySelector<HTMLButtonElement>('button.reapply')!.click();
    const { detail } = await reapply;
    expect(detail.reason).to.equal('revoked');
    expect(detail.certificate.serialNumber).to.equal(c.valid.serialNumber);
    await expect(el).to.be.accessible();
  });

  it('a locked password on this computer: 密码已锁定, revoke and apply again online, never the hall; passes axe', async () => {
    const { el } = await card(f.status.lockedUrl);
    const serial = f.status.lockedCerts.valid.serialNumber;
    await untilBadge(el, serial, 'locked');
    expect(badge(el, serial)).to.equal('密码已锁定');
    const notice = text($(el, '[part=notice]'));
    expect(notice).to.contain('挂失').and.contain('补办').and.not.contain('大厅');
    expect($(el, 'button.change-pin')).to.equal(null);
    // The notice says it all: no second, forgotten-password help beside it.
    expect($(el, 'details.forgot')).to.equal(null);
    expect(buttons(el, serial)).to.deep.equal(['挂失']);
    await expect(el).to.be.accessible();
  });

  it('a USB-Key beside this computer: each named by medium, and a forgotten password explained by medium', async () => {
    const { el } = await card(f.agentUrl);
    await untilBadge(el, await serialOf(f.agentUrl, f.certs.usb['ECDSA-P256']), 'valid');
    const usb = tokenSection(el, f.certs.usb['ECDSA-P256'].split('/')[0]!)!;
    expect(text(usb.querySelector('h3'))).to.equal('USB-Key · sicert-browser');
    expect(text(usb.querySelector('.token-head'))).to.contain('SoftHSM');
    expect(text(usb.querySelector('details.forgot'))).to.contain('社保服务大厅').and.contain('0571-12333');
    const soft = tokenSection(el, f.certs.soft['ECDSA-P256'].split('/')[0]!)!;
    expect(text(soft.querySelector('h3'))).to.match(/^本机 · /);
    expect(text(soft.querySelector('details.forgot'))).to.contain('无法找回或重置').and.contain('补办').and.not.contain('大厅');
    await expect(el).to.be.accessible();
  });

  it('reports a loss: event first, a confirmation, then 已吊销 with 补办 in focus; passes axe', async () => {
    const { el, backend } = await card(f.status.url);
    const serial = f.status.certs.notYetValid.serialNumber;
    await untilBadge(el, serial, 'notYetValid');
    const asked = oneEvent(el, 'sicert-report-loss') as Promise<SicertReportLossEvent>;
    item(el, serial)!.querySelector<HTMLButtonElement>('button.report-loss')!.click();
    expect((await asked).detail.certificate.serialNumber).to.equal(serial);
    const dialog = $<HTMLDialogElement>(el, '#loss-dialog')!;
    await waitUntil(() => dialog.open, 'the confirmation opens');
    expect(dialog.contains(deepActive())).to.equal(true);
    expect(text(dialog)).to.contain('立即吊销').and.contain('补办费用 30 元');
    await expect(el).to.be.accessible();
    const reported = oneEvent(el, 'sicert-loss-reported') as Promise<SicertLossReportedEvent>;
    dialog.querySelector<HTMLButtonElement>('button.confirm-loss')!.click();
    expect((await reported).detail.record.status).to.equal('revoked');
    expect(backend.lossReports).to.deep.equal([serial]);
    await untilBadge(el, serial, 'revoked');
    expect(dialog.open).to.equal(false);
    // Told beside the certificate, and read with 补办, which takes focus.
    const outcome = item(el, serial)!.querySelector('[part=result]');
    expect(text(outcome)).to.contain('已挂失');
    const reapply = item(el, serial)!.querySelector('button.reapply')!;
    expect(deepActive()).to.equal(reapply);
    expect(reapply.getAttribute('aria-describedby')).to.equal(outcome!.id);
    await expect(el).to.be.accessible();
  });

  it('lets the portal take over a loss report (preventDefault), and Escape cancels the confirmation', async () => {
    const { el, backend } = await card(f.status.url);
    const serial = f.status.certs.valid.serialNumber;
    await untilBadge(el, serial, 'valid');
    const button = item(el, serial)!.querySelector<HTMLButtonElement>('button.report-loss')!;
    const takeOver = (e: Event) => e.preventDefault();
    el.addEventListener('sicert-report-loss', takeOver, { once: true });
    button.click();
    await el.updateComplete;
    expect($<HTMLDialogElement>(el, '#loss-dialog')!.open).to.equal(false);
    button.focus();
    button.click();
    await waitUntil(() => $<HTMLDialogElement>(el, '#loss-dialog')!.open, 'the confirmation opens');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !$<HTMLDialogElement>(el, '#loss-dialog')!.open, 'Escape closes it');
    expect(backend.lossReports).to.deep.equal([]);
    expect(deepActive()).to.equal(button);
  });

  it('public computer: forgets every certificate, field and dialog, and says to close the browser; passes axe', async () => {
    const { el } = await card(f.status.url);
    const c = f.status.certs;
    await untilBadge(el, c.expiring.serialNumber, 'expiring');
    // A page that keeps its own session first: preventDefault leaves the card as it is.
    el.addEventListener('sicert-forget', (e) => e.preventDefault(), { once: true });
    $<HTMLButtonElement>(el, 'button.forget')!.click();
    expect(item(el, c.valid.serialNumber)).to.exist;
    // A renewal half typed: the password is in its field when the portal forgets (its logout, a timeout).
    item(el, c.expiring.serialNumber)!.querySelector<HTMLButtonElement>('button.renew')!.click();
    await waitUntil(() => $<HTMLDialogElement>(el, '#renew-dialog')!.open, 'the renewal dialog opens');
    const pin = $<SicertPinInput>(el, '#renew-dialog sicert-pin-input')!;
    typeInto(pin.shadowRoot!.querySelector('input'), f.status.pin);
    el.forget();
    await el.updateComplete;
    expect($<HTMLDialogElement>(el, '#renew-dialog')!.open).to.equal(false);
    expect(pin.value).to.equal('');
    // The citizen's own button does the same, after its event.
    await el.refresh();
    await waitUntil(() => item(el, c.valid.serialNumber) !== null, 'shown again after refresh()');
    const forget = oneEvent(el, 'sicert-forget');
    $<HTMLButtonElement>(el, 'button.forget')!.click();
    await forget;
    await el.updateComplete;
    expect($$(el, 'li[part=certificate]')).to.have.length(0);
    expect($$(el, 'section[part=token]')).to.have.length(0);
    const html = el.shadowRoot!.innerHTML;
    for (const x of [c.valid, c.expiring, c.organization]) expect(html).to.not.contain(x.serialNumber);
    expect(html).to.not.contain('陈小华');
    for (const field of $$<SicertPinInput>(el, 'sicert-pin-input')) expect(field.value).to.equal('');
    const reminder = $(el, '.forgotten')!;
    expect(text(reminder)).to.contain('请现在关闭浏览器');
    await waitUntil(() => deepActive() === reminder, 'the reminder takes focus');
    await expect(el).to.be.accessible();
  });

  it('help: a disclosure opened from the keyboard, with the seed FAQ, the region fees and hotline; passes axe', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const { el } = await card(f.status.url, new FakeStatusBackend(), lang);
      await waitUntil(() => text($(el, '.help')).includes('0571-12333'), 'the region hotline');
      const help = $<HTMLDetailsElement>(el, 'details.help')!;
      expect(help.open).to.equal(false);
      help.querySelector('summary')!.focus();
      await sendKeys({ press: 'Enter' });
      expect(help.open).to.equal(true);
      const body = text(help);
      if (lang === 'en') {
        expect(body).to.contain('electronic social-security card').and.contain('insured away from home').and.contain('20-50 yuan').and.contain('1-3 working days');
        expect(body).to.contain('测试省: USB-Key 40 yuan (free for a first certificate), reissue 30 yuan.').and.contain('Help: 0571-12333');
      } else {
        expect(body).to.contain('电子社保卡').and.contain('异地参保').and.contain('20-50元').and.contain('1-3个工作日');
        expect(body).to.contain('测试省：USB-Key工本费 40 元（首次办理免费），补办 30 元。').and.contain('咨询电话：0571-12333');
      }
      await expect(el).to.be.accessible();
    }
  });

  it('says when the agent is not running, with nothing else to act on, and passes axe', async () => {
    const { el } = await card(f.downAgentUrl);
    await waitUntil(() => agentState(el) === 'not-running', 'not running', { timeout: 10_000 });
    expect($$(el, 'section[part=token]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });
});
