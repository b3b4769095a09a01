import type { Token } from '@sicert/protocol';
import type { Application, CertificateType, MaterialKind, Medium, RegionProfile } from '../../backend/types.js';
import type { AgentState } from '../../internal/agent-connection.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { WizardStep } from './wizard-flow.js';
import type { FieldName, Form } from './wizard-form.js';

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
export interface WizardView {
  t(key: TranslationKey, values?: Record<string, string | number>): string;
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
  readonly step: WizardStep;
  readonly beforeSubmission: boolean;
  back(): void;
  refreshStatus(): void;
  startOver(): void;
}
