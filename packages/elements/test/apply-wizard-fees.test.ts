// <sicert-apply-wizard>: the fee shown, from the region profile and from whether the holder had a certificate before.
import { expect, waitUntil } from '@open-wc/testing';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PROFILE, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> fees', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, next, toPassword, pin } = wizardDriver(() => f);

  async function toReview(backend: FakePortalBackend, lang = 'zh-CN') {
    const { el } = await wizard(backend, lang);
    el.faceVerifier = async (_person, context) => ({ passed: true, token: `face-${context.applicationKey}` });
    await toPassword(el);
    const password = $(el, 'fieldset')!.textContent!.replace(/\s+/g, ' ');
    const notice = $(el, '.notice.reissue')?.textContent ?? '';
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el, 'face');
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '.ok'));
    await next(el, 'review');
    return { el, password, notice, review: $(el, 'dl.review')!.textContent!.replace(/\s+/g, ' ') };
  }

  it('a repeat issuance (repeatIssue) shows the region reissue fee on either medium, never 首次办理免费', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    backend.repeatIssue = true;
    const { password, notice, review } = await toReview(backend);
    expect(notice).to.contain('补办费 25 元');
    expect(password).not.to.contain('首次办理免费');
    expect(password).not.to.contain('免费。');
    expect(review).to.contain('25 元（补办费）');
  });

  it('a first issuance on this computer is free; 首次办理免费 is named for the USB-Key where the region says so', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    const { password, notice, review } = await toReview(backend);
    expect(notice).to.equal('');
    expect(password).to.contain('首次办理免费');
    expect(review).to.contain('免费');
    expect(review).not.to.contain('补办费');
  });

  it('takes repeatIssue from the details step too, where the holder the fee depends on is named', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    backend.repeatIssue = { fromDetails: true };
    const { review } = await toReview(backend);
    expect(review).to.contain('25 元（补办费）');
    expect(review).not.to.contain('免费');
  });

  it('says it in English too', async () => {
    const backend = new FakePortalBackend();
    backend.repeatIssue = true;
    const { notice, review } = await toReview(backend, 'en');
    expect(notice).to.contain('reissue fee of 40 yuan');
    expect(review).to.contain('40 yuan (reissue fee)');
  });
});
