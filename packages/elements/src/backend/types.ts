/** Kinds of uploaded material (所需材料). */
export type MaterialKind =
  | 'id-front'
  | 'id-back'
  | 'ss-card'
  | 'photo'
  | 'power-of-attorney'
  | 'agent-id'
  | 'application-form'
  | 'business-licence'
  | 'handler-id'
  | 'authorization-letter';

/** What differs between regions (地区差异): fees, timing, holidays and required materials. */
export interface RegionProfile {
  id: string;
  name: string;
  hotline: string;
  minimumAge: number;
  /** The applicant must have confirmed phone and address with the social-insurance office first. */
  requireConfirmedContact: boolean;
  /** Fees in yuan. */
  fees: { usbKeyMedia: number; firstIssueFree: boolean; reissue: number; currency: 'CNY' };
  review: { minWorkingDays: number; maxWorkingDays: number };
  certificateYears: number;
  /** Days off besides weekends, YYYY-MM-DD. */
  holidays: string[];
  materials: { personal: MaterialKind[]; onBehalf: MaterialKind[]; organization: MaterialKind[] };
  maxUploadBytes: number;
}

export type CertificateType = 'personal' | 'organization';
export type Medium = 'computer' | 'usb-key';

/** The person applying (or, for an organization, its handler 经办人). */
export interface Applicant {
  name: string;
  idNumber: string;
  cardNumber?: string;
  mobile?: string;
}

export interface EligibilityRequest extends Applicant {
  region: string;
  type?: CertificateType;
  orgName?: string;
  creditCode?: string;
}

export interface EligibilityResult {
  eligible: boolean;
  insurance?: string;
  /** The holder has had a certificate before: this is a reissue (补办), and the region's reissue fee applies. */
  repeatIssue?: boolean;
}

export interface ApplicationRequest {
  region: string;
  type: CertificateType;
  applicant: Applicant & { mobile: string };
  organization?: { orgName: string; creditCode: string };
  /** 委托代办: the person applying on the holder's behalf. */
  agent?: { name: string; idNumber: string };
  materials: { kind: MaterialKind; uploadId: string }[];
  face: { token: string };
  medium: Medium;
  tokenId: string;
  /** PKCS#10, base64 DER. */
  csr: string;
}

export type ApplicationStatus = 'submitted' | 'under_review' | 'approved' | 'rejected' | 'installed' | 'withdrawn';

/** Why an application was made: a first certificate, a reissue (补办) after loss or revocation, or a renewal (续期). */
export type ApplicationKind = 'new' | 'reissue' | 'renewal';

/** An application as the backend reports it. */
export interface Application {
  id: string;
  status: ApplicationStatus;
  /** Absent from backends that predate renewal: read as `new`. */
  kind?: ApplicationKind;
  /** For a renewal: the serial number (hex) of the certificate it replaces, revoked as superseded once installed. */
  replaces?: string;
  region: string;
  type: CertificateType;
  onBehalf: boolean;
  medium: Medium;
  tokenId: string;
  /** The key the application's request was made with (its CKA_ID, hex, as `key.generate` answers): what the wizard deletes after a withdrawal or rejection. */
  keyId?: string;
  holder?: string;
  fee: number;
  submittedAt: string;
  /** YYYY-MM-DD: the end of the review period in working days. */
  expectedBy: string;
  rejectReason: string | null;
  history: { status: ApplicationStatus; at: string; note: string | null }[];
  /** Base64 DER, once approved. */
  certificate?: string;
  chain?: string[];
}

/**
 * A renewal (续期) in the 30 days before expiry: a new key on the same token, its CSR, and the CSR signed with the
 * still-valid current certificate, which stands in for the face check.
 */
export interface RenewalRequest {
  /** Serial number (hex) of the current certificate. */
  serialNumber: string;
  tokenId: string;
  /** PKCS#10 made with the new key, base64 DER. */
  csr: string;
  /** Detached CMS SignedData over the CSR's DER bytes, made with the current certificate, base64. */
  signature: string;
}

/** Revocation state of a certificate, as its issuer's portal knows it. */
export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** Reasons a certificate was revoked (RFC 5280 CRLReason names). */
export type RevocationReason = 'keyCompromise' | 'superseded' | 'cessationOfOperation' | 'unspecified';

/** What the portal knows of one certificate it issued. */
export interface CertificateRecord {
  /** Lower-case hex. */
  serialNumber: string;
  /** `unknown`: the portal did not issue this certificate (it may be another region's). */
  status: RevocationStatus;
  /** ISO 8601, when revoked. */
  revokedAt?: string;
  revocationReason?: RevocationReason;
  /**
   * Whether the person signed in to the portal may act on this certificate (its holder, or the handler of its
   * organisation): loss report, renewal and reissue are offered only then. Absent without a session, for a
   * certificate the portal did not issue, and from backends that predate it (the card then offers them as before).
   */
  mine?: boolean;
}

export interface UploadResult {
  uploadId: string;
  mimeType: string;
  size: number;
}

/**
 * The portal's face-verification service (人脸识别核验). Returns whether the person passed and, if so, a token the
 * backend accepts as proof for this application (bound to `applicationKey`).
 */
export type FaceVerifier = (person: { name: string; idNumber: string }, context: { applicationKey: string; region: string }) => Promise<{ passed: boolean; token?: string }>;
