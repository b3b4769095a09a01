import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/define/sicert-signer.js';
import type { SicertAgentStateEvent, SicertBatchSignedEvent, SicertErrorEvent, SicertSigner } from '../src/index.js';
import { batchParts, consent, declarations } from './batch-helpers.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { choose, parts, typePin, untilReady, untilState } from './helpers.js';

// The batch mode against the scripted peers: an agent without sign.batch, progress held mid-way, the whole-batch
// refusals (throttled, locked, key removed, cancelled) worded as the one-operation mode words them, and a dropped
// connection.
describe('<sicert-signer> batch mode against agent faults', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function ready(n: number, lang = 'zh-CN'): Promise<SicertSigner> {
    const el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${f.peer.batchUrl} .items=${declarations(n)}></sicert-signer>`);
    await untilReady(el);
    choose(el, f.peer.certId);
    consent(el);
    return el;
  }

  it('says an agent without sign.batch cannot sign several at once, and tells the page, which can fall back', async () => {
    const states: SicertAgentStateEvent['detail'][] = [];
    const el = document.createElement('sicert-signer');
    el.addEventListener('sicert-agent-state', (e) => states.push(e.detail));
    el.agentUrl = f.peer.url;
    el.items = declarations(3);
    await fixture(el);
    await untilState(el, 'too-old');
    expect(states.at(-1)).to.deep.include({ state: 'too-old', missingCapabilities: ['sign.batch'] });
    expect(batchParts(el).unsupported()).to.equal('本页要一次签署多项（批量签名），这需要新版证书助手。');
    expect(parts(el).pin).to.equal(null);
    await expect(el).to.be.accessible();
    // The page falls back to one operation: the same agent is ready for it.
    el.items = undefined;
    el.data = declarations(1)[0]!.data;
    await untilReady(el);
    expect(batchParts(el).unsupported()).to.equal('');
  });

  it('shows progress as the agent reports it (已签 120/300, an accessible progress bar), then every outcome; axe', async () => {
    const el = await ready(300);
    typePin(el, f.peer.pins.hold);
    parts(el).signButton().click();
    const b = batchParts(el);
    await waitUntil(() => b.progressText() === '已签 120/300', 'the reported progress is shown');
    const bar = b.progress()!;
    expect([bar.value, bar.max]).to.deep.equal([120, 300]);
    expect(bar.getAttribute('aria-label')).to.equal('签名进度');
    expect(bar.getAttribute('aria-valuetext')).to.equal('已签 120/300');
    // Nothing can be changed or started again while the agent signs.
    expect(parts(el).signButton().disabled).to.equal(true);
    expect(parts(el).signButton().textContent!.trim()).to.equal('正在签名…');
    expect(b.consent().disabled).to.equal(true);
    expect(el.shadowRoot!.querySelector('section')!.getAttribute('aria-busy')).to.equal('true');
    await expect(el).to.be.accessible();
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    expect(await control('batch-peer-answer-held')).to.equal(1);
    expect((await signed).detail.signed).to.equal(300);
    await el.updateComplete;
    expect(b.progress()).to.equal(null);
    expect(b.result()!.textContent).to.contain('全部签署成功，共 300 项。');
  });

  it('says progress in English', async () => {
    const el = await ready(10, 'en');
    typePin(el, f.peer.pins.hold);
    parts(el).signButton().click();
    const b = batchParts(el);
    await waitUntil(() => b.progressText() === 'Signed 4 of 10', 'the reported progress is shown');
    expect(b.progress()!.getAttribute('aria-label')).to.equal('Signing progress');
    const signed = oneEvent(el, 'sicert-batch-signed');
    await control('batch-peer-answer-held');
    await signed;
  });

  it('hands the outcomes of items the page replaced mid-batch to the event, and marks nothing on the new list', async () => {
    const el = await ready(5);
    typePin(el, f.peer.pins.hold);
    parts(el).signButton().click();
    await waitUntil(() => batchParts(el).progressText() === '已签 2/5', 'the batch is under way');
    el.items = declarations(2).map((item) => ({ ...item, id: `next-${item.id!}` }));
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    await control('batch-peer-answer-held');
    const { detail } = await signed;
    expect(detail.outcomes.map((o) => o.id)).to.deep.equal(['decl-1', 'decl-2', 'decl-3', 'decl-4', 'decl-5']);
    await el.updateComplete;
    expect(batchParts(el).result()).to.equal(null);
    expect(batchParts(el).outcomeTexts()).to.deep.equal(['', '']);
    expect(batchParts(el).label()).to.equal('您将签署以下 2 项');
  });

  for (const [pin, reason, words] of [
    ['throttled', 'PIN_THROTTLED', `密码错误次数过多，请 42 秒后再试。`],
    ['locked', 'PIN_LOCKED', '本机证书的密码已锁定，且无法解锁。请在“我的数字证书”中挂失此证书，再在线补办（重新申领）。'],
    ['removed', 'TOKEN_REMOVED', 'USB-Key已被拔出，请重新插入后重试。'],
    ['cancelled', 'CANCELLED', '操作已取消。'],
  ] as const) {
    it(`a whole-batch ${reason} is worded as for one operation, and nothing is marked signed`, async () => {
      const words1 = await singleModeWords(f.peer.pins[pin]);
      expect(words1).to.equal(words);
      const el = await ready(3);
      typePin(el, f.peer.pins[pin]);
      const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
      parts(el).signButton().click();
      const { detail } = await failed;
      expect(detail.reason).to.equal(reason);
      expect(detail.message).to.equal(words);
      if (reason === 'PIN_THROTTLED') expect(detail.retryAfterMs).to.equal(f.peer.retryAfterMs);
      await el.updateComplete;
      expect(parts(el).error()!.textContent).to.equal(words);
      expect(batchParts(el).result()).to.equal(null);
      expect(batchParts(el).outcomeTexts()).to.deep.equal(['', '', '']);
      expect(parts(el).pinField().value).to.equal('');
      expect(el.shadowRoot!.activeElement).to.equal(parts(el).pin);
    });
  }

  /** What the one-operation signer says for the same scripted refusal. */
  async function singleModeWords(pin: string): Promise<string> {
    const el = await fixture<SicertSigner>(html`<sicert-signer agent-url=${f.peer.batchUrl} .data=${'社保缴费申报'}></sicert-signer>`);
    await untilReady(el);
    choose(el, f.peer.certId);
    typePin(el, pin);
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    return (await failed).detail.message;
  }

  it('fails a batch in flight once with DISCONNECTED when the agent goes away', async () => {
    const el = await ready(5);
    const outcomes: string[] = [];
    el.addEventListener('sicert-error', (e) => outcomes.push(`error ${e.detail.reason}`));
    el.addEventListener('sicert-batch-signed', () => outcomes.push('signed'));
    typePin(el, f.peer.pins.hold);
    parts(el).signButton().click();
    await waitUntil(async () => (await control('batch-peer-held')) === 1, 'the peer holds the batch');
    await control('batch-peer-drop');
    await waitUntil(() => outcomes.length > 0, 'the signer hears of the drop');
    expect(outcomes).to.deep.equal(['error DISCONNECTED']);
    await el.updateComplete;
    expect(batchParts(el).progress()).to.equal(null);
    expect(parts(el).error()!.textContent).to.contain('与证书助手的连接已断开');
    await untilReady(el);
    // The peer forgets what it held for a connection that is gone: answer it now, into nothing.
    await control('batch-peer-answer-held');
  });
});
