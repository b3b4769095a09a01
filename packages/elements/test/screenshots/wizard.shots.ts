import { fixtureCleanup, waitUntil } from '@open-wc/testing';
import { fromBase64, keyIdOf, readCertificationRequest, toBase64 } from '@sicert/pki';
import { createTestCa } from '@sicert/test-support/test-ca';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import type { RegionProfile } from '../../src/index.js';
import { control, loadFixture, type Fixture } from '../fixture.js';
import { FakePortalBackend, PERSON, PROFILE, wizardDriver } from '../wizard-helpers.js';

// The application wizard's screens changed after the new user's review of issue 8, photographed in both languages:
// the reissue notice from the first step, the review's list of documents, the withdrawal question, a reopened
// application whose key is gone, a USB-Key that asks for a new PIN, and the completed application.
describe('wizard screenshots', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
    await setViewport({ width: 820, height: 1000 });
    document.body.style.margin = '16px';
  });
  const { wizard, $, heading, next, toPassword, toReview, pin } = wizardDriver(() => f);
  const shot = (name: string) => executeServerCommand('sicert-screenshot', { name });
  const fees: RegionProfile = { ...PROFILE, fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 25, currency: 'CNY' } };

  for (const lang of ['zh-CN', 'en']) {
    it(`wizard (${lang})`, async () => {
      fixtureCleanup();
      const reissue = new FakePortalBackend(fees);
      reissue.repeatIssue = true;
      let { el, backend } = await wizard(reissue, lang);
      await waitUntil(() => $(el, '.notice.reissue'));
      await shot(`${lang}-wizard-01-reissue-first-step`);

      fixtureCleanup();
      ({ el, backend } = await wizard(new FakePortalBackend(fees), lang));
      await toPassword(el);
      await toReview(el, f.softPin);
      await shot(`${lang}-wizard-02-review-documents`);
      await next(el, 'status');
      $(el, 'button.withdraw')!.click();
      await waitUntil(() => $(el, '.confirm-withdrawal'));
      await shot(`${lang}-wizard-03-withdraw-question`);
      $(el, 'button.confirm-withdraw')!.click();
      await waitUntil(() => $(el, '.status.withdrawn'));
      pin(el, 'delete', f.softPin);
      $(el, 'button.delete-key')!.click();
      await waitUntil(() => $(el, '.result'));
      const csr = await readCertificationRequest(fromBase64(backend.submissions[0]!.request.csr));
      const reopened = new FakePortalBackend(fees);
      reopened.current_ = { ...backend.current_!, keyId: await keyIdOf(csr.publicKey) };
      fixtureCleanup();
      ({ el } = await wizard(reopened, lang));
      await waitUntil(() => $(el, '.key-gone'), 'gone', { timeout: 10_000 });
      await shot(`${lang}-wizard-04-reopened-key-gone`);

      await control('peer-reset');
      fixtureCleanup();
      ({ el } = await wizard(new FakePortalBackend(fees), lang, PERSON, f.peer.mustChange.url));
      await toPassword(el);
      el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name=medium]')[1]!.click();
      await waitUntil(() => $(el, '.notice.must-change'));
      await shot(`${lang}-wizard-05-usb-key-must-change`);

      const ca = await createTestCa();
      fixtureCleanup();
      ({ el, backend } = await wizard(new FakePortalBackend(fees), lang));
      await toPassword(el);
      await toReview(el, f.softPin);
      await next(el, 'status');
      const request = await readCertificationRequest(fromBase64(backend.submissions[0]!.request.csr));
      const issued = await ca.issue({ C: 'CN', CN: PERSON.name }, request.publicKey);
      backend.current_ = { ...backend.current_!, status: 'approved', certificate: toBase64(issued), chain: [toBase64(ca.root)] };
      $(el, 'button.refresh')!.click();
      await waitUntil(() => heading(el) === 'install');
      pin(el, 'install', f.softPin);
      $(el, 'button.install')!.click();
      await waitUntil(() => $(el, '.status.installed'), 'installed', { timeout: 10_000 });
      await shot(`${lang}-wizard-06-complete`);
    });
  }
});
