import type { RegionProfile } from '@sicert/elements/backend';

export type { MaterialKind, RegionProfile } from '@sicert/elements/backend';

/** Two sample regions that differ in fees, required materials and holidays. */
export const REGION_PROFILES: RegionProfile[] = [
  {
    id: 'demo-east',
    name: '示例东省 (Demo East)',
    hotline: '12333',
    minimumAge: 16,
    requireConfirmedContact: false,
    fees: { usbKeyMedia: 30, firstIssueFree: true, reissue: 30, currency: 'CNY' },
    review: { minWorkingDays: 1, maxWorkingDays: 3 },
    certificateYears: 2,
    holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2027-01-01', '2027-02-16', '2027-02-17', '2027-02-18'],
    materials: {
      personal: ['id-front', 'id-back'],
      onBehalf: ['id-front', 'id-back', 'power-of-attorney', 'agent-id'],
      organization: ['application-form', 'business-licence', 'handler-id', 'authorization-letter'],
    },
    maxUploadBytes: 5 * 1024 * 1024,
  },
  {
    id: 'demo-west',
    name: '示例西省 (Demo West)',
    hotline: '12333',
    minimumAge: 16,
    requireConfirmedContact: true,
    fees: { usbKeyMedia: 50, firstIssueFree: true, reissue: 50, currency: 'CNY' },
    review: { minWorkingDays: 1, maxWorkingDays: 2 },
    certificateYears: 3,
    holidays: ['2026-12-01', '2026-12-02', '2027-01-01'],
    materials: {
      personal: ['id-front', 'id-back', 'ss-card', 'photo'],
      onBehalf: ['id-front', 'id-back', 'ss-card', 'power-of-attorney', 'agent-id'],
      organization: ['application-form', 'business-licence', 'handler-id', 'authorization-letter'],
    },
    maxUploadBytes: 2 * 1024 * 1024,
  },
];

export function regionProfile(id: string): RegionProfile | undefined {
  return REGION_PROFILES.find((r) => r.id === id);
}

/**
 * The kind and fee of an issue on `medium`: a holder who has had a certificate (lost, damaged, revoked or expired)
 * pays the region's reissue fee (补办) on either medium; a first certificate is free, or costs the USB-Key's media
 * fee where first issue is not free. Asked inside the transaction that records the application.
 */
export function issuePrice(region: RegionProfile, medium: 'usb-key' | 'computer', hasHadCertificate: boolean): { kind: 'new' | 'reissue'; fee: number } {
  if (hasHadCertificate) return { kind: 'reissue', fee: region.fees.reissue };
  return { kind: 'new', fee: medium === 'usb-key' && !region.fees.firstIssueFree ? region.fees.usbKeyMedia : 0 };
}
