import type { Token } from '@sicert/protocol';
import type { Application, CertificateType, MaterialKind, Medium, RegionProfile } from '../../backend/types.js';
import type { AgentState } from '../../internal/agent-connection.js';
import type { Locale } from '../../internal/localize.js';
import type { EnrolledKey } from './wizard-enrolment.js';
import type { AbandonedKey } from './wizard-keys.js';
import type { FieldName, Form } from './wizard-form.js';
import type { ProgressView } from './wizard-progress.js';
import type { WithdrawalView } from './wizard-withdrawal.js';

/** A material the citizen chose: uploading, then uploaded with the backend's id. */
export interface Upload {
  uploadId?: string;
  fileName: string;
  /** An object URL of an image, revoked when no longer shown. */
  preview?: string;
  uploading: boolean;
}

/**
 * What the step renderers read and what they may ask for: the element builds one per render, so the renderers
 * see its state without reaching into it.
 */
export interface WizardView extends ProgressView, WithdrawalView {
  /** The element's locale and agent, handed to the elements inside it (PIN fields, agent banner, password dialog). */
  readonly locale: Locale;
  readonly agentUrl: string;
  readonly profile: RegionProfile | undefined;
  readonly form: Form;
  readonly errors: Partial<Record<FieldName, string>>;
  readonly busy: boolean;
  readonly insurance: string;
  readonly certType: CertificateType;
  readonly onBehalf: boolean;
  readonly materials: MaterialKind[];
  readonly uploads: Partial<Record<MaterialKind, Upload>>;
  readonly medium: Medium;
  readonly agentState: AgentState;
  /** USB-Keys with a PIN set, to choose from. */
  readonly usbKeys: Token[];
  readonly usbTokenId: string;
  /** A new certificate password is being set (the computer's store has none yet). */
  readonly settingNewPassword: boolean;
  readonly faceVerified: boolean;
  readonly application: Application | undefined;
  /** The holder has had a certificate before: the region's reissue fee applies, on either medium. */
  readonly repeatIssue: boolean;
  /** The key made for this application (reused when the citizen comes back to the password step). */
  readonly key: EnrolledKey | undefined;
  /** The details its request names changed since: the same key signs a new request, with the password. */
  readonly keySubjectChanged: boolean;
  /** The field that deletes that key (to make it elsewhere) is shown. */
  readonly discarding: boolean;
  /** A token the agent listed. */
  token(id: string): Token | undefined;
  /** The USB-Key whose password must be changed first ('' when none). */
  readonly pinChangeFor: string;
  readonly birthDate: string | undefined;
  /** A withdrawn or rejected application's key: still on its token (delete it), or already gone from this computer. */
  readonly abandonedKey: AbandonedKey | undefined;
  /** The backend refused a new application because one is in progress: the step offers to open it. */
  readonly applicationInProgress: boolean;
  openInProgress(): void;
  startDiscard(): void;
  discard(): void;
  changePin(tokenId: string): void;
  pinChanged(): void;
  /** 撤回申请 asks first: the question is shown instead of the status step's buttons. */
  readonly confirmingWithdrawal: boolean;
  askWithdrawal(): void;
  cancelWithdrawal(): void;
  confirmWithdrawal(): void;
  deleteKey(): void;
  input(field: FieldName, value: string): void;
  chooseType(type: CertificateType): void;
  chooseOnBehalf(onBehalf: boolean): void;
  chooseFile(kind: MaterialKind, input: HTMLInputElement): void;
  chooseMedium(medium: Medium): void;
  chooseUsbKey(tokenId: string): void;
  refreshTokens(): void;
  retryAgent(): void;
  next(): void;
  verifyFace(): void;
  install(): void;
  readonly beforeSubmission: boolean;
  back(): void;
  refreshStatus(): void;
  startOver(): void;
}
