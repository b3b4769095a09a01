import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { fromBase64, verifySignedData } from '@sicert/pki';
import '../src/define/sicert-cert-status.js';
import '../src/define/sicert-signer.js';
import type { SicertCertStatus, SicertErrorEvent, SicertPinChange, SicertPinChangedEvent, SicertSignedEvent, SicertSigner } from '../src/index.js';
import { FakeStatusBackend } from './fake-status-backend.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { choose, parts, typePin, untilReady } from './helpers.js';
import { $, deepActive, pinDialog, text, typeInto } from './status-helpers.js';

// The password dialog: from the status card (against the scripted peer, which answers pin.change with each reason
// the agent documents), on its own, and against a real agent once it serves pin.change.
describe('<sicert-pin-change>', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  afterEach(async () => {
    await control('peer-reset');
  });

  async function card(agentUrl: string, lang = 'zh-CN') {
    const el = await fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" agent-url=${agentUrl} .backend=${new FakeStatusBackend()}></sicert-cert-status>`);
    await waitUntil(() => $(el, 'button.change-pin') !== null || $(el, '.token-actions .hint') !== null, 'the token is listed', { timeout: 10_000 });
    return el;
  }

  /** Opens the dialog from the card's button; resolves with the card, the button and the dialog's parts. */
  async function opened(lang = 'zh-CN') {
    const el = await card(f.peer.url, lang);
    const button = $<HTMLButtonElement>(el, 'button.change-pin')!;
    button.click();
    await waitUntil(() => pinDialog(el).native()?.open, 'the dialog opens');
    return { el, button, d: pinDialog(el) };
  }

  async function attempt(d: ReturnType<typeof pinDialog>, oldPin: string, newPin: string, confirm = newPin): Promise<void> {
    typeInto(d.input('old'), oldPin);
    typeInto(d.input('new'), newPin);
    typeInto(d.input('confirm'), confirm);
    await d.dialog!.submit();
  }

  const empty = (d: ReturnType<typeof pinDialog>) => (['old', 'new', 'confirm'] as const).every((n) => d.input(n)!.value === '');

  it('opens from the card with focus in the current password; Enter moves on and submits; success clears it all; axe', async () => {
    const { el, button, d } = await opened();
    expect(deepActive()).to.equal(d.input('old'));
    expect(text(d.native())).to.contain('修改证书密码').and.contain('本机 · 赵小刚');
    await expect(el).to.be.accessible();
    const changed = oneEvent(el, 'sicert-pin-changed') as Promise<SicertPinChangedEvent>;
    await sendKeys({ type: f.peer.pinChange.right });
    await sendKeys({ press: 'Enter' });
    expect(deepActive()).to.equal(d.input('new'));
    await sendKeys({ type: 'Nova2468x' });
    await sendKeys({ press: 'Enter' });
    expect(deepActive()).to.equal(d.input('confirm'));
    await sendKeys({ type: 'Nova2468x' });
    await sendKeys({ press: 'Enter' });
    expect((await changed).detail.tokenId).to.equal('soft-default');
    await waitUntil(() => d.result() !== '', 'the success message');
    expect(d.result()).to.equal('密码已修改。请牢记新密码，下次签名时使用。');
    expect(empty(d)).to.equal(true);
    expect(await control('peer-pin-changes')).to.equal(1);
    expect(deepActive()?.classList.contains('close')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive() === button, 'focus back on the button that opened it');
    expect(pinDialog(el).dialog).to.equal(null);
  });

  it('Escape closes it, wipes what was typed, and gives focus back', async () => {
    const { el, button, d } = await opened();
    await sendKeys({ type: 'Typed2468x' });
    const field = d.input('old')!;
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActive() === button, 'focus back on the button');
    expect(field.value).to.equal('');
    button.click();
    await waitUntil(() => pinDialog(el).native()?.open, 'open again');
    expect(empty(pinDialog(el))).to.equal(true);
  });

  it('refuses a new password against the policy before the agent is asked, with the meter saying why', async () => {
    const { d } = await opened();
    typeInto(d.input('new'), '123456');
    await d.field('new')!.updateComplete;
    const meter = d.field('new')!.shadowRoot!.querySelector('[part=meter]')!;
    expect(meter.classList.contains('refused')).to.equal(true);
    expect(text(meter)).to.equal('密码须同时包含字母和数字。');
    typeInto(d.input('new'), 'Kq7m2xWp4n');
    await d.field('new')!.updateComplete;
    expect(meter.classList.contains('strong')).to.equal(true);
    await attempt(d, f.peer.pinChange.right, '123456');
    expect(d.error()).to.equal('密码须同时包含字母和数字。');
    await attempt(d, f.peer.pinChange.right, 'Nova2468x', 'Nova2468y');
    expect(d.error()).to.equal('两次输入的密码不一致。');
    await attempt(d, 'Same2468x', 'Same2468x');
    expect(d.error()).to.equal('新密码不能与当前密码相同。');
    expect(await control('peer-pin-changes')).to.equal(0);
    expect(empty(d)).to.equal(true);
    expect(deepActive()).to.equal(d.input('old'));
  });

  it("from the card, refuses the signed-in holder's birth date as the wizard does; not on a token the portal says is another's", async () => {
    // 张三 (born 19491231) once changed his password to 19491231ab, rated strong: the card never told the dialog.
    const open = async (backend: FakeStatusBackend, shown = 'button.change-pin') => {
      const el = await fixture<SicertCertStatus>(html`<sicert-cert-status region="test-region" birth-date="1949-12-31" agent-url=${f.peer.url} .backend=${backend}></sicert-cert-status>`);
      await waitUntil(() => $(el, 'button.change-pin') !== null && $(el, shown) !== null, `${shown} shown`, { timeout: 10_000 });
      $<HTMLButtonElement>(el, 'button.change-pin')!.click();
      await waitUntil(() => pinDialog(el).native()?.open, 'the dialog opens');
      const d = pinDialog(el);
      typeInto(d.input('new'), '19491231ab');
      await d.field('new')!.updateComplete;
      return { d, meter: d.field('new')!.shadowRoot!.querySelector('[part=meter]')! };
    };
    const { d, meter } = await open(new FakeStatusBackend());
    expect(meter.classList.contains('refused')).to.equal(true);
    expect(text(meter)).to.equal('密码不能包含您的出生日期。');
    await attempt(d, f.peer.pinChange.right, '19491231ab');
    expect(d.error()).to.equal('密码不能包含您的出生日期。');
    expect(await control('peer-pin-changes')).to.equal(0);
    d.dialog!.close();
    // 李四 signed in on the computer that holds 张三's token: the portal says it is not his, and his birthday is no rule there.
    const foreign = new FakeStatusBackend();
    foreign.notMine.add('01');
    const other = await open(foreign, 'li[data-serial="01"] .not-mine');
    expect(other.meter.classList.contains('strong')).to.equal(true);
    other.d.dialog!.close();
  });

  it('a wrong current password says the tries left, fires sicert-error, wipes the fields and refocuses', async () => {
    const { el, d } = await opened();
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    await attempt(d, f.peer.pinChange.wrong, 'Nova2468x');
    const { detail } = await failed;
    expect(detail).to.include({ reason: 'PIN_INCORRECT', retriesLeft: f.peer.retriesLeft });
    expect(d.error()).to.equal(`当前密码错误，还可尝试 ${f.peer.retriesLeft} 次。`);
    expect(empty(d)).to.equal(true);
    await d.dialog!.updateComplete;
    expect(deepActive()).to.equal(d.input('old'));
    await expect(el).to.be.accessible();
  });

  it("maps every reason the agent gives to the citizen's message, by medium", async () => {
    const { d } = await opened();
    const cases: [string, string, string][] = [
      [f.peer.pinChange.right, f.peer.pinChange.policyRefused, '新密码不符合要求：需6-12位字母与数字组合，且不能过于简单。'],
      [f.peer.pinChange.locked, 'Nova2468x', '本机证书的密码已锁定，且无法解锁。请先“挂失”注销此证书，再点击“补办”重新申领，全程在网上办理。'],
      [f.peer.pinChange.throttled, 'Nova2468x', `密码错误次数过多，请 ${Math.ceil(f.peer.retryAfterMs / 1000)} 秒后再试。`],
      [f.peer.pinChange.removed, 'Nova2468x', 'USB-Key已被拔出，请重新插入后重试。'],
    ];
    for (const [oldPin, newPin, message] of cases) {
      await attempt(d, oldPin, newPin);
      expect(d.error()).to.equal(message);
    }
    // On its own, for a USB-Key: a locked password is the hall's, with the region's hotline.
    const alone = await fixture<SicertPinChange>(html`<sicert-pin-change lang="en" agent-url=${f.peer.url} token-id="peer-usb-1" provider="pkcs11" hotline="0571-12333"></sicert-pin-change>`);
    await alone.show();
    const own = (name: string) => alone.shadowRoot!.querySelector(`sicert-pin-input[data-field="${name}"]`)!.shadowRoot!.querySelector('input');
    typeInto(own('old'), f.peer.pinChange.locked);
    typeInto(own('new'), 'Nova2468x');
    typeInto(own('confirm'), 'Nova2468x');
    await alone.submit();
    expect(text(alone.shadowRoot!.querySelector('[part=error]'))).to.contain('service hall').and.contain('0571-12333');
    await expect(alone).to.be.accessible();
    alone.close();
  });

  it('the portal can take over (preventDefault on sicert-pin-change): no dialog', async () => {
    const el = await card(f.peer.url);
    el.addEventListener('sicert-pin-change', (e) => e.preventDefault(), { once: true });
    $<HTMLButtonElement>(el, 'button.change-pin')!.click();
    await el.updateComplete;
    expect(pinDialog(el).dialog).to.equal(null);
  });

  it('in English, and passes axe while open', async () => {
    const { el, d } = await opened('en');
    expect(text(d.native())).to.contain('Change the certificate password').and.contain('This computer · 赵小刚');
    await attempt(d, f.peer.pinChange.wrong, 'Nova2468x');
    expect(d.error()).to.equal(`Wrong current password: ${f.peer.retriesLeft} tries left.`);
    await expect(el).to.be.accessible();
  });

  it('against a real agent: the new password signs, the old one no longer does', async function () {
    const el = await card(f.status.pinUrl);
    // An agent without pin.change (before it lands) gets the "update the agent" hint instead of the button.
    if (!$(el, 'button.change-pin')) this.skip();
    $<HTMLButtonElement>(el, 'button.change-pin')!.click();
    await waitUntil(() => pinDialog(el).native()?.open, 'the dialog opens');
    const d = pinDialog(el);
    const changed = oneEvent(el, 'sicert-pin-changed');
    await attempt(d, f.status.pin, 'Nova2468x');
    await changed;
    d.dialog!.close();
    const signer = await fixture<SicertSigner>(html`<sicert-signer agent-url=${f.status.pinUrl} .data=${'新密码签名'}></sicert-signer>`);
    await untilReady(signer);
    choose(signer, f.status.pinCerts.valid.certId);
    const refused = oneEvent(signer, 'sicert-error') as Promise<SicertErrorEvent>;
    typePin(signer, f.status.pin);
    parts(signer).signButton().click();
    expect((await refused).detail.reason).to.equal('PIN_INCORRECT');
    const signed = oneEvent(signer, 'sicert-signed') as Promise<SicertSignedEvent>;
    typePin(signer, 'Nova2468x');
    parts(signer).signButton().click();
    const { detail } = await signed;
    const verdict = await verifySignedData(fromBase64(detail.signature), {
      content: new TextEncoder().encode('新密码签名'),
      expectedSigner: { certificate: fromBase64(detail.certificate) },
      trustedRoots: [fromBase64(f.root)],
    });
    expect(verdict.valid, verdict.message).to.equal(true);
  });
});
