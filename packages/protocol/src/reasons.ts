/**
 * Every reason an agent can give for a failed request. Stable strings: portals and components key their
 * messages on them, so a reason is never renamed or removed within protocol v1 (see docs/protocol.md).
 */
export const Reason = {
  /** The page's origin is not on the agent's allowlist. */
  ORIGIN_DENIED: 'ORIGIN_DENIED',
  /** No token with that id is present. */
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  /** The token was removed while the operation ran. */
  TOKEN_REMOVED: 'TOKEN_REMOVED',
  /** No certificate with that id is present. */
  CERT_NOT_FOUND: 'CERT_NOT_FOUND',
  /** The certificate has no private key on this token. */
  KEY_NOT_FOUND: 'KEY_NOT_FOUND',
  /** The PIN is wrong; `retriesLeft` says how many tries remain when the token tells. */
  PIN_INCORRECT: 'PIN_INCORRECT',
  /** The PIN is locked after too many wrong tries; only the hall (SO PIN) can unblock it. */
  PIN_LOCKED: 'PIN_LOCKED',
  /**
   * Too many wrong PINs on this token in the last minute: the agent refused this try without asking the token.
   * `retryAfterMs` says when the next try will reach the token.
   */
  PIN_THROTTLED: 'PIN_THROTTLED',
  /** The security officer (SO) PIN given to `pin.unblock` is wrong; `retriesLeft` when the token tells. */
  SO_PIN_INCORRECT: 'SO_PIN_INCORRECT',
  /** The security officer PIN is locked: the USB-Key cannot be reset any more and must be replaced. */
  SO_PIN_LOCKED: 'SO_PIN_LOCKED',
  /** The new PIN does not meet the PIN policy. */
  PIN_POLICY: 'PIN_POLICY',
  /**
   * The token's storage is damaged (a software-token file that fails its integrity check). Not a wrong PIN: no
   * try is counted and the file is left untouched for recovery.
   */
  TOKEN_DAMAGED: 'TOKEN_DAMAGED',
  /**
   * The USB-Key reported a hardware fault (`CKR_DEVICE_ERROR`, `CKR_DEVICE_MEMORY`): replugging it often helps;
   * if not, the key needs checking. The operation did not complete.
   */
  TOKEN_ERROR: 'TOKEN_ERROR',
  /** `key.delete` was asked for a key that has a certificate: certificates are ended by revocation, not deletion. */
  KEY_IN_USE: 'KEY_IN_USE',
  /**
   * `token.init` was asked for a USB-Key that is already initialised: initialising wipes every key and certificate
   * on it, so only a blank key is initialised (a used one is reset with `pin.unblock`, or wiped with the vendor's tool).
   */
  TOKEN_NOT_BLANK: 'TOKEN_NOT_BLANK',
  /**
   * `token.create` was refused: this computer already keeps as many software tokens as the agent allows (32).
   * A token left empty (no key, no certificate) is removed 10 minutes after it was made, which frees its place.
   */
  TOKEN_LIMIT: 'TOKEN_LIMIT',
  /**
   * The token cannot do this operation at all (a certificate on this computer has no security officer PIN, so
   * `pin.unblock` is refused: a forgotten password is replaced by revoking and applying again online).
   */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** The token or agent cannot use the requested algorithm. */
  UNSUPPORTED_ALGORITHM: 'UNSUPPORTED_ALGORITHM',
  /** The request's params are malformed. */
  INVALID_PARAMS: 'INVALID_PARAMS',
  /** The message is not valid JSON or not a JSON-RPC 2.0 request. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** The method does not exist in this agent. */
  METHOD_NOT_FOUND: 'METHOD_NOT_FOUND',
  /** Too many requests in flight or too fast on this connection. */
  BUSY: 'BUSY',
  /** The request took too long. */
  TIMEOUT: 'TIMEOUT',
  /** The user or the page cancelled the operation. */
  CANCELLED: 'CANCELLED',
  /** The connection to the agent is not open (client side). */
  DISCONNECTED: 'DISCONNECTED',
  /** Anything else; details are in the agent's log, never in the message. */
  INTERNAL: 'INTERNAL',
} as const;

/** One of {@link Reason}'s values. */
export type Reason = (typeof Reason)[keyof typeof Reason];

const REASONS = new Set<string>(Object.values(Reason));

/** True when `value` is a reason this version of the protocol knows. */
export function isReason(value: unknown): value is Reason {
  return typeof value === 'string' && REASONS.has(value);
}

/**
 * JSON-RPC error codes. The standard ones for envelope problems, and one application code for every
 * reason-carrying failure (the reason, not the code, says what went wrong).
 */
export const ErrorCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  APPLICATION: -32000,
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
