import { expect, fixture, html } from '@open-wc/testing';
import '../src/define/sicert-cert-status.js';
import type { CertificateRecord, SicertCertStatus } from '../src/index.js';
import { FakeStatusBackend } from './fake-status-backend.js';
import { loadFixture, type Fixture } from './fixture.js';
import { $, badge, buttons, item, text, tokenSection, untilBadge } from './status-helpers.js';

// What the card offers, after a new user's review of issue 8: nothing done in the holder's name on someone else's
// certificate, a calm badge for a certificate replaced by its renewal, and no password help for a token whose every
// certificate has ended. A real agent (a software token with a certificate in every validity state), a FAKE backend.
describe('<sicert-cert-status> offers', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function card(backend: FakeStatusBackend, lang = 'zh-CN') {
    return fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" agent-url=${f.status.url} .backend=${backend}></sicert-cert-status>`);
  }
  const revoked = (serialNumber: string, revocationReason: CertificateRecord['revocationReason'] = 'keyCompromise'): CertificateRecord => ({
    serialNumber,
    status: 'revoked',
    revokedAt: '2026-11-01T08:00:00Z',
    revocationReason,
  });

  it("offers no loss report, renewal or reissue on a certificate the portal says is not the signed-in person's, and says why; axe", async () => {
    const c = f.status.certs;
    const backend = new FakeStatusBackend();
    for (const x of [c.valid, c.expiring, c.expired, c.notYetValid]) backend.notMine.add(x.serialNumber);
    backend.revoked.set(c.notYetValid.serialNumber, revoked(c.notYetValid.serialNumber));
    const el = await card(backend);
    await untilBadge(el, c.notYetValid.serialNumber, 'revoked');
    for (const x of [c.valid, c.expiring, c.expired, c.notYetValid]) {
      expect(buttons(el, x.serialNumber), x.serialNumber).to.deep.equal([]);
      expect(text(item(el, x.serialNumber)?.querySelector('.not-mine'))).to.contain('这张证书不属于当前登录的用户');
    }
    // The organisation's certificate, which the portal says nothing of, keeps its actions.
    expect(buttons(el, c.organization.serialNumber)).to.deep.equal(['挂失']);
    await expect(el).to.be.accessible();
    const en = await card(backend, 'en');
    await untilBadge(en, c.notYetValid.serialNumber, 'revoked');
    expect(text(item(en, c.valid.serialNumber)?.querySelector('.not-mine'))).to.contain('does not belong to the signed-in user');
  });

  it('a certificate replaced by its renewal: 已更新 / Replaced by renewal, calm, nothing to do; axe', async () => {
    const c = f.status.certs;
    const backend = new FakeStatusBackend();
    backend.revoked.set(c.expiring.serialNumber, revoked(c.expiring.serialNumber, 'superseded'));
    backend.revoked.set(c.valid.serialNumber, revoked(c.valid.serialNumber));
    const el = await card(backend);
    await untilBadge(el, c.expiring.serialNumber, 'superseded');
    expect(badge(el, c.expiring.serialNumber)).to.equal('已更新');
    expect(text(item(el, c.expiring.serialNumber))).to.contain('已由续期后的新证书替代').and.not.contain('吊销');
    expect(item(el, c.expiring.serialNumber)!.querySelector('.note.bad') === null, 'no alarm note').to.equal(true);
    expect(buttons(el, c.expiring.serialNumber)).to.deep.equal([]);
    // Its colour is the muted one, not the danger of the revoked certificate beside it.
    const colour = (serial: string) => getComputedStyle(item(el, serial)!.querySelector('[part=badge]')!).color;
    expect(colour(c.expiring.serialNumber)).to.not.equal(colour(c.valid.serialNumber));
    expect(colour(c.expiring.serialNumber)).to.equal(colour(c.notYetValid.serialNumber));
    await expect(el).to.be.accessible();
    const en = await card(backend, 'en');
    await untilBadge(en, c.expiring.serialNumber, 'superseded');
    expect(badge(en, c.expiring.serialNumber)).to.equal('Replaced by renewal');
  });

  it('no password change or forgotten-password help on a token whose every certificate has ended; both while one lives; axe', async () => {
    const c = f.status.certs;
    const token = c.valid.certId.split('/')[0]!;
    const backend = new FakeStatusBackend();
    backend.revoked.set(c.valid.serialNumber, revoked(c.valid.serialNumber));
    backend.revoked.set(c.expiring.serialNumber, revoked(c.expiring.serialNumber, 'superseded'));
    backend.revoked.set(c.notYetValid.serialNumber, revoked(c.notYetValid.serialNumber));
    // One still lives (the organisation's): the password protects it.
    let el = await card(backend);
    await untilBadge(el, c.notYetValid.serialNumber, 'revoked');
    expect($(el, 'button.change-pin') !== null, 'password change').to.equal(true);
    expect($(el, 'details.forgot') !== null, 'forgotten-password help').to.equal(true);
    backend.revoked.set(c.organization.serialNumber, revoked(c.organization.serialNumber));
    el = await card(backend);
    await untilBadge(el, c.organization.serialNumber, 'revoked');
    const section = tokenSection(el, token)!;
    // (Booleans: a failing assertion on an element makes the runner serialise it, which never ends.)
    expect(section.querySelector('button.change-pin') === null, 'no password change').to.equal(true);
    expect(section.querySelector('details.forgot') === null, 'no forgotten-password help').to.equal(true);
    expect(text(section.querySelector('[part=notice]'))).to.contain('无需修改密码').and.not.contain('挂失');
    await expect(el).to.be.accessible();
  });
});
