import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { fromBase64, parseCertificate, verifySignedData } from '@sicert/pki';
import { installMockAgent, type InPageMockAgent, type MockScenario } from '@sicert/agent-mock/browser';
import '../src/define/sicert-signer.js';
import type { SicertErrorEvent, SicertSignedEvent, SicertSigner } from '../src/index.js';
import { loadFixture, type Fixture } from './fixture.js';
import { choose, ecdsaDerToP1363, parts, typePin, untilReady, untilState } from './helpers.js';

const DATA = '社保缴费申报 2026-11 个人缴费 640.00 元';

describe('<sicert-signer>', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function ready(lang = 'zh-CN'): Promise<SicertSigner> {
    const el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${f.agentUrl} summary="2026年11月 社保缴费申报" .data=${DATA}></sicert-signer>`);
    await untilReady(el);
    return el;
  }

  // Where the agent's state is the point, not a real agent: the in-page mock (@sicert/agent-mock) plays it. The
  // same states against real servers are guarded by agent-state.test.ts.
  async function mocked(scenario: MockScenario, lang = 'zh-CN'): Promise<SicertSigner> {
    mock = installMockAgent({ url: `ws://127.0.0.1:${mockPort++}/v1`, scenario });
    return fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${mock.url} .data=${DATA}></sicert-signer>`);
  }
  let mock: InPageMockAgent | undefined;
  let mockPort = 42_000;
  afterEach(() => {
    mock?.uninstall();
    mock = undefined;
  });

  it('says the agent is not running, with what to do and a retry, and passes axe', async () => {
    const el = await mocked('not-running');
    await untilState(el, 'not-running');
    const p = parts(el);
    expect(p.statusText()).to.contain('未检测到证书助手');
    expect(p.status.shadowRoot!.querySelector('[role=alert]')).to.exist;
    expect(p.status.shadowRoot!.querySelector('button[part=retry]')).to.exist;
    expect(p.picker === null && p.pin === null).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('tells a running agent that refuses this site apart from one that is not running', async () => {
    const el = await mocked('not-allowed');
    await untilState(el, 'origin-denied');
    expect(parts(el).statusText()).to.contain('不允许本网站使用');
  });

  it('says "not allowed" at once when the running agent stops allowing this site, not "not running" after a wait', async () => {
    const el = await mocked('valid');
    // Long enough that only the signer's own look at the agent, not the give-up timer, can end "reconnecting".
    el.reconnectTimeout = 60_000;
    await untilState(el, 'ready');
    await mock!.setScenario('not-allowed');
    await untilState(el, 'origin-denied');
    expect(parts(el).statusText()).to.contain('不允许本网站使用');
    // Allowed again: the connection comes back by itself.
    await mock!.setScenario('valid');
    await untilState(el, 'ready');
  });

  it('asks to update an agent of an older protocol', async () => {
    const el = await mocked('outdated', 'en');
    await untilState(el, 'too-old');
    expect(parts(el).statusText()).to.contain('too old');
  });

  it('lists every certificate with holder, issuer, validity and medium, and passes axe', async () => {
    const el = await ready();
    const p = parts(el);
    const values = p.radios().map((r) => r.value);
    for (const id of [...Object.values(f.certs.usb), ...Object.values(f.certs.soft)]) expect(values).to.include(id);
    const text = p.options().map((o) => o.textContent?.replace(/\s+/g, ' ') ?? '');
    const usbEc = text[values.indexOf(f.certs.usb['ECDSA-P256'])]!;
    expect(usbEc).to.contain('王小明 ECDSA-P256').and.contain('USB-Key').and.contain('sicert Test Root CA').and.match(/有效期: \d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d/);
    expect(text[values.indexOf(f.certs.soft['RSA-2048'])]).to.contain('本机证书');
    expect(el.shadowRoot!.querySelector('[part=summary]')!.textContent).to.equal('2026年11月 社保缴费申报');
    // The password asked for is the one the certificate already has (a USB-Key's PIN may be any the vendor set):
    // no rule for new passwords is shown here.
    const hint = el.shadowRoot!.querySelector('sicert-pin-input')!.shadowRoot!.querySelector('[part=hint]')!.textContent!;
    expect(hint).to.equal('密码只用于本次操作，不会被保存。');
    await expect(el).to.be.accessible();
  });

  for (const algorithm of ['ECDSA-P256', 'RSA-2048'] as const) {
    it(`signs with the USB-Key (${algorithm}): the CMS verifies, the PIN field is cleared`, async () => {
      const el = await ready();
      choose(el, f.certs.usb[algorithm]);
      typePin(el, f.usbPin);
      const signed = oneEvent(el, 'sicert-signed') as Promise<SicertSignedEvent>;
      parts(el).signButton().click();
      const { detail } = await signed;
      expect(detail.certId).to.equal(f.certs.usb[algorithm]);
      expect(detail.format).to.equal('cms-detached');
      const verdict = await verifySignedData(fromBase64(detail.signature), { content: new TextEncoder().encode(DATA), expectedSigner: { certificate: fromBase64(detail.certificate) }, trustedRoots: [fromBase64(f.root)] });
      expect(verdict.valid, verdict.message).to.equal(true);
      expect(verdict.signer?.subjectCommonName).to.equal(`王小明 ${algorithm}`);
      await el.updateComplete;
      expect(parts(el).pinField().value).to.equal('');
      // The signer cannot know what the portal makes of the signature: it says no more than "signed".
      expect(parts(el).result()!.textContent).to.equal('已签名。网站核验结果以页面提示为准。');
    });
  }

  it('reports a wrong PIN, clears the field, and signs with the right one afterwards', async () => {
    const el = await ready();
    choose(el, f.certs.usb['ECDSA-P256']);
    typePin(el, 'Wrong135x');
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    const { detail } = await failed;
    expect(detail.reason).to.equal('PIN_INCORRECT');
    await el.updateComplete;
    expect(parts(el).pinField().value).to.equal('');
    const error = parts(el).error()!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(error.textContent).to.contain('密码错误');
    await expect(el).to.be.accessible();
    typePin(el, f.usbPin);
    const signed = oneEvent(el, 'sicert-signed');
    parts(el).signButton().click();
    await signed;
    expect(parts(el).error() === null).to.equal(true);
  });

  it('shows the tries left when the token knows them (software token), in English with lang="en"', async () => {
    const el = await ready('en');
    choose(el, f.certs.soft['ECDSA-P256']);
    typePin(el, 'Wrong135x');
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    const { detail } = await failed;
    expect(detail.reason).to.equal('PIN_INCORRECT');
    expect(detail.retriesLeft).to.be.a('number').and.be.below(10);
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.equal(`Wrong password: ${detail.retriesLeft} tries left.`);
    expect(el.shadowRoot!.querySelector('h2')!.textContent).to.equal('Sign with your digital certificate');
    // the right PIN resets the count: the next wrong PIN is told the same number of tries as the first
    typePin(el, f.softPin);
    const signed = oneEvent(el, 'sicert-signed');
    parts(el).signButton().click();
    await signed;
    typePin(el, 'Wrong246x');
    const again = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    expect((await again).detail.retriesLeft).to.equal(detail.retriesLeft);
    typePin(el, f.softPin);
    const cleared = oneEvent(el, 'sicert-signed');
    parts(el).signButton().click();
    await cleared;
  });

  it('is keyboard-usable: Enter in the password field signs', async () => {
    const el = await ready();
    choose(el, f.certs.soft['RSA-2048']);
    typePin(el, f.softPin);
    const signed = oneEvent(el, 'sicert-signed');
    parts(el).pinField().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    const { detail } = (await signed) as SicertSignedEvent;
    expect(detail.certId).to.equal(f.certs.soft['RSA-2048']);
  });

  it('refuses to send an empty PIN and says so', async () => {
    const el = await ready();
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    await failed;
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.equal('请输入证书密码。');
  });

  it('signs raw when asked, over a digest', async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(DATA)));
    const el = await fixture<SicertSigner>(html`<sicert-signer agent-url=${f.agentUrl} format="raw" .digest=${digest}></sicert-signer>`);
    await untilReady(el);
    choose(el, f.certs.usb['ECDSA-P256']);
    typePin(el, f.usbPin);
    const signed = oneEvent(el, 'sicert-signed') as Promise<SicertSignedEvent>;
    parts(el).signButton().click();
    const { detail } = await signed;
    expect(detail.format).to.equal('raw');
    // A raw signature is the DER SEQUENCE { r, s } over the digest: it verifies with the certificate's key
    // against the data the digest was taken of (a CMS would not parse as one).
    const spki = parseCertificate(fromBase64(detail.certificate)).subjectPublicKeyInfo.toSchema().toBER(false);
    const key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ecdsaDerToP1363(fromBase64(detail.signature)), new TextEncoder().encode(DATA));
    expect(valid).to.equal(true);
  });
});
