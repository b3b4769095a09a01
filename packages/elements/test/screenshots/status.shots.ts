import { fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../src/define/sicert-cert-status.js';
import type { SicertCertStatus, SicertPinInput } from '../../src/index.js';
import { FakeStatusBackend } from '../fake-status-backend.js';
import { control, loadFixture, type Fixture } from '../fixture.js';
import { $, agentState, item, pinDialog, typeInto, untilBadge } from '../status-helpers.js';

// Every state of the status card and the password dialog, photographed in both languages.
describe('screenshots', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
    await setViewport({ width: 820, height: 1000 });
    document.body.style.margin = '16px';
  });
  afterEach(async () => {
    await control('peer-reset');
  });
  const shot = (name: string) => executeServerCommand('sicert-screenshot', { name });

  async function card(agentUrl: string, lang: string, backend = new FakeStatusBackend()) {
    fixtureCleanup();
    return fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" agent-url=${agentUrl} .backend=${backend}></sicert-cert-status>`);
  }

  for (const lang of ['zh-CN', 'en']) {
    it(`states (${lang})`, async () => {
      const c = f.status.certs;
      let el = await card(f.status.url, lang);
      await untilBadge(el, c.expiring.serialNumber, 'expiring');
      await shot(`${lang}-01-validity-states`);

      const backend = new FakeStatusBackend();
      backend.revoked.set(c.valid.serialNumber, { serialNumber: c.valid.serialNumber, status: 'revoked', revokedAt: '2026-11-01T08:00:00Z', revocationReason: 'keyCompromise' });
      backend.unknown.add(c.organization.serialNumber);
      backend.unavailable.add(c.notYetValid.serialNumber);
      el = await card(f.status.url, lang, backend);
      await untilBadge(el, c.valid.serialNumber, 'revoked');
      await shot(`${lang}-02-revoked-foreign-unavailable`);

      el = await card(f.status.lockedUrl, lang);
      await untilBadge(el, f.status.lockedCerts.valid.serialNumber, 'locked');
      await shot(`${lang}-03-locked-computer`);

      await control('peer-plug');
      el = await card(f.peer.url, lang);
      await untilBadge(el, '02', 'locked');
      await shot(`${lang}-04-locked-usb-key`);

      el = await card(f.status.url, lang);
      await untilBadge(el, c.expiring.serialNumber, 'expiring');
      item(el, c.expiring.serialNumber)!.querySelector<HTMLButtonElement>('button.renew')!.click();
      await waitUntil(() => $<HTMLDialogElement>(el, '#renew-dialog')!.open);
      const renewPin = $<SicertPinInput>(el, '#renew-dialog sicert-pin-input')!;
      typeInto(renewPin.shadowRoot!.querySelector('input'), 'Wrong2468x');
      $<HTMLButtonElement>(el, '#renew-dialog button.start-renewal')!.click();
      await waitUntil(() => $(el, '#renew-dialog [part=error]') !== null, 'wrong password', { timeout: 10_000 });
      await shot(`${lang}-05-renew-dialog-error`);
      $<HTMLDialogElement>(el, '#renew-dialog')!.close();

      item(el, c.valid.serialNumber)!.querySelector<HTMLButtonElement>('button.report-loss')!.click();
      await waitUntil(() => $<HTMLDialogElement>(el, '#loss-dialog')!.open);
      await shot(`${lang}-06-loss-dialog`);
      $<HTMLButtonElement>(el, '#loss-dialog button.confirm-loss')!.click();
      await untilBadge(el, c.valid.serialNumber, 'revoked');
      await shot(`${lang}-07-loss-reported`);

      el = await card(f.peer.url, lang);
      await waitUntil(() => $(el, 'button.change-pin') !== null);
      $<HTMLButtonElement>(el, 'button.change-pin')!.click();
      await waitUntil(() => pinDialog(el).native()?.open);
      const d = pinDialog(el);
      typeInto(d.input('old'), f.peer.pinChange.wrong);
      typeInto(d.input('new'), 'Nova2468x');
      typeInto(d.input('confirm'), 'Nova2468x');
      await d.dialog!.submit();
      typeInto(d.input('new'), 'abc12');
      await shot(`${lang}-08-pin-change-error-meter`);
      typeInto(d.input('old'), f.peer.pinChange.right);
      typeInto(d.input('new'), 'Kq7m2xWp4n');
      typeInto(d.input('confirm'), 'Kq7m2xWp4n');
      await d.dialog!.submit();
      await shot(`${lang}-09-pin-change-done`);
      d.dialog!.close();

      $<HTMLDetailsElement>(el, 'details.help')!.open = true;
      await el.updateComplete;
      await shot(`${lang}-10-help`);

      el.forget();
      await el.updateComplete;
      await shot(`${lang}-11-forgotten`);

      el = await card(f.downAgentUrl, lang);
      await waitUntil(() => agentState(el) === 'not-running', 'not running', { timeout: 10_000 });
      await shot(`${lang}-12-agent-not-running`);
    });
  }
});
