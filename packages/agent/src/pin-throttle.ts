import { AgentError, Reason } from '@sicert/protocol';

/** How many wrong PINs may reach one token within one window. */
export const PIN_THROTTLE_MAX_FAILURES = 10;
/** The sliding window, milliseconds. */
export const PIN_THROTTLE_WINDOW_MS = 60_000;

/** Settings of a {@link PinThrottle}; all optional. */
export interface PinThrottleOptions {
  maxFailures?: number;
  windowMs?: number;
  /** The clock, milliseconds (tests pass their own so they need not wait a minute). */
  now?: () => number;
}

/**
 * Limits wrong PINs per token: at most `maxFailures` wrong PINs within any `windowMs` reach the token; while
 * that many are in the window, every try is refused with `PIN_THROTTLED` without asking the token, the right PIN
 * too (the agent cannot tell a right PIN from a wrong one without spending a try). A right PIN clears the
 * count. SoftHSM2 and some USB-Keys never lock, so without this a page could try a 6-digit PIN space in half an
 * hour; with it, 10 a minute.
 *
 * Callers serialise tries per token (the methods layer runs them in the token's queue), so the check and the
 * outcome of one try are never interleaved with another's.
 */
export class PinThrottle {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Times of recent wrong PINs per token id, oldest first; only tokens that saw a wrong PIN have an entry. */
  private readonly failures = new Map<string, number[]>();

  constructor(options: PinThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? PIN_THROTTLE_MAX_FAILURES;
    this.windowMs = options.windowMs ?? PIN_THROTTLE_WINDOW_MS;
    this.now = options.now ?? Date.now;
  }

  /** Throws `PIN_THROTTLED` (with `retryAfterMs`) when a try on `tokenId` must not reach the token now. */
  check(tokenId: string): void {
    const recent = this.recent(tokenId);
    if (recent.length < this.maxFailures) return;
    // The try is allowed again once the oldest counted failure leaves the window.
    const retryAfterMs = Math.max(1, recent[recent.length - this.maxFailures]! + this.windowMs - this.now());
    throw new AgentError(Reason.PIN_THROTTLED, `too many wrong PINs for this token: try again in ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
  }

  /** Counts a wrong PIN that reached the token. */
  failed(tokenId: string): void {
    const recent = this.recent(tokenId);
    recent.push(this.now());
    // Only the last `maxFailures` can matter for a later check.
    if (recent.length > this.maxFailures) recent.splice(0, recent.length - this.maxFailures);
    this.failures.set(tokenId, recent);
  }

  /** The token accepted a PIN: its count starts again. */
  succeeded(tokenId: string): void {
    this.failures.delete(tokenId);
  }

  /**
   * Runs one PIN try on `tokenId`: refused at once when throttled, and an outcome with the `counted` reason
   * (`PIN_INCORRECT`, or `SO_PIN_INCORRECT` for the security officer's tries, kept under a key of their own) is
   * counted. `work` calls `pinAccepted` once the token has accepted the PIN, which clears the count; a success
   * alone does not, since some operations (installing a certificate on the software token) never check the PIN,
   * and a page must not be able to clear the count with them.
   */
  async attempt<T>(tokenId: string, work: (pinAccepted: () => void) => Promise<T>, counted: Reason = Reason.PIN_INCORRECT): Promise<T> {
    this.check(tokenId);
    try {
      return await work(() => this.succeeded(tokenId));
    } catch (error) {
      if (error instanceof AgentError && error.reason === counted) this.failed(tokenId);
      throw error;
    }
  }

  /** Wrong PINs of `tokenId` still inside the window (and forgets the token when there are none). */
  private recent(tokenId: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(tokenId) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(tokenId, kept);
    else this.failures.delete(tokenId);
    return kept;
  }
}
