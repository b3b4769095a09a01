import type { Reason } from '@sicert/protocol';

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
  /** For a refusal by the portal backend: its error code (docs/backend-api.md), e.g. `RECORD_MISMATCH`. */
  code?: string;
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
  }
}
