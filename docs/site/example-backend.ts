import { BackendError, type Application, type CertificateRecord, type EligibilityResult, type PortalBackend, type RegionProfile, type UploadResult } from '@sicert/elements/backend';

/**
 * The portal side of the live examples: the wizard and the status card ask a portal as well as the agent, and the
 * docs site has none. Enough answers for the elements to show their first steps and every certificate as not
 * revoked; what would change a portal's records (submitting, a loss report, renewal) is refused with a message.
 */
export class ExamplePortalBackend implements PortalBackend {
  region(id: string): Promise<RegionProfile> {
    return Promise.resolve({
      id,
      name: '示例省 (Example)',
      hotline: '12333',
      minimumAge: 16,
      requireConfirmedContact: false,
      fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 30, currency: 'CNY' },
      review: { minWorkingDays: 1, maxWorkingDays: 3 },
      certificateYears: 2,
      holidays: [],
      materials: { personal: ['id-front', 'id-back'], onBehalf: ['id-front', 'id-back', 'power-of-attorney', 'agent-id'], organization: ['application-form', 'business-licence', 'handler-id', 'authorization-letter'] },
      maxUploadBytes: 5 * 1024 * 1024,
    });
  }

  checkEligibility(): Promise<EligibilityResult> {
    return Promise.resolve({ eligible: true, insurance: '城镇职工基本养老保险', repeatIssue: false });
  }

  current(): Promise<Application | undefined> {
    return Promise.resolve(undefined);
  }

  certificateStatus(serialNumber: string): Promise<CertificateRecord> {
    return Promise.resolve({ serialNumber, status: 'good', mine: true });
  }

  upload(): Promise<UploadResult> {
    return refused();
  }

  submit(): Promise<Application> {
    return refused();
  }

  application(): Promise<Application> {
    return refused();
  }

  confirmInstallation(): Promise<Application> {
    return refused();
  }

  withdraw(): Promise<Application> {
    return refused();
  }

  reportLoss(): Promise<CertificateRecord> {
    return refused();
  }

  renew(): Promise<Application> {
    return refused();
  }
}

function refused(): Promise<never> {
  return Promise.reject(new BackendError('EXAMPLE_ONLY', '这是文档中的示例，没有真实的门户后台。This is a docs example with no portal behind it.'));
}
