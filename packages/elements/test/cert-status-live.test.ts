import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/define/sicert-cert-status.js';
import type { SicertCertStatus } from '../src/index.js';
import { FakeStatusBackend } from './fake-status-backend.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { $, $$, badge, text, tokenSection, untilBadge } from './status-helpers.js';

// The card follows the agent's token notifications. The agent of this branch does not send them yet (hot-plug is
// built in parallel), so the scripted peer sends them here, as the agent will: `token.added` when a USB-Key is
// plugged in, `token.removed` when it is pulled out, `token.changed` when a token's password state changes. The
// peer's USB-Key is also the locked USB-Key a SoftHSM2 token cannot be (SoftHSM2 never locks a PIN).
describe('<sicert-cert-status> live', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  afterEach(async () => {
    await control('peer-reset');
  });

  async function card(lang = 'zh-CN') {
    const el = await fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" agent-url=${f.peer.url} .backend=${new FakeStatusBackend()}></sicert-cert-status>`);
    await untilBadge(el, '01', 'valid');
    return el;
  }

  it('shows a USB-Key plugged in (token.added) and drops it when pulled out (token.removed), without a reload', async () => {
    const el = await card();
    expect(tokenSection(el, 'peer-usb-1')).to.equal(null);
    await control('peer-plug');
    await untilBadge(el, '02', 'locked');
    const usb = tokenSection(el, 'peer-usb-1')!;
    expect(text(usb.querySelector('h3'))).to.equal('USB-Key · 赵小刚的U盾');
    expect(text(usb)).to.contain('Peer Keys PK-1，序列号 PK0001');
    // A locked USB-Key: the hall unlocks it, and the region's hotline helps.
    const notice = text(usb.querySelector('[part=notice]'));
    expect(notice).to.contain('社保服务大厅').and.contain('0571-12333');
    expect(badge(el, '02')).to.equal('密码已锁定');
    expect(usb.querySelector('details.forgot')).to.equal(null);
    expect(usb.querySelector('button.change-pin')).to.equal(null);
    await expect(el).to.be.accessible();
    await control('peer-unplug');
    await waitUntil(() => tokenSection(el, 'peer-usb-1') === null, 'the USB-Key leaves the card');
    expect(badge(el, '01')).to.equal('有效');
  });

  it('shows a password locked meanwhile (token.changed), by medium', async () => {
    const el = await card('en');
    await control('peer-lock');
    await untilBadge(el, '01', 'locked');
    expect(badge(el, '01')).to.equal('Password locked');
    expect(text($(el, '[part=notice]'))).to.contain('Report it lost').and.not.contain('hall');
    await expect(el).to.be.accessible();
  });

  it('after "public computer", a notification brings nothing back', async () => {
    const forgotten = await card();
    forgotten.forget();
    // A second card on the same page (and the same connection) shows when the notification has been handled.
    const witness = await card();
    await control('peer-plug');
    await untilBadge(witness, '02', 'locked');
    await forgotten.updateComplete;
    expect($$(forgotten, 'section[part=token]')).to.have.length(0);
    // Nor is anything read into the page's memory behind the reminder (the card's model, looked at directly).
    const held = (forgotten as unknown as { data: { tokens: unknown[]; certificates: unknown[] } }).data;
    expect(held.tokens.length + held.certificates.length).to.equal(0);
    expect(text($(forgotten, '.forgotten'))).to.contain('关闭浏览器');
  });
});
