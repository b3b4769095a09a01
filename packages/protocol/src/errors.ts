import { Reason, isReason } from './reasons.js';
import type { RpcErrorObject } from './messages.js';

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

  constructor(reason: Reason, message: string, options: { retriesLeft?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.retriesLeft = options.retriesLeft;
  }

  /** Rebuilds the error from a JSON-RPC error object received from the agent. */
  static fromRpc(error: RpcErrorObject): AgentError {
    const reason = isReason(error.data?.reason) ? error.data.reason : Reason.INTERNAL;
    const retriesLeft = error.data?.retriesLeft;
    return new AgentError(reason, error.message, retriesLeft === undefined ? {} : { retriesLeft });
  }
}
