// <sicert-apply-wizard>: the password step, where the key is made on this computer or a USB-Key, the face check
// and the submission.
import { expect, waitUntil } from '@open-wc/testing';
import { fromBase64, readCertificationRequest } from '@sicert/pki';
import type { ApplicationRequest } from '../src/index.js';
import { control, loadFixture, type Fixture } from './fixture.js';
import { FakePortalBackend, PERSON, wizardDriver } from './wizard-helpers.js';

describe('<sicert-apply-wizard> key and submission', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });
  const { wizard, $, heading, next, back, type, toPassword, pin, softTokens, tokenHoldsKey } = wizardDriver(() => f);

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
    expect(await tokenHoldsKey(made[0]!, 'Zhang2468x', csr.publicKey)).to.equal(true, 'the CSR carries the key made in that token');
    const stranger = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const strangerKey = new Uint8Array(await crypto.subtle.exportKey('spki', stranger.publicKey));
    expect(await tokenHoldsKey(made[0]!, 'Zhang2468x', strangerKey)).to.equal(false, 'a key made elsewhere is not found there');
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

  it('going back and forth reuses the key made at the password step: no second key pair; changed details get a new request from the same key', async () => {
    const { el, backend } = await wizard();
    el.faceVerifier = async (_person, context) => ({ passed: true, token: `face-${context.applicationKey}` });
    await toPassword(el);
    const before = await softTokens('张三');
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el, 'face');
    const made = (await softTokens('张三')).filter((id) => !before.includes(id));
    expect(made).to.have.length(1);
    await back(el, 'materials');
    await next(el, 'password');
    expect($(el, '.key-made')!.textContent).to.contain('已在本机为本次申请生成密钥，将继续使用');
    expect($(el, 'sicert-pin-input[data-name="pin"]') === null, 'no password asked').to.equal(true);
    await next(el, 'face');
    expect((await softTokens('张三')).filter((id) => !before.includes(id))).to.deep.equal(made, 'no second token');
    // The name the request carries changes: the same key signs a new request, with the certificate password.
    await back(el, 'materials');
    await back(el, 'details');
    type(el, 'name', '张三丰');
    await next(el, 'materials');
    await next(el, 'password');
    expect($(el, '.key-made')!.textContent).to.contain('申请信息有改动');
    pin(el, 'pin', f.softPin);
    await next(el, 'face');
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '.ok'));
    await next(el, 'review');
    await next(el, 'status');
    const { request } = backend.submissions[0]!;
    expect((await readCertificationRequest(fromBase64(request.csr))).subject).to.contain('CN=张三丰');
    expect(request.tokenId).to.equal(made[0]);
    expect((await softTokens('张三')).filter((id) => !before.includes(id))).to.deep.equal(made, 'still one token');
  });

  it('making the key elsewhere deletes the one made before (key.delete), with its password', async () => {
    const { el } = await wizard();
    await toPassword(el);
    const before = await softTokens('张三');
    pin(el, 'pin', f.softPin);
    pin(el, 'confirm', f.softPin);
    await next(el, 'face');
    await back(el, 'materials');
    await next(el, 'password');
    $(el, 'button.start-discard')!.click();
    await el.updateComplete;
    pin(el, 'discard', 'Wrong2468x');
    $(el, 'button.discard')!.click();
    await waitUntil(() => $(el, '[part=error]'), 'wrong password reported');
    expect($(el, '[part=error]')!.textContent).to.match(/密码错误/);
    expect((await softTokens('张三')).filter((id) => !before.includes(id))).to.have.length(1);
    pin(el, 'discard', f.softPin);
    $(el, 'button.discard')!.click();
    await waitUntil(() => $(el, '.result')?.textContent?.includes('密钥已删除'), 'deleted');
    // The software token made for it held nothing else: the agent removed it.
    expect(await softTokens('张三')).to.deep.equal(before);
    expect($(el, 'input[name=medium]') === null, 'the medium can be chosen again').to.equal(false);
  });

  it("a USB-Key still on its factory password is not used: the citizen changes it first in <sicert-pin-change>", async () => {
    const { el } = await wizard();
    await toPassword(el);
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=medium]')[1]!.click();
    await el.updateComplete;
    const usbTokenId = ($(el, '#usb-key') as HTMLSelectElement).value;
    // The existing PIN is asked for as it is: no rules for new passwords under it.
    expect($(el, 'sicert-pin-input[data-name="pin"]')!.shadowRoot!.textContent).to.contain('请输入U盾的密码');
    expect($(el, 'sicert-pin-input[data-name="pin"]')!.hasAttribute('meter')).to.equal(false);
    pin(el, 'pin', '123456');
    await next(el);
    await waitUntil(() => $(el, 'sicert-pin-change')?.hasAttribute('open'), 'the change dialog opens');
    expect($(el, '[part=error]')!.textContent).to.contain('出厂默认密码');
    expect($(el, 'sicert-pin-change')!.getAttribute('token-id')).to.equal(usbTokenId);
    // It reaches the wizard's agent, not the default one.
    expect($(el, 'sicert-pin-change')!.getAttribute('agent-url')).to.equal(f.agentUrl);
    expect(heading(el)).to.equal('password');
    $(el, 'sicert-pin-change')!.dispatchEvent(new CustomEvent('sicert-pin-changed', { detail: { tokenId: usbTokenId }, bubbles: true, composed: true }));
    await el.updateComplete;
    expect($(el, '.result')!.textContent).to.contain('请输入新密码');
  });

  it('a USB-Key whose token asks for a new PIN (pin.mustChange) says so when chosen, changes it first in <sicert-pin-change>, then makes the key on it', async () => {
    await control('peer-reset');
    const { el } = await wizard(new FakePortalBackend(), 'zh-CN', PERSON, f.peer.mustChange.url);
    await toPassword(el);
    el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=medium]')[1]!.click();
    await el.updateComplete;
    expect(($(el, '#usb-key') as HTMLSelectElement).value).to.equal(f.peer.mustChange.tokenId);
    // Said as soon as the key is chosen, before any password is typed.
    expect($(el, '.notice.must-change')!.textContent).to.equal('这个USB-Key要求先修改密码，才能生成密钥。');
    expect($(el, 'button.change-pin') === null).to.equal(false);
    await expect(el).to.be.accessible();
    // Its current password, even the right one, makes no key: the change comes first.
    pin(el, 'pin', f.peer.pinChange.right);
    await next(el);
    await waitUntil(() => $(el, 'sicert-pin-change')?.hasAttribute('open'), 'the change dialog opens');
    expect($(el, '[part=error]')!.textContent).to.equal('这个USB-Key要求先修改密码，才能生成密钥。');
    expect(heading(el)).to.equal('password');
    const dialog = $(el, 'sicert-pin-change')!;
    expect(dialog.getAttribute('token-id')).to.equal(f.peer.mustChange.tokenId);
    expect(dialog.getAttribute('agent-url')).to.equal(f.peer.mustChange.url);
    const field = (name: string) => dialog.shadowRoot!.querySelector(`sicert-pin-input[data-field="${name}"]`)!.shadowRoot!.querySelector('input')!;
    for (const [name, value] of [['old', f.peer.pinChange.right], ['new', 'Nova2468x'], ['confirm', 'Nova2468x']] as const) {
      field(name).value = value;
      field(name).dispatchEvent(new Event('input'));
    }
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('button.submit')!.click();
    await waitUntil(() => $(el, '.result')?.textContent === 'USB-Key密码已修改。请输入新密码，继续办理。', 'changed');
    // The key no longer asks (token.list again), and the new password makes the key on it.
    await waitUntil(() => $(el, '.notice.must-change') === null, 'the key no longer asks for a change');
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('button.close')!.click();
    pin(el, 'pin', 'Nova2468x');
    await next(el, 'face');
    await control('peer-reset');
  });
});
