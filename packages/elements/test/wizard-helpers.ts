// Shared by the wizard's tests (one file per topic): a fake portal backend, and driving the wizard through its steps.
import { fixture, html, waitUntil } from '@open-wc/testing';
import '../src/define/sicert-apply-wizard.js';
import { fromBase64, keyIdOf, readCertificationRequest, toBase64 } from '@sicert/pki';
import { AgentClient } from '@sicert/protocol';
import { BackendError, type Application, type ApplicationRequest, type EligibilityResult, type PortalBackend, type RegionProfile, type SicertApplyWizard } from '../src/index.js';
import type { Fixture } from './fixture.js';

export const PROFILE: RegionProfile = {
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

export const PERSON = { name: '张三', idNumber: '11010519491231002X', mobile: '13800138000', cardNumber: 'A12345678' };

/** FAKE portal backend, in memory: the component's behaviour is under test here, the real backend in e2e. */
export class FakePortalBackend implements PortalBackend {
  submissions: { request: ApplicationRequest; key: string }[] = [];
  uploads: string[] = [];
  withdrawals: string[] = [];
  current_: Application | undefined;
  mismatch: string | undefined;
  /** What `/eligibility` says of an earlier certificate (`fromDetails`: on the details step's call, which names every detail). */
  repeatIssue: boolean | { fromDetails: boolean } = false;
  /** `/eligibility` refuses: the person has an application in progress (APPLICATION_OPEN, as the demo words it). */
  applicationOpen = false;
  /** Every `/eligibility` question, in order: the quiet one at start (name and ID from the login) among them. */
  eligibilityRequests: Record<string, unknown>[] = [];
  /** Resolves once the wizard has asked for the current application, which it does after loading the profile. */
  readonly started: Promise<void>;
  private markStarted!: () => void;
  constructor(readonly profile: RegionProfile = PROFILE) {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
  }
  async region(): Promise<RegionProfile> {
    return this.profile;
  }
  async checkEligibility(request: { name: string; mobile?: string }): Promise<EligibilityResult> {
    this.eligibilityRequests.push({ ...request });
    if (this.mismatch && (request as Record<string, unknown>)[this.mismatch] !== undefined) throw new BackendError('RECORD_MISMATCH', 'mismatch', this.mismatch, 422);
    if (this.applicationOpen) throw new BackendError('APPLICATION_OPEN', '您已有一份办理中的申请，办结前不能再申请新的证书。请在“在线申领”页面查看这份申请：审核开始前可以撤回，撤回后即可重新申请。', undefined, 409);
    const repeatIssue = typeof this.repeatIssue === 'boolean' ? this.repeatIssue : request.mobile !== undefined && this.repeatIssue.fromDetails;
    return { eligible: true, insurance: '城镇职工基本医疗保险', repeatIssue };
  }
  async upload(_region: string, kind: string) {
    this.uploads.push(kind);
    return { uploadId: `u-${kind}`, mimeType: 'image/png', size: 10 };
  }
  async submit(request: ApplicationRequest, key: string): Promise<Application> {
    this.submissions.push({ request, key });
    await new Promise((r) => setTimeout(r, 50));
    this.current_ = { id: 'app-1', status: 'submitted', region: PROFILE.id, type: request.type, onBehalf: false, medium: request.medium, tokenId: request.tokenId, fee: 0, submittedAt: new Date().toISOString(), expectedBy: '2026-12-02', rejectReason: null, history: [] };
    return this.current_;
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
  async withdraw(id: string): Promise<Application> {
    this.withdrawals.push(id);
    this.current_ = { ...this.current_!, status: 'withdrawn' };
    return this.current_;
  }
  // The wizard never renews or reports loss; these answer as a backend that knows no such certificate.
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

export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Drives a wizard in the page against the fixture's agent. */
export function wizardDriver(fixtureValues: () => Fixture) {
  async function wizard(backend = new FakePortalBackend(), lang = 'zh-CN', applicant: typeof PERSON | null = PERSON, agentUrl = fixtureValues().agentUrl): Promise<{ el: SicertApplyWizard; backend: FakePortalBackend }> {
    const el = await fixture<SicertApplyWizard>(html`<sicert-apply-wizard lang=${lang} region="test-region" agent-url=${agentUrl} .backend=${backend} .applicant=${applicant ?? undefined} .today=${new Date(2026, 10, 29)}></sicert-apply-wizard>`);
    await backend.started;
    await el.updateComplete;
    return { el, backend };
  }
  const $ = (el: SicertApplyWizard, selector: string): HTMLElement | null => el.shadowRoot!.querySelector<HTMLElement>(selector);
  const heading = (el: SicertApplyWizard) => $(el, 'h2')!.dataset.step;
  async function next(el: SicertApplyWizard, expected?: string) {
    $(el, 'button.next')!.click();
    if (expected) await waitUntil(() => heading(el) === expected, `reach ${expected}`, { timeout: 10_000 });
    else await el.updateComplete;
  }
  async function back(el: SicertApplyWizard, expected: string) {
    $(el, 'button.back')!.click();
    await waitUntil(() => heading(el) === expected, `back to ${expected}`);
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
  /**
   * From the password step, on this computer: the new password set twice, the face check passed (through the page's
   * hook, or one that passes when the page set none), and on to the review.
   */
  async function toReview(el: SicertApplyWizard, password: string) {
    el.faceVerifier ??= async (_person, context) => ({ passed: true, token: `face-${context.applicationKey}` });
    pin(el, 'pin', password);
    pin(el, 'confirm', password);
    await next(el, 'face');
    $(el, 'button.face')!.click();
    await waitUntil(() => $(el, '.ok'), 'face check passed');
    await next(el, 'review');
  }
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
    const client = new AgentClient(fixtureValues().agentUrl, { reconnect: false });
    try {
      return (await client.request('token.list', undefined)).tokens.filter((t) => t.provider === 'soft' && t.label === label).map((t) => t.id);
    } finally {
      client.close();
    }
  }
  /**
   * Whether the token holds the private key of `publicKey` (DER SPKI): the agent is asked for a new request signed
   * by the key whose id that public key gives, and the request must verify with that same public key.
   */
  async function tokenHoldsKey(tokenId: string, pinValue: string, publicKey: Uint8Array): Promise<boolean> {
    const client = new AgentClient(fixtureValues().agentUrl, { reconnect: false });
    try {
      const { csr } = await client.request('csr.create', { tokenId, keyId: await keyIdOf(publicKey), pin: pinValue, subject: { CN: 'key check' } });
      return toBase64((await readCertificationRequest(fromBase64(csr))).publicKey) === toBase64(publicKey);
    } catch {
      return false;
    } finally {
      client.close();
    }
  }
  return { wizard, $, heading, next, back, type, upload, toPassword, toReview, pin, softTokens, tokenHoldsKey };
}
