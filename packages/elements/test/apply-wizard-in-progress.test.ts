// <sicert-apply-wizard> and one open application per person: a backend refusal (APPLICATION_OPEN) is shown with
// what to do, and the step offers to open the application in progress, where it can be withdrawn before review.
import { expect, waitUntil } from '@open-wc/testing';
import { BackendError } from '../src/index.js';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PROFILE, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> with an application in progress', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next } = wizardDriver(() => f);
  const pending = { id: 'app-5', status: 'submitted' as const, region: PROFILE.id, type: 'personal' as const, onBehalf: false, medium: 'computer' as const, tokenId: 'soft-1', fee: 0, submittedAt: '', expectedBy: '2026-12-02', rejectReason: null, history: [] };

  it('shows the refusal, opens the application in progress on request, and offers its withdrawal', async () => {
    const { el, backend } = await wizard();
    // Filed in another tab after this page loaded: the wizard started fresh, the backend refuses at eligibility.
    backend.applicationOpen = true;
    backend.current_ = pending;
    await next(el);
    await waitUntil(() => $(el, '[part=error]'), 'the refusal');
    expect($(el, '[part=error]')!.textContent).to.contain('您已有一份办理中的申请');
    expect(heading(el)).to.equal('eligibility');
    const offer = $(el, 'button.in-progress')!;
    expect(offer.textContent!.trim()).to.equal('查看办理中的申请');
    await expect(el).to.be.accessible();
    offer.click();
    await waitUntil(() => heading(el) === 'status', 'the application in progress');
    expect($(el, '.status')!.textContent).to.equal('已提交，等待审核');
    expect($(el, 'button.withdraw'), 'withdrawn before review').to.exist;
    expect($(el, 'button.in-progress')).to.equal(null);
  });

  it('says so when the application in progress is not this account’s (an agent filed it), and the offer goes with the refusal', async () => {
    const { el, backend } = await wizard(new FakePortalBackend(), 'en');
    backend.applicationOpen = true;
    await next(el);
    await waitUntil(() => $(el, 'button.in-progress'), 'the offer');
    expect($(el, 'button.in-progress')!.textContent!.trim()).to.equal('View the application in progress');
    $(el, 'button.in-progress')!.click();
    await waitUntil(() => $(el, '[part=error]')?.textContent?.includes('not filed from this account'), 'not theirs');
    expect(heading(el)).to.equal('eligibility');
    expect($(el, 'button.in-progress'), 'the offer went with the refusal').to.equal(null);
    // Any other failure offers nothing.
    backend.applicationOpen = false;
    backend.checkEligibility = async () => {
      throw new BackendError('NOT_INSURED', 'No local social-insurance record was found.', 'idNumber', 422);
    };
    await next(el);
    await waitUntil(() => $(el, '[part=error]')?.textContent?.includes('No local'), 'another refusal');
    expect($(el, 'button.in-progress')).to.equal(null);
  });
});
