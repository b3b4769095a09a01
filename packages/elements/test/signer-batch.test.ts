import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { fromBase64, parseCertificate, verifySignedData } from '@sicert/pki';
import { AgentClient, type RequestOptions } from '@sicert/protocol';
import '../src/define/sicert-signer.js';
import type { BatchOutcome, SicertBatchSignedEvent, SicertErrorEvent, SicertSigner, SignItem } from '../src/index.js';
import { batchParts, consent, declarations } from './batch-helpers.js';
import { loadFixture, type Fixture } from './fixture.js';
import { choose, ecdsaDerToP1363, parts, typePin, untilReady } from './helpers.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const signature = (outcome: BatchOutcome | undefined) => (outcome && 'signature' in outcome ? outcome.signature : undefined);

// The signer's batch mode against the real agent (a SoftHSM2 USB-Key and the software token): the citizen sees every
// item, consents once and types the password once; one sign.batch signs them all; every signature verifies, in the
// items' order; an item that breaks its rules fails alone, in its place.
describe('<sicert-signer> batch mode', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  async function ready(items: readonly SignItem[], { lang = 'zh-CN', format = 'cms-detached', agentUrl = f.agentUrl } = {}): Promise<SicertSigner> {
    const el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${agentUrl} format=${format} .items=${items}></sicert-signer>`);
    await untilReady(el);
    return el;
  }

  /** Ticks the consent, types the PIN, presses the button, and waits for the batch's event. */
  async function signAll(el: SicertSigner, pin: string): Promise<SicertBatchSignedEvent> {
    consent(el);
    typePin(el, pin);
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    parts(el).signButton().click();
    return signed;
  }

  it('shows the whole list before the password: the count, every summary in order, one consent; axe', async () => {
    const items = declarations(3);
    const el = await ready(items);
    const b = batchParts(el);
    expect(b.label()).to.equal('您将签署以下 3 项');
    expect(b.itemTexts()).to.deep.equal(items.map((item) => item.summary));
    expect(b.list().tagName).to.equal('OL');
    expect(b.consent().checked).to.equal(false);
    expect(b.consentText()).to.equal('我已逐项核对以上 3 项内容，同意用所选证书全部签署。');
    expect(parts(el).signButton().textContent!.trim()).to.equal('确认签署全部 3 项');
    // A batch needs no overall summary: without one, no "no summary" warning stands above a list of summaries.
    expect(el.shadowRoot!.querySelector('[part=summary]')).to.equal(null);
    expect(b.outcomeTexts()).to.deep.equal(['', '', '']);
    await expect(el).to.be.accessible();
  });

  it('signs 120 declarations on the USB-Key with one password: each CMS verifies against its own item, in order; progress reaches 120/120', async () => {
    const items = declarations(120);
    const el = await ready(items);
    choose(el, f.certs.usb['ECDSA-P256']);
    const seen: string[] = [];
    const watch = new MutationObserver(() => {
      const text = batchParts(el).progressText();
      if (text && text !== seen.at(-1)) seen.push(text);
    });
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });
    const { detail } = await signAll(el, f.usbPin);
    watch.disconnect();
    expect(detail.outcomes).to.have.length(120);
    expect([detail.signed, detail.failed]).to.deep.equal([120, 0]);
    expect(detail.certId).to.equal(f.certs.usb['ECDSA-P256']);
    expect(detail.format).to.equal('cms-detached');
    expect(detail.outcomes.map((o) => o.id)).to.deep.equal(items.map((item) => item.id));
    const root = fromBase64(f.root);
    const certificate = fromBase64(detail.certificate);
    for (const [i, outcome] of detail.outcomes.entries()) {
      const verdict = await verifySignedData(fromBase64(signature(outcome)!), { content: utf8(items[i]!.data), expectedSigner: { certificate }, trustedRoots: [root] });
      expect(verdict.valid, `item ${i + 1}: ${verdict.message}`).to.equal(true);
    }
    // Bound to its own item: the first signature does not verify against the second declaration.
    const swapped = await verifySignedData(fromBase64(signature(detail.outcomes[0])!), { content: utf8(items[1]!.data), expectedSigner: { certificate }, trustedRoots: [root] });
    expect(swapped.valid).to.equal(false);
    // Progress was shown from 0 and counted up to the whole batch; it gives way to the result.
    expect(seen[0]).to.equal('已签 0/120');
    expect(seen.at(-1)).to.equal('已签 120/120');
    const counts = seen.map((text) => Number(/(\d+)\/120/.exec(text)![1]));
    expect(counts).to.deep.equal([...counts].sort((a, b) => a - b));
    await el.updateComplete;
    const b = batchParts(el);
    expect(b.progress()).to.equal(null);
    expect(b.result()!.textContent).to.equal('全部签署成功，共 120 项。网站核验结果以页面提示为准。');
    expect(b.result()!.getAttribute('role')).to.equal('status');
    expect(new Set(b.outcomeTexts())).to.deep.equal(new Set(['已签署']));
    // The password went with the one request; the consent was for this batch only.
    expect(parts(el).pinField().value).to.equal('');
    expect(b.consent().checked).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('fails only the items that break a rule, each in its place with its reason; the others verify (software token, RSA)', async () => {
    const [first, second, third, fourth] = declarations(4);
    const thirdDigest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(third!.data)));
    const items: SignItem[] = [
      first!,
      { id: second!.id, summary: second!.summary, digest: btoa('x'.repeat(31)) }, // 31 bytes: not a SHA-256 digest
      { id: third!.id, summary: third!.summary, digest: thirdDigest },
      { id: fourth!.id, summary: fourth!.summary }, // nothing to sign
    ];
    const el = await ready(items);
    choose(el, f.certs.soft['RSA-2048']);
    const { detail } = await signAll(el, f.softPin);
    expect([detail.signed, detail.failed]).to.deep.equal([2, 2]);
    expect(detail.outcomes.map((o) => ('error' in o ? o.error.reason : 'signed'))).to.deep.equal(['signed', 'INVALID_PARAMS', 'signed', 'INVALID_PARAMS']);
    expect(detail.outcomes.map((o) => o.id)).to.deep.equal(['decl-1', 'decl-2', 'decl-3', 'decl-4']);
    const itemMessage = '此项内容不完整或格式有误，未能签名。请联系网站。';
    expect((detail.outcomes[1] as { error: { message: string } }).error.message).to.equal(itemMessage);
    const certificate = fromBase64(detail.certificate);
    for (const i of [0, 2]) {
      const verdict = await verifySignedData(fromBase64(signature(detail.outcomes[i])!), { content: utf8(declarations(4)[i]!.data), expectedSigner: { certificate }, trustedRoots: [fromBase64(f.root)] });
      expect(verdict.valid, `item ${i + 1}: ${verdict.message}`).to.equal(true);
    }
    await el.updateComplete;
    const b = batchParts(el);
    expect(b.outcomeTexts()).to.deep.equal(['已签署', `未签署：${itemMessage}`, '已签署', `未签署：${itemMessage}`]);
    expect(b.items().map((li) => li.className)).to.deep.equal(['signed', 'failed', 'signed', 'failed']);
    expect(b.result()!.textContent).to.equal('2 项未签署（第 2、4 项），2 项已签署。未签署的原因见列表。');
    expect(b.result()!.getAttribute('role')).to.equal('alert');
    await expect(el).to.be.accessible();
  });

  it('says it in English: the count, the consent, each outcome and the result', async () => {
    const items: SignItem[] = [...declarations(2), { id: 'empty', summary: 'Item without content' }];
    const el = await ready(items, { lang: 'en' });
    const b = batchParts(el);
    expect(b.label()).to.equal('You are signing these 3 items');
    expect(b.consentText()).to.equal('I have checked each of the 3 items above and agree to sign them all with the chosen certificate.');
    expect(parts(el).signButton().textContent!.trim()).to.equal('Sign all 3 items');
    choose(el, f.certs.soft['ECDSA-P256']);
    const { detail } = await signAll(el, f.softPin);
    expect(detail.failed).to.equal(1);
    await el.updateComplete;
    expect(b.outcomeTexts()).to.deep.equal(['Signed', 'Signed', 'Not signed: This item is incomplete or malformed, so it was not signed. Contact the website.']);
    expect(b.result()!.textContent).to.equal('1 of 3 items not signed (no. 3); 2 signed. The list says why.');
  });

  it('signs 300 digests raw, in order: each verifies with the certificate key over its own declaration', async () => {
    const items = declarations(300);
    const digests = await Promise.all(items.map(async (item) => new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(item.data)))));
    const el = await ready(
      items.map((item, i) => ({ summary: item.summary, digest: digests[i]! })),
      { format: 'raw' },
    );
    const b = batchParts(el);
    expect(b.items()).to.have.length(300);
    // Hundreds of items scroll inside the card, and the list takes keyboard focus to scroll them.
    expect(b.list().scrollHeight).to.be.above(b.list().clientHeight);
    expect(b.list().tabIndex).to.equal(0);
    choose(el, f.certs.usb['ECDSA-P256']);
    const { detail } = await signAll(el, f.usbPin);
    expect([detail.signed, detail.failed, detail.format]).to.deep.equal([300, 0, 'raw']);
    const spki = parseCertificate(fromBase64(detail.certificate)).subjectPublicKeyInfo.toSchema().toBER(false);
    const key = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    for (const [i, outcome] of detail.outcomes.entries()) {
      const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ecdsaDerToP1363(fromBase64(signature(outcome)!)), utf8(items[i]!.data));
      expect(valid, `item ${i + 1}`).to.equal(true);
    }
  });

  it('gives the batch a minute and a second an item to finish, where one request has the client default minute', async () => {
    const el = await ready(declarations(3));
    choose(el, f.certs.soft['ECDSA-P256']);
    // The shared client the signer uses, watched (not replaced): it still sends every request to the real agent.
    const client = AgentClient.shared(f.agentUrl);
    const asked: Array<[string, RequestOptions | undefined]> = [];
    const request = client.request.bind(client);
    client.request = ((method, params, options) => {
      asked.push([method, options]);
      return request(method, params, options);
    }) as typeof client.request;
    try {
      await signAll(el, f.softPin);
    } finally {
      Reflect.deleteProperty(client, 'request');
    }
    const [method, options] = asked.find(([m]) => m.startsWith('sign.'))!;
    expect(method).to.equal('sign.batch');
    expect(options?.timeoutMs).to.equal(63_000);
    expect(options?.onProgress).to.be.a('function');
  });

  it('is keyboard-usable: the list scrolls with the keys, Space ticks the consent, Enter in the password field signs', async () => {
    const el = await ready(declarations(40));
    choose(el, f.certs.soft['ECDSA-P256']);
    const b = batchParts(el);
    b.list().focus();
    await sendKeys({ press: 'PageDown' });
    await waitUntil(() => b.list().scrollTop > 0, 'the list scrolled');
    b.consent().focus();
    await sendKeys({ press: 'Space' });
    expect(b.consent().checked).to.equal(true);
    parts(el).pinField().focus();
    await sendKeys({ type: f.softPin });
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await signed).detail.signed).to.equal(40);
  });

  it('asks for the consent before anything is sent, and keeps the typed password until it is', async () => {
    const el = await ready(declarations(2));
    typePin(el, f.usbPin);
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    const { detail } = await failed;
    expect(detail.message).to.equal('请先勾选确认：您已核对全部 2 项内容。');
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.equal(detail.message);
    expect(el.shadowRoot!.activeElement).to.equal(batchParts(el).consent());
    expect(parts(el).pinField().value).to.equal(f.usbPin);
    consent(el);
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    parts(el).signButton().click();
    expect((await signed).detail.signed).to.equal(2);
    expect(parts(el).error()).to.equal(null);
  });

  it('a wrong password fails the whole batch as one try, keeps the consent, and the right one then signs it', async () => {
    const el = await ready(declarations(5));
    choose(el, f.certs.usb['ECDSA-P256']);
    consent(el);
    typePin(el, 'Wrong135x');
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    expect((await failed).detail.reason).to.equal('PIN_INCORRECT');
    await el.updateComplete;
    expect(parts(el).error()!.textContent).to.contain('密码错误');
    expect(parts(el).pinField().value).to.equal('');
    expect(batchParts(el).result()).to.equal(null);
    expect(batchParts(el).outcomeTexts()).to.deep.equal(['', '', '', '', '']);
    expect(batchParts(el).consent().checked).to.equal(true);
    typePin(el, f.usbPin);
    const signed = oneEvent(el, 'sicert-batch-signed') as Promise<SicertBatchSignedEvent>;
    parts(el).signButton().click();
    expect((await signed).detail.signed).to.equal(5);
  });

  it('a locked password fails the batch with the words for a certificate on this computer (挂失, 补办)', async () => {
    const el = await ready(declarations(2), { agentUrl: f.status.lockedUrl });
    choose(el, f.status.lockedCerts.valid.certId);
    consent(el);
    typePin(el, f.status.pin);
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    parts(el).signButton().click();
    const { detail } = await failed;
    expect(detail.reason).to.equal('PIN_LOCKED');
    expect(detail.message).to.contain('挂失').and.not.contain('大厅');
  });

  it('refuses more items than one batch takes before the citizen types anything, sending nothing', async () => {
    const el = await ready(Array.from({ length: 1001 }, (_, i) => ({ summary: `第 ${i + 1} 项`, digest: new Uint8Array(32) })));
    const refusal = '一次最多可签署 1000 项，本页提交了 1001 项，无法签署。请联系网站。';
    expect(el.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim()).to.equal(refusal);
    expect(el.shadowRoot!.querySelector('input[type="checkbox"]')).to.equal(null);
    expect(parts(el).signButton().disabled).to.equal(true);
    expect(parts(el).pinField().disabled).to.equal(true);
    // A page that calls sign() itself is refused the same way.
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    void el.sign();
    expect((await failed).detail.message).to.equal(refusal);
  });

  it('a signed batch stays done: signing the same list again needs new items from the portal', async () => {
    const el = await ready(declarations(2));
    choose(el, f.certs.soft['ECDSA-P256']);
    await signAll(el, f.softPin);
    await el.updateComplete;
    expect(parts(el).signButton().disabled).to.equal(true);
    expect(parts(el).signButton().textContent?.trim()).to.equal('本批已签署完毕');
    expect(batchParts(el).consent().disabled).to.equal(true);
    el.items = declarations(2);
    await el.updateComplete;
    expect(parts(el).signButton().disabled).to.equal(false);
    expect(parts(el).signButton().textContent?.trim()).to.equal('确认签署全部 2 项');
  });

  it('new items are a new batch: the outcomes and the consent of the last one go', async () => {
    const el = await ready(declarations(2));
    choose(el, f.certs.soft['ECDSA-P256']);
    await signAll(el, f.softPin);
    await el.updateComplete;
    expect(batchParts(el).result()).to.not.equal(null);
    el.items = declarations(3);
    await el.updateComplete;
    expect(batchParts(el).result()).to.equal(null);
    expect(batchParts(el).outcomeTexts()).to.deep.equal(['', '', '']);
    expect(batchParts(el).consent().checked).to.equal(false);
    expect(batchParts(el).label()).to.equal('您将签署以下 3 项');
  });
});
