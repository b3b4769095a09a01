import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { AgentClient, type CertificateInfo } from '@sicert/protocol';
import '../src/define/sicert-signer.js';
import type { CertificateRecord, SicertSignedEvent, SicertSigner } from '../src/index.js';
import { FakeStatusBackend } from './fake-status-backend.js';
import { loadFixture, type Fixture } from './fixture.js';
import { choose, parts, typePin, untilReady } from './helpers.js';

const DATA = '社保缴费申报 2026-11 个人缴费 640.00 元';

/** A status source whose answers wait until `release()`, so a test sees the signer while the portal is asked. */
function heldBackend(backend: FakeStatusBackend) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { release, source: { certificateStatus: async (serial: string) => (await gate, backend.certificateStatus(serial)) } };
}

// The signer with the status card's optional backend: revoked and superseded certificates are marked, cannot be
// chosen and are never preselected, against a real agent (a SoftHSM2 USB-Key and the software token) and a FAKE
// backend. Without a backend it behaves as before (signer.test.ts).
describe('<sicert-signer> with the portal backend', () => {
  let f: Fixture;
  let listed: CertificateInfo[];
  before(async () => {
    f = await loadFixture();
    ({ certificates: listed } = await AgentClient.shared(f.agentUrl).request('cert.list', undefined));
  });

  const revoked = (serialNumber: string, revocationReason: CertificateRecord['revocationReason']): CertificateRecord => ({ serialNumber, status: 'revoked', revokedAt: '2026-11-01T08:00:00Z', revocationReason });
  const checked = (el: SicertSigner) => parts(el).radios().find((r) => r.checked)?.value;
  const option = (el: SicertSigner, certId: string) => parts(el).options()[parts(el).radios().findIndex((r) => r.value === certId)]!;

  it('marks revoked and superseded certificates, never preselects them, and preselects one that signs; axe', async () => {
    // The first two the agent lists, which the signer used to preselect: one reported lost, one replaced by renewal.
    const [lost, replaced, ...others] = listed;
    const backend = new FakeStatusBackend();
    backend.revoked.set(lost!.serialNumber, revoked(lost!.serialNumber, 'keyCompromise'));
    backend.revoked.set(replaced!.serialNumber, revoked(replaced!.serialNumber, 'superseded'));
    const held = heldBackend(backend);
    const el = await fixture<SicertSigner>(html`<sicert-signer agent-url=${f.agentUrl} .backend=${held.source} .data=${DATA}></sicert-signer>`);
    await untilReady(el);
    // While the portal is asked, nothing is preselected, and the signer says what it waits for.
    expect(checked(el)).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('.checking[role=status]')?.textContent).to.equal('正在向网站核对证书是否仍然有效…');
    held.release();
    await waitUntil(() => checked(el) !== undefined, 'a certificate is preselected once the portal answered');
    expect(checked(el)).to.equal(others[0]!.id);
    expect(el.shadowRoot!.querySelector('.checking') === null, 'the checking line is gone').to.equal(true);
    for (const [cert, note] of [
      [lost!, '已吊销，不能签名'],
      [replaced!, '已被续期后的新证书替换，不能签名'],
    ] as const) {
      expect(parts(el).radios().find((r) => r.value === cert.id)!.disabled, cert.id).to.equal(true);
      expect(option(el, cert.id).textContent).to.contain(note);
    }
    await expect(el).to.be.accessible();
    // And it signs with the certificate it preselected.
    typePin(el, others[0]!.provider === 'soft' ? f.softPin : f.usbPin);
    const signed = oneEvent(el, 'sicert-signed') as Promise<SicertSignedEvent>;
    parts(el).signButton().click();
    expect((await signed).detail.certId).to.equal(others[0]!.id);
  });

  it('prefers a certificate the portal holds good, and unselects (never swaps) one the citizen chose that it refuses', async () => {
    const [first, second] = listed;
    const backend = new FakeStatusBackend();
    backend.unavailable.add(first!.serialNumber);
    const el = await fixture<SicertSigner>(html`<sicert-signer lang="en" agent-url=${f.agentUrl} .backend=${backend} .data=${DATA}></sicert-signer>`);
    await untilReady(el);
    // The portal could not say anything of the first: it stays choosable, but one it holds good comes first.
    await waitUntil(() => checked(el) === second!.id, 'the one held good is preselected');
    expect(parts(el).radios().find((r) => r.value === first!.id)!.disabled).to.equal(false);
    choose(el, first!.id);
    // The citizen's choice is then revoked (a loss report from another window): refreshing unselects it.
    backend.unavailable.delete(first!.serialNumber);
    backend.revoked.set(first!.serialNumber, revoked(first!.serialNumber, 'keyCompromise'));
    await el.loadCertificates();
    await el.updateComplete;
    expect(checked(el)).to.equal(undefined);
    expect(option(el, first!.id).textContent).to.contain('Revoked: cannot sign');
  });
});
