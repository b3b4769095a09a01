import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { installMockAgent } from '@sicert/agent-mock/browser';
import '../src/define/sicert-signer.js';
import type { SicertErrorEvent, SicertSigner } from '../src/index.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { choose, parts, typePin, untilReady } from './helpers.js';

// The signer against the scripted peer: a signature in flight when the agent goes away, and a throttled PIN.
describe('<sicert-signer> against agent faults', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function ready(lang = 'zh-CN'): Promise<SicertSigner> {
    const el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${f.peer.url} .data=${'社保缴费申报'}></sicert-signer>`);
    await untilReady(el);
    choose(el, f.peer.certId);
    return el;
  }

  it('fails a signature in flight when the agent goes away, once, with DISCONNECTED; a late answer is ignored', async () => {
    const el = await ready();
    const outcomes: string[] = [];
    el.addEventListener('sicert-error', (e) => outcomes.push(`error ${e.detail.reason}`));
    el.addEventListener('sicert-signed', () => outcomes.push('signed'));
    typePin(el, f.peer.pins.hold);
    parts(el).signButton().click();
    await waitUntil(async () => (await control('peer-held')) === 1, 'the peer holds the request');
    await control('peer-drop');
    await waitUntil(() => outcomes.length > 0, 'the signer hears of the drop', { timeout: 10_000 });
    expect(outcomes).to.deep.equal(['error DISCONNECTED']);
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.contain('与证书助手的连接已断开');
    // The connection comes back; the peer then answers the request the signer already gave up on.
    await untilReady(el);
    expect(await control('peer-answer-held')).to.equal(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(outcomes).to.deep.equal(['error DISCONNECTED']);
    expect(parts(el).result() === null).to.equal(true);
    // And the next signature is its own.
    typePin(el, f.peer.pins.sign);
    const signed = oneEvent(el, 'sicert-signed');
    parts(el).signButton().click();
    await signed;
    expect(outcomes).to.deep.equal(['error DISCONNECTED', 'signed']);
  });

  it('says how long to wait after too many wrong PINs (PIN_THROTTLED with retryAfterMs)', async () => {
    const el = await ready();
    typePin(el, f.peer.pins.throttled);
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    const { detail } = await failed;
    expect(detail.reason).to.equal('PIN_THROTTLED');
    expect(detail.retryAfterMs).to.equal(f.peer.retryAfterMs);
    const seconds = Math.ceil(f.peer.retryAfterMs / 1000);
    expect(detail.message).to.equal(`密码错误次数过多，请 ${seconds} 秒后再试。`);
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.equal(detail.message);
    await expect(el).to.be.accessible();
  });

  it('says it in English too', async () => {
    const el = await ready('en');
    typePin(el, f.peer.pins.throttled);
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    expect((await failed).detail.message).to.equal(`Too many wrong passwords: try again in ${Math.ceil(f.peer.retryAfterMs / 1000)} seconds.`);
  });

  // A locked password on either medium, played by the in-page mock agent (@sicert/agent-mock): its lock, not a
  // real token's, is the point here.
  it('words a locked password by medium: 挂失 and 补办 online for this computer, the hall for a USB-Key', async () => {
    const messages: string[] = [];
    for (const [medium, port] of [['computer', 43_001], ['usb-key', 43_002]] as const) {
      const mock = installMockAgent({ url: `ws://127.0.0.1:${port}/v1`, scenario: 'locked', medium });
      try {
        const el = await fixture<SicertSigner>(html`<sicert-signer agent-url=${mock.url} .data=${'社保缴费申报'}></sicert-signer>`);
        await untilReady(el);
        parts(el).radios()[0]!.click();
        typePin(el, mock.pin);
        const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
        parts(el).signButton().click();
        const { detail } = await failed;
        expect(detail.reason).to.equal('PIN_LOCKED');
        messages.push(detail.message);
      } finally {
        mock.uninstall();
      }
    }
    const [computer, usbKey] = messages as [string, string];
    expect(computer).to.contain('挂失');
    expect(computer).not.to.contain('大厅');
    expect(usbKey).to.contain('社保服务大厅');
    expect(usbKey).to.contain('USB-Key');
  });
});
