// Importing this module registers nothing; import from './define/*.js' (or the bundle) to register tags.
export { SicertSigner } from './components/signer/signer.component.js';
export { SicertApplyWizard, WIZARD_STEPS, type WizardStep, type FaceVerifier } from './components/apply-wizard/apply-wizard.component.js';
export { SicertPinInput } from './components/pin-input/pin-input.component.js';
export { SicertCertPicker, canSign } from './components/cert-picker/cert-picker.component.js';
export { SicertAgentStatus } from './components/agent-status/agent-status.component.js';
export { SicertElement } from './internal/sicert-element.js';
export { AgentController, probeAgent, healthUrlOf, DEFAULT_AGENT_URL, DEFAULT_RECONNECT_TIMEOUT_MS, type AgentState, type AgentHost } from './internal/agent-connection.js';
export { translate, resolveLocale, type Locale } from './internal/localize.js';
export {
  SicertSignedEvent,
  SicertErrorEvent,
  SicertAgentStateEvent,
  SicertApplicationSubmittedEvent,
  SicertCertificateInstalledEvent,
  SicertRetryEvent,
  SicertPinSubmitEvent,
  BACKEND_UNAVAILABLE,
  type SignedDetail,
  type ErrorDetail,
  type AgentStateDetail,
  type ApplicationSubmittedDetail,
  type CertificateInstalledDetail,
} from './events.js';
export { zhCN, type TranslationKey, type Translation } from './translations/zh-cn.js';
export { en } from './translations/en.js';
export * from './validators/index.js';
export * from './backend/index.js';
