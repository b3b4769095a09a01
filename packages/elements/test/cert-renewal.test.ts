import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { fromBase64, readCertificationRequest, summarizeCertificate, toBase64, verifySignedData, type SignedDataVerification } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import { createTestCa } from '@sicert/test-support/test-ca';
import '../src/define/sicert-cert-status.js';
import { installationChallenge, parseName, type Application, type RenewalRequest, type SicertCertificateInstalledEvent, type SicertCertStatus, type SicertErrorEvent, type SicertPinInput, type SicertRenewEvent } from '../src/index.js';
import { FakeStatusBackend } from './fake-status-backend.js';
import { loadFixture, type Fixture } from './fixture.js';
import { $, $$, badge, buttons, deepActive, item, text, typeInto, untilBadge } from './status-helpers.js';

// Renewal (续期) of a certificate expiring in 10 days, against a real agent and a FAKE backend that does what
// docs/backend-api.md asks of `POST /renewals`: it verifies the request signed by the current certificate, issues
// from the request's key (with a CA of its own), and supersedes the old certificate once the new one proves itself.
describe('<sicert-cert-status> renewal', () => {
  let f: Fixture;
  before(async () => {
    f = await loadFixture();
  });

  it('renews: a new key on the token, its request signed by the current certificate, installed and proven; events fired', async () => {
    const ca = await createTestCa();
    const backend = new FakeStatusBackend();
    const old = f.status.renewCerts.expiring;
    const current = (await AgentClient.shared(f.status.renewUrl).request('cert.list', undefined)).certificates.find((c) => c.id === old.certId)!;
    const seen: { csrSubject?: string; request?: SignedDataVerification; proof?: SignedDataVerification; issued?: Uint8Array } = {};
    let application: Application | undefined;
    backend.onRenew = async (request: RenewalRequest) => {
      const csr = await readCertificationRequest(fromBase64(request.csr));
      seen.csrSubject = csr.subject;
      seen.request = await verifySignedData(fromBase64(request.signature), {
        content: fromBase64(request.csr),
        expectedSigner: { certificate: fromBase64(current.der) },
        trustedRoots: [fromBase64(f.root)],
      });
      seen.issued = await ca.issue(parseName(csr.subject), csr.publicKey);
      application = {
        ...{ id: 'renewal-1', status: 'approved', kind: 'renewal', replaces: request.serialNumber, region: 'test-region', type: 'personal', onBehalf: false },
        ...{ medium: 'computer', tokenId: request.tokenId, fee: 0, submittedAt: new Date().toISOString(), expectedBy: '2026-11-30', rejectReason: null, history: [] },
        ...{ certificate: toBase64(seen.issued), chain: [toBase64(ca.root)] },
      };
      return application;
    };
    backend.onConfirm = async (id, signature) => {
      seen.proof = await verifySignedData(fromBase64(signature), {
        content: new TextEncoder().encode(installationChallenge(id)),
        expectedSigner: { certificate: seen.issued! },
        trustedRoots: [ca.root],
      });
      backend.revoked.set(old.serialNumber, { serialNumber: old.serialNumber, status: 'revoked', revokedAt: new Date().toISOString(), revocationReason: 'superseded' });
      return { ...application!, status: 'installed' };
    };

    const el = await fixture<SicertCertStatus>(html`<sicert-cert-status region="test-region" agent-url=${f.status.renewUrl} .backend=${backend}></sicert-cert-status>`);
    await untilBadge(el, old.serialNumber, 'expiring');
    const asked = oneEvent(el, 'sicert-renew') as Promise<SicertRenewEvent>;
    item(el, old.serialNumber)!.querySelector<HTMLButtonElement>('button.renew')!.click();
    expect((await asked).detail.certificate.serialNumber).to.equal(old.serialNumber);
    const dialog = $<HTMLDialogElement>(el, '#renew-dialog')!;
    await waitUntil(() => dialog.open, 'the renewal dialog opens');
    const pin = $<SicertPinInput>(el, '#renew-dialog sicert-pin-input')!;
    const field = pin.shadowRoot!.querySelector('input')!;
    expect(deepActive()).to.equal(field);
    expect(text(dialog)).to.contain('这台电脑').and.contain('无需人脸识别');
    await expect(el).to.be.accessible();
    const start = () => dialog.querySelector<HTMLButtonElement>('button.start-renewal')!.click();
    const dialogError = () => text(dialog.querySelector('[part=error]'));

    // A wrong password: refused by the token before anything is made or sent.
    typeInto(field, 'Wrong2468x');
    start();
    await waitUntil(() => dialogError() !== '', 'the wrong password is refused');
    expect(dialogError()).to.equal('密码错误，还可尝试 9 次。');
    expect(field.value).to.equal('');
    expect(backend.renewals).to.have.length(0);

    // The portal fails once: trying again sends the same request under the same key (no second key or application).
    backend.failNextRenewal = true;
    const failed = oneEvent(el, 'sicert-error') as Promise<SicertErrorEvent>;
    typeInto(field, f.status.pin);
    start();
    expect((await failed).detail.reason).to.equal('BACKEND_UNAVAILABLE');
    await waitUntil(() => dialogError() === '服务暂时不可用，请稍后重试。', 'the portal failure is shown');
    const installed = oneEvent(el, 'sicert-certificate-installed') as Promise<SicertCertificateInstalledEvent>;
    typeInto(field, f.status.pin);
    start();
    const { detail } = await installed;
    expect(detail.application).to.include({ kind: 'renewal', status: 'installed' });
    expect(backend.renewals).to.have.length(2);
    expect(backend.renewals[1]).to.deep.equal(backend.renewals[0]);
    expect(backend.renewals[0]!.request).to.include({ serialNumber: old.serialNumber, tokenId: current.tokenId });
    expect(seen.csrSubject).to.equal(current.subject);
    expect(seen.request?.valid, seen.request?.message).to.equal(true);
    expect(seen.proof?.valid, seen.proof?.message).to.equal(true);

    // The card shows the new certificate, valid, and the old one superseded: nothing to reissue.
    const renewed = summarizeCertificate(seen.issued!).serialNumber;
    await untilBadge(el, renewed, 'valid');
    await untilBadge(el, old.serialNumber, 'superseded');
    const listed = (await AgentClient.shared(f.status.renewUrl).request('cert.list', undefined)).certificates.find((c) => c.id === detail.certId);
    expect(listed?.serialNumber).to.equal(renewed);
    expect(listed?.tokenId).to.equal(current.tokenId);
    expect(text(item(el, old.serialNumber))).to.contain('已由续期后的新证书替代');
    expect(buttons(el, old.serialNumber)).to.deep.equal([]);
    expect(badge(el, renewed)).to.equal('有效');
    expect(dialog.open).to.equal(false);
    // The outcome is told beside the new certificate, where the citizen looks, and takes focus (the renew button
    // went with the old one's badge); role="status" announces it.
    const outcome = item(el, renewed)!.querySelector<HTMLElement>('[part=result]')!;
    expect(text(outcome)).to.match(/^续期成功：新证书有效期至 \d{4}-\d\d-\d\d，已安装并通过测试签名。$/);
    expect(outcome.getAttribute('role')).to.equal('status');
    expect($$(el, '[part=result]')).to.have.length(1);
    await waitUntil(() => deepActive() === outcome, 'the outcome takes focus');
    expect($$<SicertPinInput>(el, 'sicert-pin-input').every((p) => p.value === '')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('lets the portal take over a renewal (preventDefault on sicert-renew): no dialog', async () => {
    const el = await fixture<SicertCertStatus>(html`<sicert-cert-status agent-url=${f.status.url} .backend=${new FakeStatusBackend()}></sicert-cert-status>`);
    const serial = f.status.certs.expiring.serialNumber;
    await untilBadge(el, serial, 'expiring');
    el.addEventListener('sicert-renew', (e) => e.preventDefault(), { once: true });
    item(el, serial)!.querySelector<HTMLButtonElement>('button.renew')!.click();
    await el.updateComplete;
    expect($<HTMLDialogElement>(el, '#renew-dialog')!.open).to.equal(false);
  });
});
