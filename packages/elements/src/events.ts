import type { Reason } from '@sicert/protocol';
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

/** Detail of `sicert-error`. */
export interface ErrorDetail {
  reason: Reason;
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

/** Fired when an operation fails, with the reason from the protocol. Bubbles and crosses shadow roots. */
export class SicertErrorEvent extends CustomEvent<ErrorDetail> {
  constructor(detail: ErrorDetail) {
    super('sicert-error', { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sicert-signed': SicertSignedEvent;
    'sicert-error': SicertErrorEvent;
    'sicert-agent-state': SicertAgentStateEvent;
  }
}
