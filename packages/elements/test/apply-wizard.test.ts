// <sicert-apply-wizard>: the form steps (eligibility, type, details, materials) and reaching the portal.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PNG, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> form steps', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next, type, upload } = wizardDriver(() => f);

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
});
