// <sicert-apply-wizard> after submission: resuming from the backend, withdrawal, and the key of an application
// that will get no certificate.
import { expect, waitUntil } from '@open-wc/testing';
import { AgentClient } from '@sicert/protocol';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PROFILE, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> after submission', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next, toPassword, pin, softTokens } = wizardDriver(() => f);

  it('resumes from the backend: an approved application opens at the install step, a rejected one shows the reason', async () => {
    const backend = new FakePortalBackend();
    backend.current_ = { id: 'app-9', status: 'rejected', region: PROFILE.id, type: 'personal', onBehalf: false, medium: 'computer', tokenId: 'soft-default', fee: 0, submittedAt: '', expectedBy: '2026-12-02', rejectReason: '照片不清晰', history: [] };
    const { el } = await wizard(backend);
    await waitUntil(() => heading(el) === 'status');
    expect($(el, '.status')!.textContent).to.equal('未通过审核');
    expect(el.shadowRoot!.textContent).to.contain('原因：照片不清晰');
    $(el, 'button.again')!.click();
    await waitUntil(() => heading(el) === 'eligibility');
    const approved = new FakePortalBackend();
    approved.current_ = { ...backend.current_, status: 'approved', rejectReason: null };
    const second = await wizard(approved, 'en');
    await waitUntil(() => heading(second.el) === 'install');
    expect($(second.el, '.status')!.textContent).to.equal('Approved: install the certificate');
    await expect(second.el).to.be.accessible();
  });

  it('withdraws before review, then deletes the key made for the application (key.delete)', async () => {
    const { el, backend } = await wizard();
    el.faceVerifier = async (_person, context) => ({ passed: true, token: `face-${context.applicationKey}` });
    await toPassword(el);
    const before = await softTokens('张三');
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el, 'face');
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '.ok'));
    await next(el, 'review');
    await next(el, 'status');
    expect((await softTokens('张三')).filter((id) => !before.includes(id))).to.have.length(1);
    $(el, 'button.withdraw')!.click();
    await waitUntil(() => $(el, '.status')?.textContent === '申请已撤回', 'withdrawn');
    expect(backend.withdrawals).to.deep.equal(['app-1']);
    expect($(el, 'button.withdraw') === null, 'withdrawn once').to.equal(true);
    await expect(el).to.be.accessible();
    pin(el, 'delete', 'Wrong2468x');
    $(el, 'button.delete-key')!.click();
    await waitUntil(() => $(el, '[part=error]')?.textContent?.match(/密码错误/), 'a wrong password is reported');
    pin(el, 'delete', f.softPin);
    $(el, 'button.delete-key')!.click();
    await waitUntil(() => $(el, '.result')?.textContent?.includes('已删除'), 'deleted');
    expect(await softTokens('张三')).to.deep.equal(before);
    expect($(el, 'button.delete-key') === null).to.equal(true);
  });

  it("a rejected application's key, named by the backend, is deleted when the citizen comes back", async () => {
    // A key made in an earlier visit: its own software token, as the wizard makes them.
    const client = new AgentClient(f.agentUrl, { reconnect: false });
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: '张三(旧)', pin: f.softPin });
    const { keyId } = await client.request('key.generate', { tokenId, pin: f.softPin, algorithm: 'ECDSA-P256' });
    client.close();
    const backend = new FakePortalBackend();
    backend.current_ = { id: 'app-7', status: 'rejected', region: PROFILE.id, type: 'personal', onBehalf: false, medium: 'computer', tokenId, keyId, fee: 0, submittedAt: '', expectedBy: '2026-12-02', rejectReason: '照片不清晰', history: [] };
    const { el } = await wizard(backend);
    await waitUntil(() => heading(el) === 'status');
    await waitUntil(() => $(el, 'sicert-agent-status')?.getAttribute('state') === 'ready', 'agent ready');
    expect($(el, 'button.withdraw') === null, 'a decided application cannot be withdrawn').to.equal(true);
    pin(el, 'delete', f.softPin);
    $(el, 'button.delete-key')!.click();
    await waitUntil(() => $(el, '.result')?.textContent?.includes('已删除'), 'deleted');
    expect(await softTokens('张三(旧)')).to.deep.equal([]);
  });
});
