import { fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { fromBase64, readCertificationRequest, summarizeCertificate, toBase64 } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import { createTestCa } from '@sicert/test-support/test-ca';
import '../../src/define/sicert-cert-status.js';
import '../../src/define/sicert-signer.js';
import { parseName, type Application, type CertificateRecord, type SicertCertStatus, type SicertPinInput, type SicertSigner } from '../../src/index.js';
import { FakeStatusBackend } from '../fake-status-backend.js';
import { control, loadFixture, type Fixture } from '../fixture.js';
import { parts, typePin, untilReady } from '../helpers.js';
import { $, item, pinDialog, typeInto, untilBadge } from '../status-helpers.js';

// The states a new user's review of issue 8 added, photographed in both languages: someone else's certificate, one
// replaced by its renewal, a token whose certificates all ended, the renewal's outcome beside the new certificate,
// the birth-date rule in the password dialog, and the signer that asked the portal.
describe('screenshots after the review', () => {
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
  const revoked = (serialNumber: string, revocationReason: CertificateRecord['revocationReason']): CertificateRecord => ({ serialNumber, status: 'revoked', revokedAt: '2026-11-01T08:00:00Z', revocationReason });

  async function card(agentUrl: string, lang: string, backend: FakeStatusBackend, birthDate = '') {
    fixtureCleanup();
    return fixture<SicertCertStatus>(html`<sicert-cert-status lang=${lang} region="test-region" birth-date=${birthDate} agent-url=${agentUrl} .backend=${backend}></sicert-cert-status>`);
  }

  /** A backend that renews as the contract says, with a CA of its own, and supersedes the old certificate. */
  async function renewingBackend(oldSerial: string): Promise<FakeStatusBackend> {
    const ca = await createTestCa();
    const backend = new FakeStatusBackend();
    let application: Application | undefined;
    backend.onRenew = async (request) => {
      const csr = await readCertificationRequest(fromBase64(request.csr));
      const issued = await ca.issue(parseName(csr.subject), csr.publicKey);
      application = {
        ...{ id: `renewal-${summarizeCertificate(issued).serialNumber}`, status: 'approved', kind: 'renewal', replaces: request.serialNumber, region: 'test-region', type: 'personal', onBehalf: false },
        ...{ medium: 'computer', tokenId: request.tokenId, fee: 0, submittedAt: new Date().toISOString(), expectedBy: '2026-11-30', rejectReason: null, history: [] },
        ...{ certificate: toBase64(issued), chain: [toBase64(ca.root)] },
      };
      return application;
    };
    backend.onConfirm = async () => {
      backend.revoked.set(oldSerial, revoked(oldSerial, 'superseded'));
      return { ...application!, status: 'installed' };
    };
    return backend;
  }

  for (const lang of ['zh-CN', 'en']) {
    it(`states (${lang})`, async () => {
      const c = f.status.certs;
      let backend = new FakeStatusBackend();
      backend.revoked.set(c.expiring.serialNumber, revoked(c.expiring.serialNumber, 'superseded'));
      for (const x of [c.valid, c.notYetValid]) backend.notMine.add(x.serialNumber);
      let el = await card(f.status.url, lang, backend);
      await untilBadge(el, c.expiring.serialNumber, 'superseded');
      await waitUntil(() => item(el, c.valid.serialNumber)?.querySelector('.not-mine') !== null, 'not mine');
      await shot(`${lang}-20-superseded-and-not-mine`);

      backend = new FakeStatusBackend();
      backend.revoked.set(c.expiring.serialNumber, revoked(c.expiring.serialNumber, 'superseded'));
      for (const x of [c.valid, c.notYetValid, c.organization]) backend.revoked.set(x.serialNumber, revoked(x.serialNumber, 'keyCompromise'));
      el = await card(f.status.url, lang, backend);
      await untilBadge(el, c.organization.serialNumber, 'revoked');
      await shot(`${lang}-21-token-all-ended`);

      const old = f.status.renewCerts.expiring;
      backend = await renewingBackend(old.serialNumber);
      el = await card(f.status.renewUrl, lang, backend);
      await untilBadge(el, old.serialNumber, 'expiring');
      item(el, old.serialNumber)!.querySelector<HTMLButtonElement>('button.renew')!.click();
      await waitUntil(() => $<HTMLDialogElement>(el, '#renew-dialog')!.open);
      typeInto($<SicertPinInput>(el, '#renew-dialog sicert-pin-input')!.shadowRoot!.querySelector('input'), f.status.pin);
      $<HTMLButtonElement>(el, '#renew-dialog button.start-renewal')!.click();
      await waitUntil(() => $(el, 'li[part=certificate] [part=result]') !== null, 'renewed', { timeout: 20_000 });
      await untilBadge(el, old.serialNumber, 'superseded');
      await shot(`${lang}-22-renewed-beside-the-new-certificate`);

      el = await card(f.peer.url, lang, new FakeStatusBackend(), '1949-12-31');
      await waitUntil(() => $(el, 'button.change-pin') !== null);
      $<HTMLButtonElement>(el, 'button.change-pin')!.click();
      await waitUntil(() => pinDialog(el).native()?.open);
      typeInto(pinDialog(el).input('new'), '19491231ab');
      await shot(`${lang}-23-pin-change-birth-date`);
      pinDialog(el).dialog!.close();

      const { certificates } = await AgentClient.shared(f.agentUrl).request('cert.list', undefined);
      const [lost, replaced, next] = certificates;
      backend = new FakeStatusBackend();
      backend.revoked.set(lost!.serialNumber, revoked(lost!.serialNumber, 'keyCompromise'));
      backend.revoked.set(replaced!.serialNumber, revoked(replaced!.serialNumber, 'superseded'));
      fixtureCleanup();
      const signer = await fixture<SicertSigner>(html`<sicert-signer lang=${lang} agent-url=${f.agentUrl} summary="2026年11月 社保缴费申报：个人缴费 640.00 元" .backend=${backend} .data=${'签名截图'}></sicert-signer>`);
      await untilReady(signer);
      await waitUntil(() => parts(signer).radios().some((r) => r.checked), 'preselected');
      await shot(`${lang}-24-signer-revoked-and-superseded`);
      typePin(signer, next!.provider === 'soft' ? f.softPin : f.usbPin);
      parts(signer).signButton().click();
      await waitUntil(() => parts(signer).result() !== null, 'signed', { timeout: 10_000 });
      await shot(`${lang}-25-signer-signed`);
    });
  }
});
