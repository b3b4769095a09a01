import { Reason } from '@sicert/protocol';
import type { CallContext, MethodDeps } from './context.js';

/**
 * Runs one operation on a token for a caller: the one place where key work waits. It waits in the token's
 * queue (one operation per token at a time, origins served in turn, dropped unstarted when the caller's
 * connection closes), and when it carries a PIN it is a try counted by the PIN throttle, checked only once its
 * turn comes so that queued tries cannot slip past the limit together. The providers' own queues stay as a
 * guard, but nothing waits there: the methods hand them one operation per token at a time.
 *
 * `work` calls `pinAccepted` once the token has accepted the PIN (see {@link PinThrottle.attempt}).
 */
export function onToken<T>(deps: MethodDeps, context: CallContext, tokenId: string, pin: string | undefined, work: (pinAccepted: () => void) => Promise<T>): Promise<T> {
  return deps.tokenQueue.run(tokenId, () => (pin === undefined ? work(() => undefined) : deps.pinThrottle.attempt(tokenId, work)), {
    lane: context.origin,
    signal: context.signal,
  });
}

/**
 * Like {@link onToken} for work that carries the security officer's PIN (`pin.unblock`): its tries are throttled
 * apart from the user PIN's (a hall operator's typos must not hold up the holder, nor the reverse) and counted
 * when the token answers `SO_PIN_INCORRECT`.
 */
export function onTokenAsOfficer<T>(deps: MethodDeps, context: CallContext, tokenId: string, work: (pinAccepted: () => void) => Promise<T>): Promise<T> {
  return deps.tokenQueue.run(tokenId, () => deps.pinThrottle.attempt(`${tokenId} (SO)`, work, Reason.SO_PIN_INCORRECT), {
    lane: context.origin,
    signal: context.signal,
  });
}
