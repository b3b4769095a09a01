import { fixture, fixtureCleanup, html, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../src/define/sicert-signer.js';
import type { SicertSigner, SignItem } from '../../src/index.js';
import { batchParts, consent, declarations } from '../batch-helpers.js';
import { control, loadFixture, type Fixture } from '../fixture.js';
import { choose, parts, typePin, untilReady, untilState } from '../helpers.js';

// The signer's batch mode, photographed in both languages: the list before the password, the consent asked for,
// progress mid-way, every item signed, some items not signed, a wrong password, and an agent without sign.batch.
describe('screenshots of the batch mode', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
    await setViewport({ width: 820, height: 1000 });
    document.body.style.margin = '16px';
  });
  const shot = (name: string) => executeServerCommand('sicert-screenshot', { name });

  async function signer(lang: string, items: readonly SignItem[], agentUrl = f.agentUrl, summary = ''): Promise<SicertSigner> {
    fixtureCleanup();
    const el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${agentUrl} summary=${summary} .items=${items}></sicert-signer>`);
    await untilReady(el);
    return el;
  }

  for (const lang of ['zh-CN', 'en']) {
    it(`batch mode (${lang})`, async () => {
      const summary = lang === 'en' ? 'November 2026 contribution declarations of the units you handle' : '2026年11月 您经办的单位社保缴费申报';
      let el = await signer(lang, declarations(12), f.agentUrl, summary);
      choose(el, f.certs.usb['ECDSA-P256']);
      await el.updateComplete;
      await shot(`${lang}-30-batch-list`);

      parts(el).signButton().click();
      await waitUntil(() => parts(el).error() !== null, 'consent asked for');
      await shot(`${lang}-31-batch-consent-asked`);

      consent(el);
      typePin(el, 'Wrong135x');
      parts(el).signButton().click();
      await waitUntil(() => parts(el).error()?.textContent?.includes(lang === 'en' ? 'password' : '密码') === true, 'wrong password');
      await shot(`${lang}-32-batch-wrong-password`);

      typePin(el, f.usbPin);
      let signed = oneEvent(el, 'sicert-batch-signed');
      parts(el).signButton().click();
      await signed;
      await el.updateComplete;
      await shot(`${lang}-33-batch-all-signed`);

      const mixed: SignItem[] = declarations(6);
      mixed[1] = { summary: mixed[1]!.summary, digest: btoa('x'.repeat(31)) };
      mixed[4] = { summary: mixed[4]!.summary };
      el = await signer(lang, mixed);
      choose(el, f.certs.soft['ECDSA-P256']);
      consent(el);
      typePin(el, f.softPin);
      signed = oneEvent(el, 'sicert-batch-signed');
      parts(el).signButton().click();
      await signed;
      await el.updateComplete;
      await shot(`${lang}-34-batch-some-not-signed`);

      el = await signer(lang, declarations(300), f.peer.batchUrl);
      choose(el, f.peer.certId);
      consent(el);
      typePin(el, f.peer.pins.hold);
      parts(el).signButton().click();
      await waitUntil(() => batchParts(el).progress()?.value === 120, 'progress shown');
      await shot(`${lang}-35-batch-progress`);
      signed = oneEvent(el, 'sicert-batch-signed');
      await control('batch-peer-answer-held');
      await signed;

      fixtureCleanup();
      el = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${f.peer.url} .items=${declarations(3)}></sicert-signer>`);
      await untilState(el, 'too-old');
      await shot(`${lang}-36-batch-agent-too-old`);
    });
  }
});
