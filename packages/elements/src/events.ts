import type { CertificateInfo, Reason, SignFormat, Token } from '@sicert/protocol';
import type { Application, CertificateRecord } from './backend/types.js';
import type { AgentState } from './internal/agent-probe.js';

/** Detail of `sicert-signed`. */
export interface SignedDetail {
  /** Base64: the CMS ContentInfo (DER), or for `raw` the signature value. */
  signature: string;
  /** Base64 DER of the signer certificate. */
  certificate: string;
  certId: string;
  format: 'cms-detached' | 'cms-attached' | 'raw';
}

/**
 * One item's outcome in `sicert-batch-signed`: its signature, or why this item alone was not signed. `id` is the
 * portal's id of the item, when it gave one.
 */
export type BatchOutcome = { id?: string; signature: string } | { id?: string; error: { reason: Reason; message: string } };

/** Detail of `sicert-batch-signed`. */
export interface BatchSignedDetail {
  /** One per item, in the order of the signer's `items`. */
  outcomes: BatchOutcome[];
  /** How many items were signed and how many were not. */
  signed: number;
  failed: number;
  /** Base64 DER of the signer certificate. */
  certificate: string;
  certId: string;
  format: SignFormat;
}

/**
 * The reason `sicert-error` carries when the portal backend, not the agent, failed: it could not be reached or
 * answered with a server error. A refusal of what was sent (a field that does not match the records) is
 * `INVALID_PARAMS`; `code` then says which (docs/backend-api.md).
 */
export const BACKEND_UNAVAILABLE = 'BACKEND_UNAVAILABLE';

/** Detail of `sicert-error`. */
export interface ErrorDetail {
  reason: Reason | typeof BACKEND_UNAVAILABLE;
  /** The message shown to the citizen, in the element's locale. */
  message: string;
  retriesLeft?: number;
  /** With `PIN_THROTTLED`: milliseconds until the agent lets a password try reach the token again. */
  retryAfterMs?: number;
  /** For a refusal by the portal backend: its error code (docs/backend-api.md), e.g. `RECORD_MISMATCH`. */
  code?: string;
}

/** Detail of `sicert-agent-state`. */
export interface AgentStateDetail {
  /** What the element now shows about the agent. */
  state: AgentState;
  /** The agent's version, when it told (its health answer or `agent.info`): useful with `too-old`. */
  agentVersion?: string;
  /** With `too-old` because of capabilities: the ones this element needs and the agent lacks. */
  missingCapabilities?: string[];
}

/**
 * Fired by an element each time the agent state it shows changes (checking, ready, not running, permission
 * denied, site not allowed, too old, reconnecting), so page code can react, e.g. link to the agent download.
 * Bubbles and crosses shadow roots.
 */
export class SicertAgentStateEvent extends CustomEvent<AgentStateDetail> {
  constructor(detail: AgentStateDetail) {
    super('sicert-agent-state', { detail, bubbles: true, composed: true });
  }
}

/** Fired when a signature has been made. Bubbles and crosses shadow roots. */
export class SicertSignedEvent extends CustomEvent<SignedDetail> {
  constructor(detail: SignedDetail) {
    super('sicert-signed', { detail, bubbles: true, composed: true });
  }
}

/**
 * Fired when a batch (the signer's `items`) has been through the agent: every item signed, or some failed alone.
 * Bubbles and crosses shadow roots. A batch that failed as a whole (a wrong PIN…) fires `sicert-error` instead.
 */
export class SicertBatchSignedEvent extends CustomEvent<BatchSignedDetail> {
  constructor(detail: BatchSignedDetail) {
    super('sicert-batch-signed', { detail, bubbles: true, composed: true });
  }
}

/** Fired when an operation fails, with the reason from the protocol. Bubbles and crosses shadow roots. */
export class SicertErrorEvent extends CustomEvent<ErrorDetail> {
  constructor(detail: ErrorDetail) {
    super('sicert-error', { detail, bubbles: true, composed: true });
  }
}

/** Detail of `sicert-application-submitted`. */
export interface ApplicationSubmittedDetail {
  /** The application as the backend accepted it. */
  application: Application;
}

/** Fired by the wizard once the backend accepted the application. Bubbles and crosses shadow roots. */
export class SicertApplicationSubmittedEvent extends CustomEvent<ApplicationSubmittedDetail> {
  constructor(detail: ApplicationSubmittedDetail) {
    super('sicert-application-submitted', { detail, bubbles: true, composed: true });
  }
}

/** Detail of `sicert-certificate-installed`. */
export interface CertificateInstalledDetail {
  /** The application, now `installed`. */
  application: Application;
  /** The agent's id of the installed certificate (for `sign.data`). */
  certId: string;
}

/** Fired by the wizard once the certificate is installed and its proof accepted. Bubbles and crosses shadow roots. */
export class SicertCertificateInstalledEvent extends CustomEvent<CertificateInstalledDetail> {
  constructor(detail: CertificateInstalledDetail) {
    super('sicert-certificate-installed', { detail, bubbles: true, composed: true });
  }
}

/** Fired by `<sicert-agent-status>` when the citizen asks to check the agent again. Bubbles and crosses shadow roots. */
export class SicertRetryEvent extends Event {
  constructor() {
    super('sicert-retry', { bubbles: true, composed: true });
  }
}

/** Fired by `<sicert-pin-input>` when Enter is pressed in the field. Bubbles and crosses shadow roots. */
export class SicertPinSubmitEvent extends Event {
  constructor() {
    super('sicert-pin-submit', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sicert-signed': SicertSignedEvent;
    'sicert-batch-signed': SicertBatchSignedEvent;
    'sicert-error': SicertErrorEvent;
    'sicert-agent-state': SicertAgentStateEvent;
    'sicert-application-submitted': SicertApplicationSubmittedEvent;
    'sicert-certificate-installed': SicertCertificateInstalledEvent;
    'sicert-retry': SicertRetryEvent;
    'sicert-pin-submit': SicertPinSubmitEvent;
  }
}

/** Detail of `sicert-pin-change`: the token whose password the citizen asked to change. */
export interface PinChangeDetail {
  token: Token;
}

/**
 * Fired by `<sicert-cert-status>` when the citizen asks to change a token's password, before the dialog opens.
 * `preventDefault()` keeps the dialog closed: the portal takes over. Bubbles and crosses shadow roots.
 */
export class SicertPinChangeEvent extends CustomEvent<PinChangeDetail> {
  constructor(detail: PinChangeDetail) {
    super('sicert-pin-change', { detail, bubbles: true, composed: true, cancelable: true });
  }
}

/** Detail of `sicert-pin-changed`. */
export interface PinChangedDetail {
  tokenId: string;
}

/** Fired by `<sicert-pin-change>` once the agent changed the password. Bubbles and crosses shadow roots. */
export class SicertPinChangedEvent extends CustomEvent<PinChangedDetail> {
  constructor(detail: PinChangedDetail) {
    super('sicert-pin-changed', { detail, bubbles: true, composed: true });
  }
}

/** Detail of the certificate actions of `<sicert-cert-status>`: the certificate acted on. */
export interface CertificateActionDetail {
  certificate: CertificateInfo;
}

/**
 * Fired by `<sicert-cert-status>` when the citizen asks to renew (续期) a certificate, before anything is done.
 * `preventDefault()` stops the card's own renewal: the portal takes over. Bubbles and crosses shadow roots.
 */
export class SicertRenewEvent extends CustomEvent<CertificateActionDetail> {
  constructor(detail: CertificateActionDetail) {
    super('sicert-renew', { detail, bubbles: true, composed: true, cancelable: true });
  }
}

/**
 * Fired by `<sicert-cert-status>` when the citizen asks to report a certificate lost (挂失), before the confirmation.
 * `preventDefault()` keeps the card's confirmation closed: the portal takes over. Bubbles and crosses shadow roots.
 */
export class SicertReportLossEvent extends CustomEvent<CertificateActionDetail> {
  constructor(detail: CertificateActionDetail) {
    super('sicert-report-loss', { detail, bubbles: true, composed: true, cancelable: true });
  }
}

/** Detail of `sicert-loss-reported`. */
export interface LossReportedDetail extends CertificateActionDetail {
  /** What the portal answered: the certificate, now `revoked`. */
  record: CertificateRecord;
}

/** Fired by `<sicert-cert-status>` once the portal revoked a certificate reported lost. Bubbles and crosses shadow roots. */
export class SicertLossReportedEvent extends CustomEvent<LossReportedDetail> {
  constructor(detail: LossReportedDetail) {
    super('sicert-loss-reported', { detail, bubbles: true, composed: true });
  }
}

/** Why the citizen applies again (补办 / 重新申领): revoked (reported lost), expired, or a password that cannot be reset. */
export type ReapplyReason = 'revoked' | 'expired' | 'locked';

/** Detail of `sicert-reapply`. */
export interface ReapplyDetail extends CertificateActionDetail {
  reason: ReapplyReason;
}

/**
 * Fired by `<sicert-cert-status>` when the citizen asks to apply again: the page opens its application wizard
 * (`<sicert-apply-wizard>`). The card does nothing more itself. Bubbles and crosses shadow roots; cancelable like
 * every action event.
 */
export class SicertReapplyEvent extends CustomEvent<ReapplyDetail> {
  constructor(detail: ReapplyDetail) {
    super('sicert-reapply', { detail, bubbles: true, composed: true, cancelable: true });
  }
}

/**
 * Fired by `<sicert-cert-status>` when the citizen says this is a public computer (公共电脑), before the card forgets
 * what it shows. `preventDefault()` keeps it: the portal takes over. Bubbles and crosses shadow roots.
 */
export class SicertForgetEvent extends Event {
  constructor() {
    super('sicert-forget', { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sicert-pin-change': SicertPinChangeEvent;
    'sicert-pin-changed': SicertPinChangedEvent;
    'sicert-renew': SicertRenewEvent;
    'sicert-report-loss': SicertReportLossEvent;
    'sicert-loss-reported': SicertLossReportedEvent;
    'sicert-reapply': SicertReapplyEvent;
    'sicert-forget': SicertForgetEvent;
  }
}
