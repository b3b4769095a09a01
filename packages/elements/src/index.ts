// Importing this module registers nothing; import from './define/*.js' (or the bundle) to register tags.
export { SicertSigner } from './components/signer/signer.component.js';
export type { SignItem } from './components/signer/signer-payload.js';
export { SicertApplyWizard, WIZARD_STEPS, type WizardStep, type FaceVerifier } from './components/apply-wizard/apply-wizard.component.js';
export { SicertPinInput } from './components/pin-input/pin-input.component.js';
export { pinStrength, type PinStrength } from './components/pin-input/pin-strength.js';
export { SicertCertStatus } from './components/cert-status/cert-status.component.js';
export { SicertPinChange } from './components/pin-change/pin-change.component.js';
export { badgeOf, certificateKind, daysLeft, parseName, validityOf, RENEWAL_WINDOW_DAYS, type Badge, type CertificateKind, type Validity } from './components/cert-status/cert-status-model.js';
export { SicertCertPicker, canSign } from './components/cert-picker/cert-picker.component.js';
export { SicertAgentStatus } from './components/agent-status/agent-status.component.js';
export { SicertElement } from './internal/sicert-element.js';
export { AgentController, probeAgent, healthUrlOf, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS, type AgentState, type AgentHost } from './internal/agent-connection.js';
export { translate, resolveLocale, type Locale } from './internal/localize.js';
export {
  SicertSignedEvent,
  SicertBatchSignedEvent,
  SicertErrorEvent,
  SicertAgentStateEvent,
  SicertApplicationSubmittedEvent,
  SicertCertificateInstalledEvent,
  SicertRetryEvent,
  SicertPinSubmitEvent,
  SicertPinChangeEvent,
  SicertPinChangedEvent,
  SicertRenewEvent,
  SicertReportLossEvent,
  SicertLossReportedEvent,
  SicertReapplyEvent,
  SicertForgetEvent,
  BACKEND_UNAVAILABLE,
  type SignedDetail,
  type BatchSignedDetail,
  type BatchOutcome,
  type ErrorDetail,
  type AgentStateDetail,
  type ApplicationSubmittedDetail,
  type CertificateInstalledDetail,
  type PinChangeDetail,
  type PinChangedDetail,
  type CertificateActionDetail,
  type LossReportedDetail,
  type ReapplyDetail,
  type ReapplyReason,
} from './events.js';
export { zhCN, type TranslationKey, type Translation } from './translations/zh-cn.js';
export { en } from './translations/en.js';
export * from './validators/index.js';
export * from './backend/index.js';
