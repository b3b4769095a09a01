// <sicert-apply-wizard>: the fee shown, from the region profile and from whether the holder had a certificate before
// (said from the first step), and the review in the citizen's language.
import { expect, waitUntil } from '@open-wc/testing';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PERSON, PROFILE, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> fees', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next, type, toPassword, toReview } = wizardDriver(() => f);

  /** The password step's medium choices and reissue notice, and the review, of an application on this computer. */
  async function reviewOf(backend: FakePortalBackend, lang = 'zh-CN') {
    const { el } = await wizard(backend, lang);
    await toPassword(el);
    const password = $(el, 'fieldset')!.textContent!.replace(/\s+/g, ' ');
    const notice = $(el, '.notice.reissue')?.textContent ?? '';
    await toReview(el, f.softPin);
    return { el, password, notice, review: $(el, 'dl.review')!.textContent!.replace(/\s+/g, ' ') };
  }

  it('a repeat issuance (repeatIssue) shows the region reissue fee on either medium, never 首次办理免费', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    backend.repeatIssue = true;
    const { password, notice, review } = await reviewOf(backend);
    expect(notice).to.contain('补办费 25 元');
    expect(password).not.to.contain('首次办理免费');
    expect(password).not.to.contain('免费。');
    expect(review).to.contain('25 元（补办费）');
  });

  it('a first issuance on this computer is free; 首次办理免费 is named for the USB-Key where the region says so', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    const { password, notice, review } = await reviewOf(backend);
    expect(notice).to.equal('');
    expect(review).to.contain('上传材料身份证人像面和身份证国徽面费用');
    expect(password).to.contain('首次办理免费');
    expect(review).to.contain('免费');
    expect(review).not.to.contain('补办费');
  });

  it('takes repeatIssue from the details step too, where the holder the fee depends on is named', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    backend.repeatIssue = { fromDetails: true };
    const { review } = await reviewOf(backend);
    expect(review).to.contain('25 元（补办费）');
    expect(review).not.to.contain('免费');
  });

  it('says it in English too, the documents listed as English lists them (Intl.ListFormat, not “、”)', async () => {
    const backend = new FakePortalBackend();
    backend.repeatIssue = true;
    const { notice, review } = await reviewOf(backend, 'en');
    expect(notice).to.contain('reissue fee of 40 yuan');
    expect(review).to.contain('40 yuan (reissue fee)');
    expect(review).to.contain('DocumentsID card (photo side) and ID card (emblem side)Fee');
  });

  it('补办 (from the status card) says so from the first step, with the region reissue fee, and on every step after', async () => {
    const backend = new FakePortalBackend({ ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } });
    backend.repeatIssue = true;
    const { el } = await wizard(backend);
    // Asked quietly at start with the name and ID from the login, before the citizen does anything.
    await waitUntil(() => $(el, '.notice.reissue'), 'the notice on the first step');
    expect(heading(el)).to.equal('eligibility');
    expect(backend.eligibilityRequests).to.deep.equal([{ region: PROFILE.id, name: PERSON.name, idNumber: PERSON.idNumber }]);
    expect($(el, '.notice.reissue')!.textContent).to.equal('您曾办理过数字证书，本次为补办，收取补办费 25 元（无论存放在哪里）。');
    expect($(el, '.notice.reissue')!.getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();
    el.locale = 'en';
    await el.updateComplete;
    expect($(el, '.notice.reissue')!.textContent).to.contain('this is a reissue, with a reissue fee of 25 yuan');
    for (const step of ['type', 'details', 'materials']) {
      await next(el, step);
      expect($(el, '.notice.reissue') === null, `the notice on ${step}`).to.equal(false);
    }
  });

  it('asks nothing at start without a login, shows no refusal of the quiet question, and a late answer never replaces a later one', async () => {
    const quiet = new FakePortalBackend();
    quiet.applicationOpen = true;
    const refused = await wizard(quiet);
    await waitUntil(() => quiet.eligibilityRequests.length === 1, 'asked at start');
    await refused.el.updateComplete;
    expect($(refused.el, '[part=error]') === null, 'the refusal waits for Next').to.equal(true);

    const anonymous = new FakePortalBackend();
    anonymous.repeatIssue = true;
    const { el } = await wizard(anonymous, 'zh-CN', null);
    expect(anonymous.eligibilityRequests).to.deep.equal([]);
    type(el, 'name', PERSON.name);
    type(el, 'idNumber', PERSON.idNumber);
    await next(el, 'type');
    expect($(el, '.notice.reissue') === null, 'known from the first step’s answer').to.equal(false);
    // Signed in after the wizard started: asked then.
    const later = new FakePortalBackend();
    later.repeatIssue = true;
    const signedInLater = await wizard(later, 'zh-CN', null);
    signedInLater.el.applicant = PERSON;
    await waitUntil(() => $(signedInLater.el, '.notice.reissue'), 'asked once the login is there');
    expect(later.eligibilityRequests).to.have.length(1);

    // The quiet question is answered only after the first step's own: its "reissue" must not stand.
    const slow = new FakePortalBackend();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first: Promise<unknown> | undefined;
    const answer = slow.checkEligibility.bind(slow);
    slow.checkEligibility = (request) => {
      if (first) return answer(request);
      first = held.then(() => ({ eligible: true, repeatIssue: true }));
      return first as ReturnType<typeof answer>;
    };
    const late = await wizard(slow);
    await waitUntil(() => first !== undefined, 'the quiet question asked');
    await next(late.el, 'type');
    release();
    await first;
    // The answer travels through promises only: one task later every one of them has run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await late.el.updateComplete;
    expect($(late.el, '.notice.reissue') === null, 'the later answer (not a reissue) stands').to.equal(true);
  });
});
