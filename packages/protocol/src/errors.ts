import { Reason } from './reasons.js';
import { rpcErrorDataSchema, type RpcErrorData, type RpcErrorObject } from './messages.js';

/**
 * The error every sicert failure surfaces as, on both sides: the agent throws it, the dispatcher turns it into
 * a JSON-RPC error, and `AgentClient` rejects with it again. `message` is for developers and logs; citizens see
 * the components' translation of `reason`.
 */
export class AgentError extends Error {
  override readonly name = 'AgentError';
  /** Stable reason from {@link Reason}. */
  readonly reason: Reason;
  /** PIN tries left, when the token tells (only with `PIN_INCORRECT`). */
  readonly retriesLeft: number | undefined;
  /** Milliseconds until a PIN try will reach the token again (only with `PIN_THROTTLED`). */
  readonly retryAfterMs: number | undefined;

  constructor(reason: Reason, message: string, options: { retriesLeft?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.retriesLeft = options.retriesLeft;
    this.retryAfterMs = options.retryAfterMs;
  }

  /**
   * Rebuilds the error from a JSON-RPC error object received from the agent. Data that does not match the
   * protocol (an unknown reason, tries left that are not an integer) is not passed on: the error is `INTERNAL`.
   */
  static fromRpc(error: RpcErrorObject): AgentError {
    const data: unknown = error.data;
    // The schema refuses missing data too.
    if (rpcErrorDataSchema(data, 'data') !== undefined) return new AgentError(Reason.INTERNAL, error.message);
    const { reason, retriesLeft, retryAfterMs } = data as RpcErrorData;
    return new AgentError(reason, error.message, { retriesLeft, retryAfterMs });
  }
}
