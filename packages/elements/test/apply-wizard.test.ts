import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/define/sicert-apply-wizard.js';
import { fromBase64, readCertificationRequest } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import { BackendError, type Application, type ApplicationRequest, type PortalBackend, type RegionProfile, type SicertApplyWizard } from '../src/index.js';
import { loadFixture, type Fixture } from './fixture.js';

const PROFILE: RegionProfile = {
  id: 'test-region',
  name: '测试省',
  hotline: '12333',
  minimumAge: 16,
  requireConfirmedContact: true,
  fees: { usbKeyMedia: 40, firstIssueFree: false, reissue: 40, currency: 'CNY' },
  review: { minWorkingDays: 1, maxWorkingDays: 3 },
  certificateYears: 2,
  holidays: [],
  materials: { personal: ['id-front', 'id-back'], onBehalf: ['id-front', 'id-back', 'power-of-attorney', 'agent-id'], organization: ['business-licence', 'handler-id'] },
  maxUploadBytes: 1024,
};

const PERSON = { name: '张三', idNumber: '11010519491231002X', mobile: '13800138000', cardNumber: 'A12345678' };

/** FAKE portal backend, in memory: the component's behaviour is under test here, the real backend in e2e. */
class FakePortalBackend implements PortalBackend {
  submissions: { request: ApplicationRequest; key: string }[] = [];
  uploads: string[] = [];
  current_: Application | undefined;
  mismatch: string | undefined;
  /** Resolves once the wizard has asked for the current application, which it does after loading the profile. */
  readonly started: Promise<void>;
  private markStarted!: () => void;
  constructor() {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }
  async region(): Promise<RegionProfile> {
    return PROFILE;
  }
  async checkEligibility(request: { name: string; mobile?: string }) {
    if (this.mismatch && (request as Record<string, unknown>)[this.mismatch] !== undefined) throw new BackendError('RECORD_MISMATCH', 'mismatch', this.mismatch, 422);
    return { eligible: true, insurance: '城镇职工基本医疗保险' };
  }
  async upload(_region: string, kind: string) {
    this.uploads.push(kind);
    return { uploadId: `u-${kind}`, mimeType: 'image/png', size: 10 };
  }
  async submit(request: ApplicationRequest, key: string): Promise<Application> {
    this.submissions.push({ request, key });
    await new Promise((r) => setTimeout(r, 50));
    return { id: 'app-1', status: 'submitted', region: PROFILE.id, type: request.type, onBehalf: false, medium: request.medium, tokenId: request.tokenId, fee: 0, submittedAt: new Date().toISOString(), expectedBy: '2026-12-02', rejectReason: null, history: [] };
  }
  async current() {
    this.markStarted();
    return this.current_;
  }
  async application(): Promise<Application> {
    return this.current_!;
  }
  async confirmInstallation(): Promise<Application> {
    return { ...this.current_!, status: 'installed' };
  }
  // The wizard never renews or reports loss; these answer as a backend that knows no such certificate.
  async withdraw(): Promise<Application> {
    return { ...this.current_!, status: 'withdrawn' };
  }
  async certificateStatus(serialNumber: string) {
    return { serialNumber, status: 'unknown' as const };
  }
  async reportLoss(): Promise<never> {
    throw new BackendError('NOT_FOUND', 'no such certificate', undefined, 404);
  }
  async renew(): Promise<never> {
    throw new BackendError('NOT_FOUND', 'no such certificate', undefined, 404);
  }
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('<sicert-apply-wizard>', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function wizard(backend = new FakePortalBackend(), lang = 'zh-CN', applicant: typeof PERSON | null = PERSON): Promise<{ el: SicertApplyWizard; backend: FakePortalBackend }> {
    const el = await fixture<SicertApplyWizard>(html`<sicert-apply-wizard lang=${lang} region="test-region" agent-url=${f.agentUrl} .backend=${backend} .applicant=${applicant ?? undefined} .today=${new Date(2026, 10, 29)}></sicert-apply-wizard>`);
    await backend.started;
    await el.updateComplete;
    return { el, backend };
  }
  const $ = (el: SicertApplyWizard, selector: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const heading = (el: SicertApplyWizard) => $(el, 'h2')!.dataset.step;
  async function next(el: SicertApplyWizard, expected?: string) {
    $(el, 'button.next')!.click();
    if (expected) await waitUntil(() => heading(el) === expected, `reach ${expected}`);
    else await el.updateComplete;
  }
  function type(el: SicertApplyWizard, field: string, value: string) {
    const input = $(el, `#${field}`) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
  async function upload(el: SicertApplyWizard, kind: string, file: File) {
    const input = $(el, `#file-${kind}`) as HTMLInputElement;
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await new Promise((r) => setTimeout(r, 20));
    await el.updateComplete;
  }

  it('shows the conditions of the region, a step indicator with the current step, and passes axe', async () => {
    const { el } = await wizard();
    const steps = [...el.shadowRoot!.querySelectorAll('ol.steps li')];
    expect(steps).to.have.length(9);
    expect(steps[0]!.getAttribute('aria-current')).to.equal('step');
    expect($(el, 'ul.conditions')!.textContent).to.contain('社保账户信息确认');
    expect($(el, '.progress')!.textContent).to.equal('第 1 步，共 9 步');
    await expect(el).to.be.accessible();
  });

  it('eligibility: each field has its own message; the age is checked at the application date', async () => {
    const { el, backend } = await wizard(new FakePortalBackend(), 'zh-CN', null);
    await next(el);
    expect($(el, '#name-error')!.textContent).to.equal('请填写姓名。');
    expect($(el, '#idNumber-error')!.textContent).to.equal('请填写身份证号。');
    expect($(el, '#idNumber')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id).to.equal('name');
    type(el, 'name', '张三');
    type(el, 'idNumber', '110105194912310021');
    await next(el);
    expect($(el, '#idNumber-error')!.textContent).to.contain('校验位不正确');
    type(el, 'idNumber', '440308201512011230');
    await next(el);
    expect($(el, '#idNumber-error')!.textContent).to.equal('申请人须年满16周岁。');
    expect(backend.submissions).to.have.length(0);
    type(el, 'idNumber', '11010519491231002x');
    await el.updateComplete;
    // (compare booleans: chai would try to print a whole element on failure)
    expect($(el, '#idNumber-error') === null, 'corrected while typing').to.equal(true);
    await next(el, 'type');
    expect(el.shadowRoot!.activeElement?.tagName, 'focus on the step heading').to.equal('H2');
  });

  it('navigates back and forth, and names the field that does not match the records', async () => {
    const backend = new FakePortalBackend();
    const { el } = await wizard(backend);
    await next(el, 'type');
    $(el, 'button.back')!.click();
    await waitUntil(() => heading(el) === 'eligibility');
    await next(el, 'type');
    await next(el, 'details');
    backend.mismatch = 'mobile';
    await next(el);
    await waitUntil(() => $(el, '#mobile-error'));
    expect($(el, '#mobile-error')!.textContent).to.equal('手机号与社保记录不一致，请核对后重新填写。');
    backend.mismatch = undefined;
    type(el, 'mobile', '+86 138 0013 8000');
    await next(el, 'materials');
    await expect(el).to.be.accessible();
  });

  it('organization: asks for the credit code and checks its check character; materials follow the type', async () => {
    const { el } = await wizard();
    await next(el, 'type');
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="type"]')[1]!.click();
    await next(el, 'details');
    type(el, 'orgName', '示例科技有限公司');
    type(el, 'creditCode', '91110000600037341N');
    await next(el);
    expect($(el, '#creditCode-error')!.textContent).to.contain('校验位不正确');
    type(el, 'creditCode', '91110000600037341L');
    await next(el, 'materials');
    const kinds = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.material')].map((m) => m.dataset.kind);
    expect(kinds).to.deep.equal(['business-licence', 'handler-id']);
  });

  it('materials: 委托代办 adds documents; wrong type and too large files are refused; images are previewed', async () => {
    const { el, backend } = await wizard();
    await next(el, 'type');
    const onBehalf = $(el, 'input[type="checkbox"]')!;
    onBehalf.click();
    await next(el, 'details');
    type(el, 'agentName', '李四');
    type(el, 'agentIdNumber', '360426199101010071');
    await next(el, 'materials');
    const kinds = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.material')].map((m) => m.dataset.kind);
    expect(kinds).to.deep.equal(['id-front', 'id-back', 'power-of-attorney', 'agent-id']);
    await upload(el, 'id-front', new File(['hello'], 'a.txt', { type: 'text/plain' }));
    expect($(el, '[part=error]')!.textContent).to.equal('只能上传 JPEG、PNG 或 PDF 文件。');
    await upload(el, 'id-front', new File([new Uint8Array(2048)], 'big.png', { type: 'image/png' }));
    expect($(el, '[part=error]')!.textContent).to.contain('文件太大');
    await upload(el, 'id-front', new File([PNG], 'front.png', { type: 'image/png' }));
    await waitUntil(() => $(el, '.material[data-kind="id-front"] img'));
    expect(backend.uploads).to.deep.equal(['id-front']);
    await next(el);
    expect($(el, '[part=error]')!.textContent).to.equal('请上传：身份证国徽面');
    await expect(el).to.be.accessible();
  });

  async function toPassword(el: SicertApplyWizard) {
    await next(el, 'type');
    await next(el, 'details');
    await next(el, 'materials');
    await upload(el, 'id-front', new File([PNG], 'front.png', { type: 'image/png' }));
    await upload(el, 'id-back', new File([PNG], 'back.png', { type: 'image/png' }));
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.material [role=status]').length === 2 && !$(el, '.material')!.textContent!.includes('正在上传'));
    await next(el, 'password');
    await waitUntil(() => $(el, 'sicert-agent-status')?.getAttribute('state') === 'ready', 'agent ready');
  }
  function pin(el: SicertApplyWizard, name: string, value: string) {
    const input = $(el, `sicert-pin-input[data-name="${name}"]`)!.shadowRoot!.querySelector('input')!;
    input.value = value;
  }

  /** The software tokens the fixture's agent holds for `label`. */
  async function softTokens(label: string): Promise<string[]> {
    const client = new AgentClient(f.agentUrl, { reconnect: false });
    try {
      return (await client.request('token.list', undefined)).tokens.filter((t) => t.provider === 'soft' && t.label === label).map((t) => t.id);
    } finally {
      client.close();
    }
  }

  it('password: this computer gets a token of its own for the holder, with the new password set twice; face check through the hook; submit once', async () => {
    const { el, backend } = await wizard();
    let faceCalls = 0;
    el.faceVerifier = async (_person, context) => {
      faceCalls++;
      return faceCalls === 1 ? { passed: false } : { passed: true, token: `face-${context.applicationKey}` };
    };
    await toPassword(el);
    const before = await softTokens('张三');
    // A new password, asked twice: the certificate gets a token of its own, whose password is this one alone.
    expect($(el, 'sicert-pin-input[data-name="confirm"]') === null).to.equal(false);
    pin(el, 'pin', 'Zhang2468x');
    pin(el, 'confirm', 'Zhang2468y');
    await next(el);
    await waitUntil(() => $(el, '[part=error]'), 'error shown');
    expect($(el, '[part=error]')!.textContent).to.contain('两次输入的密码不一致');
    for (const name of ['pin', 'confirm']) expect($(el, `sicert-pin-input[data-name="${name}"]`)!.shadowRoot!.querySelector('input')!.value).to.equal('');
    expect(await softTokens('张三')).to.deep.equal(before, 'nothing was made');
    pin(el, 'pin', 'Zhang2468x');
    pin(el, 'confirm', 'Zhang2468x');
    await next(el, 'face');
    const made = (await softTokens('张三')).filter((id) => !before.includes(id));
    expect(made).to.have.length(1);
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '[part=error]'));
    expect($(el, '[part=error]')!.textContent).to.contain('人脸识别未通过');
    await next(el);
    expect(heading(el)).to.equal('face');
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '.ok'));
    await next(el, 'review');
    expect($(el, 'dl.review')!.textContent).to.contain('110105********002X');
    await expect(el).to.be.accessible();
    const submit = $(el, 'button.next')!;
    submit.click();
    submit.click();
    await waitUntil(() => heading(el) === 'status', 'submitted');
    expect(backend.submissions).to.have.length(1);
    const [{ request, key }] = backend.submissions as [{ request: ApplicationRequest; key: string }];
    expect(request.face.token).to.equal(`face-${key}`);
    // The CSR verifies, for the applicant's name, with the key the agent made in the holder's new token.
    const csr = await readCertificationRequest(fromBase64(request.csr));
    expect(csr.subject).to.contain('CN=张三');
    expect(csr.keyAlgorithm).to.equal('ECDSA-P256');
    expect(request.medium).to.equal('computer');
    expect(request.tokenId).to.equal(made[0]);
    expect($(el, '.status')!.textContent).to.equal('已提交，等待审核');
    expect(el.shadowRoot!.textContent).to.contain('预计 2026-12-02 前完成审核');
  });

  it('password on a USB-Key: its existing PIN is asked once; a wrong one is reported and the field wiped', async () => {
    const { el } = await wizard();
    await toPassword(el);
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=medium]')[1]!.click();
    await el.updateComplete;
    expect($(el, 'sicert-pin-input[data-name="confirm"]') === null).to.equal(true);
    pin(el, 'pin', 'Wrong135x');
    await next(el);
    await waitUntil(() => $(el, '[part=error]'), 'error shown', { timeout: 10_000 });
    expect($(el, '[part=error]')!.textContent).to.match(/密码错误/);
    expect($(el, 'sicert-pin-input[data-name="pin"]')!.shadowRoot!.querySelector('input')!.value).to.equal('');
    pin(el, 'pin', f.usbPin);
    await next(el, 'face');
  });

  it('after a failed check it sends nothing to the agent it used before: no key on an agent the page says is absent', async () => {
    const { el } = await wizard();
    await toPassword(el);
    const reasons: string[] = [];
    el.addEventListener('sicert-error', (e) => reasons.push(e.detail.reason));
    // The page points the wizard at another agent, which is not there.
    el.agentUrl = f.downAgentUrl;
    await waitUntil(() => $(el, 'sicert-agent-status')?.getAttribute('state') === 'not-running', 'not running', { timeout: 10_000 });
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el);
    await waitUntil(() => reasons.length > 0 || heading(el) !== 'password', 'the wizard answers', { timeout: 10_000 });
    expect(heading(el)).to.equal('password');
    expect(reasons).to.deep.equal(['DISCONNECTED']);
    expect($(el, '[part=error]')!.textContent).to.contain('证书助手');
  });

  it('says the portal cannot be reached when it cannot: not a malformed request', async () => {
    const seen: { reason: string; code?: string; message: string }[] = [];
    // The REST backend on a port where nothing listens: fetch fails, as it does offline.
    const unreachable = `${f.downAgentUrl.replace(/^ws:/, 'http:').replace(/\/v1$/, '')}/api/sicert/v1`;
    await fixture(html`<div @sicert-error=${(e: CustomEvent<{ reason: string; code?: string; message: string }>) => seen.push(e.detail)}>
      <sicert-apply-wizard lang="zh-CN" region="test-region" agent-url=${f.agentUrl} backend-url=${unreachable}></sicert-apply-wizard>
    </div>`);
    await waitUntil(() => seen.length > 0, 'the wizard reports the failure', { timeout: 10_000 });
    expect(seen).to.deep.equal([{ reason: 'BACKEND_UNAVAILABLE', code: 'NETWORK', message: '无法连接服务，请检查网络后重试。' }]);
  });

  it('without a face-verification hook it says the site cannot do it online', async () => {
    const { el } = await wizard();
    await toPassword(el);
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el, 'face');
    $(el, 'button.face')!.click();
    await el.updateComplete;
    expect($(el, '[part=error]')!.textContent).to.contain('尚未配置人脸识别');
  });

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
});
