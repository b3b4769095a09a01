// <sicert-apply-wizard> after submission: resuming from the backend, withdrawal (confirmed first), the key of an
// application that will get no certificate, and the installation that completes the application.
import { expect, waitUntil } from '@open-wc/testing';
import { fromBase64, keyIdOf, readCertificationRequest, toBase64 } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import { BackendError } from '../src/index.js';
import { createTestCa } from '@sicert/test-support/test-ca';
import { sendKeys } from '@web/test-runner-commands';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PERSON, PROFILE, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> after submission', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next, toPassword, toReview, pin, softTokens } = wizardDriver(() => f);

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

  it('withdraws before review only once the citizen confirms (keyboard too), then deletes the key; reopened later, it asks for no password', async () => {
    const { el, backend } = await wizard();
    await toPassword(el);
    const before = await softTokens('张三');
    await toReview(el, f.softPin);
    await next(el, 'status');
    expect((await softTokens('张三')).filter((id) => !before.includes(id))).to.have.length(1);
    // 撤回申请 asks first, inside the element: the question takes focus, and nothing is withdrawn yet.
    $(el, 'button.withdraw')!.click();
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'withdraw-question', 'the question is focused');
    expect($(el, '.confirm-withdrawal')!.getAttribute('role')).to.equal('group');
    expect($(el, '.confirm-withdrawal')!.textContent).to.contain('确定要撤回这份申请吗？').and.contain('无法恢复');
    expect(backend.withdrawals).to.deep.equal([]);
    await expect(el).to.be.accessible();
    // Escape keeps the application, and focus goes back to 撤回申请.
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => $(el, '.confirm-withdrawal') === null, 'the question goes');
    expect(el.shadowRoot!.activeElement?.className).to.equal('withdraw');
    expect(backend.withdrawals).to.deep.equal([]);
    // Asked again by keyboard: Tab past 暂不撤回 to 确认撤回, and Enter.
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.shadowRoot!.activeElement?.id === 'withdraw-question', 'asked again');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.className).to.equal('cancel-withdraw');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('确认撤回');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.status')?.textContent === '申请已撤回', 'withdrawn');
    expect(backend.withdrawals).to.deep.equal(['app-1']);
    expect(el.shadowRoot!.activeElement?.tagName, 'focus on the step heading').to.equal('H2');
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

    // The page opened again: the backend still names the key, but the agent lists no token for it any more.
    const { request } = backend.submissions[0]!;
    const reopened = new FakePortalBackend();
    reopened.current_ = { ...backend.current_!, keyId: await keyIdOf((await readCertificationRequest(fromBase64(request.csr))).publicKey) };
    const again = await wizard(reopened);
    await waitUntil(() => heading(again.el) === 'status' && $(again.el, '.key-gone') !== null, 'the key is known gone', { timeout: 10_000 });
    expect($(again.el, '.key-gone')!.textContent).to.equal('这份申请的密钥已不在这台电脑上，无需删除，也不用输入密码。');
    expect($(again.el, 'sicert-pin-input') === null, 'no password asked').to.equal(true);
    expect($(again.el, 'button.delete-key') === null).to.equal(true);
    await expect(again.el).to.be.accessible();
  });

  it('a withdrawal the backend refuses keeps the question open, says why, and puts focus back on 确认撤回', async () => {
    const backend = new FakePortalBackend();
    backend.current_ = { id: 'app-3', status: 'submitted', region: PROFILE.id, type: 'personal', onBehalf: false, medium: 'computer', tokenId: 'soft-3', fee: 0, submittedAt: '', expectedBy: '2026-12-02', rejectReason: null, history: [] };
    backend.withdraw = async () => {
      throw new BackendError('NOT_WITHDRAWABLE', '审核已经开始，不能撤回。', undefined, 409);
    };
    const { el } = await wizard(backend);
    await waitUntil(() => heading(el) === 'status');
    $(el, 'button.withdraw')!.click();
    await waitUntil(() => $(el, 'button.confirm-withdraw'), 'asked');
    $(el, 'button.confirm-withdraw')!.click();
    await waitUntil(() => $(el, '[part=error]')?.textContent === '审核已经开始，不能撤回。', 'the refusal');
    await waitUntil(() => el.shadowRoot!.activeElement?.classList.contains('confirm-withdraw') === true, 'focus on 确认撤回');
    expect($(el, '.status')!.textContent).to.equal('已提交，等待审核');
  });

  it('installs the approved certificate, then says the application is complete: every step ticked, none current', async () => {
    const ca = await createTestCa();
    const { el, backend } = await wizard();
    await toPassword(el);
    await toReview(el, f.softPin);
    await next(el, 'status');
    // Approved: the certificate issued for the key the request carries.
    const csr = await readCertificationRequest(fromBase64(backend.submissions[0]!.request.csr));
    const issued = await ca.issue({ C: 'CN', CN: '张三' }, csr.publicKey);
    backend.current_ = { ...backend.current_!, status: 'approved', certificate: toBase64(issued), chain: [toBase64(ca.root)] };
    $(el, 'button.refresh')!.click();
    await waitUntil(() => heading(el) === 'install', 'approved');
    expect($(el, '.progress')!.textContent).to.equal('第 9 步，共 9 步');
    pin(el, 'install', f.softPin);
    $(el, 'button.install')!.click();
    await waitUntil(() => $(el, '.status.installed'), 'installed', { timeout: 10_000 });
    expect(heading(el), 'it ends on the last step').to.equal('install');
    const steps = [...el.shadowRoot!.querySelectorAll('ol.steps li')];
    expect(steps.filter((li) => li.classList.contains('done'))).to.have.length(9);
    expect(steps.map((li) => li.getAttribute('aria-current'))).to.deep.equal(Array(9).fill('false'));
    expect(steps[8]!.textContent).to.equal('✓安装证书（已完成）');
    expect($(el, '.progress')!.textContent).to.equal('全部 9 步已完成');
    expect($(el, 'h2')!.textContent).to.equal('办理完成');
    expect(el.shadowRoot!.activeElement?.tagName, 'focus on the heading that says so').to.equal('H2');
    expect($(el, 'button.install') === null && $(el, 'sicert-pin-input') === null, 'nothing left to install').to.equal(true);
    expect($(el, 'button.again') === null).to.equal(false);
    await expect(el).to.be.accessible();
    el.locale = 'en';
    await el.updateComplete;
    expect($(el, '.progress')!.textContent).to.equal('All 9 steps done');
    expect($(el, 'h2')!.textContent).to.equal('Complete');
    expect(steps[0]!.textContent).to.equal('✓Eligibility (done)');
  });

  it("a rejected application's key, named by the backend, is deleted when the citizen comes back", async () => {
    // A key made in an earlier visit: its own software token, as the wizard makes them.
    const client = new AgentClient(f.agentUrl, { reconnect: false });
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: '张三(旧)', pin: f.softPin });
    const { keyId } = await client.request('key.generate', { tokenId, pin: f.softPin, algorithm: 'ECDSA-P256' });
    client.close();
    const backend = new FakePortalBackend();
    backend.current_ = { id: 'app-7', status: 'rejected', region: PROFILE.id, type: 'personal', onBehalf: false, medium: 'computer', tokenId, keyId, fee: 0, submittedAt: '', expectedBy: '2026-12-02', rejectReason: '照片不清晰', history: [] };
    // With no agent to ask, nothing says the key is gone: the citizen is asked, and told to start the agent.
    const offline = await wizard(backend, 'zh-CN', PERSON, f.downAgentUrl);
    await waitUntil(() => heading(offline.el) === 'status' && $(offline.el, 'sicert-agent-status')?.getAttribute('state') === 'not-running', 'no agent', { timeout: 10_000 });
    expect($(offline.el, '.key-gone') === null && $(offline.el, 'button.delete-key') !== null, 'asked, not claimed gone').to.equal(true);
    const { el } = await wizard(backend);
    await waitUntil(() => heading(el) === 'status');
    await waitUntil(() => $(el, 'sicert-agent-status')?.getAttribute('state') === 'ready', 'agent ready');
    expect($(el, '.key-gone') === null, 'a key still there is not claimed gone').to.equal(true);
    expect($(el, 'button.withdraw') === null, 'a decided application cannot be withdrawn').to.equal(true);
    pin(el, 'delete', f.softPin);
    $(el, 'button.delete-key')!.click();
    await waitUntil(() => $(el, '.result')?.textContent?.includes('已删除'), 'deleted');
    expect(await softTokens('张三(旧)')).to.deep.equal([]);
  });
});
