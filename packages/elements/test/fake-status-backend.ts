import { BackendError, type Application, type CertificateRecord, type PortalBackend, type RegionProfile, type RenewalRequest } from '../src/index.js';

/** A region whose hotline is not the national one, so a test can tell the region's number is used. */
export const STATUS_REGION: RegionProfile = {
  id: 'test-region',
  name: '测试省',
  hotline: '0571-12333',
  minimumAge: 16,
  requireConfirmedContact: false,
  fees: { usbKeyMedia: 40, firstIssueFree: true, reissue: 30, currency: 'CNY' },
  review: { minWorkingDays: 1, maxWorkingDays: 3 },
  certificateYears: 2,
  holidays: [],
  materials: { personal: [], onBehalf: [], organization: [] },
  maxUploadBytes: 1024,
};

/**
 * FAKE portal backend, in memory, for the status card's tests: the card's behaviour is under test here. It says
 * `good` for every certificate unless told otherwise, records loss reports, and hands renewals to `onRenew`.
 */
export class FakeStatusBackend implements PortalBackend {
  readonly revoked = new Map<string, CertificateRecord>();
  readonly unknown = new Set<string>();
  readonly unavailable = new Set<string>();
  /** Serial numbers the portal says belong to someone else than the person signed in (`mine: false`). */
  readonly notMine = new Set<string>();
  readonly lookups: string[] = [];
  readonly lossReports: string[] = [];
  readonly renewals: { request: RenewalRequest; key: string }[] = [];
  readonly confirmations: { id: string; signature: string }[] = [];
  /** Fails the next renewal as a server error would (HTTP 500). */
  failNextRenewal = false;
  onRenew: (request: RenewalRequest) => Promise<Application> = () => Promise.reject(new BackendError('NOT_FOUND', 'no renewal here', undefined, 404));
  onConfirm: (id: string, signature: string) => Promise<Application> = () => Promise.reject(new BackendError('NOT_FOUND', 'no application', undefined, 404));

  async region(): Promise<RegionProfile> {
    return STATUS_REGION;
  }
  async certificateStatus(serialNumber: string): Promise<CertificateRecord> {
    this.lookups.push(serialNumber);
    if (this.unavailable.has(serialNumber)) throw new BackendError('NETWORK', '无法连接服务，请检查网络后重试。');
    const record = this.revoked.get(serialNumber) ?? { serialNumber, status: this.unknown.has(serialNumber) ? 'unknown' : 'good' };
    return this.notMine.has(serialNumber) ? { ...record, mine: false } : record;
  }
  async reportLoss(serialNumber: string): Promise<CertificateRecord> {
    this.lossReports.push(serialNumber);
    const record: CertificateRecord = { serialNumber, status: 'revoked', revokedAt: new Date().toISOString(), revocationReason: 'keyCompromise' };
    this.revoked.set(serialNumber, record);
    return record;
  }
  async renew(request: RenewalRequest, key: string): Promise<Application> {
    this.renewals.push({ request, key });
    if (this.failNextRenewal) {
      this.failNextRenewal = false;
      throw new BackendError('INTERNAL', '服务暂时不可用，请稍后重试。', undefined, 500);
    }
    return this.onRenew(request);
  }
  async confirmInstallation(id: string, signature: string): Promise<Application> {
    this.confirmations.push({ id, signature });
    return this.onConfirm(id, signature);
  }
  // The card never applies, uploads or withdraws.
  async checkEligibility(): Promise<never> {
    throw new Error('not used by the status card');
  }
  async upload(): Promise<never> {
    throw new Error('not used by the status card');
  }
  async submit(): Promise<never> {
    throw new Error('not used by the status card');
  }
  async current(): Promise<undefined> {
    return undefined;
  }
  async application(): Promise<never> {
    throw new Error('not used by the status card');
  }
  async withdraw(): Promise<never> {
    throw new Error('not used by the status card');
  }
}
