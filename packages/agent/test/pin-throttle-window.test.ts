// The PIN throttle's window arithmetic on its own, on a clock the test holds: the exact edge of the window, the
// wait it announces (in the error's data and in its message) and the defaults, without a token or an agent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentError, Reason } from '@sicert/protocol';
import { PIN_THROTTLE_MAX_FAILURES, PIN_THROTTLE_WINDOW_MS, PinThrottle } from '../src/pin-throttle.js';

/** The PIN_THROTTLED error `check` throws, or undefined when the try may go ahead. */
function refusal(throttle: PinThrottle, tokenId: string): AgentError | undefined {
  try {
    throttle.check(tokenId);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof AgentError && error.reason === Reason.PIN_THROTTLED, String(error));
    return error;
  }
}

describe('PinThrottle window', () => {
  it('defaults to 10 wrong PINs per 60 s', () => {
    assert.equal(PIN_THROTTLE_MAX_FAILURES, 10);
    assert.equal(PIN_THROTTLE_WINDOW_MS, 60_000);
    const throttle = new PinThrottle();
    for (let i = 0; i < 9; i++) throttle.failed('t');
    assert.equal(refusal(throttle, 't'), undefined, 'nine are not the limit');
    throttle.failed('t');
    const error = refusal(throttle, 't');
    assert.ok(error?.retryAfterMs !== undefined && error.retryAfterMs > 50_000 && error.retryAfterMs <= 60_000, String(error?.retryAfterMs));
  });

  it('forgets a failure exactly one window after it, not a millisecond before', () => {
    let now = 1000;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 2, windowMs: 10_000 });
    throttle.failed('t');
    now = 2000;
    throttle.failed('t');
    now = 10_999;
    assert.equal(refusal(throttle, 't')?.retryAfterMs, 1);
    now = 11_000;
    assert.equal(refusal(throttle, 't'), undefined, 'the failure at 1000 left the window at 11000');
    throttle.failed('t');
    assert.equal(refusal(throttle, 't')?.retryAfterMs, 1000, 'the failure at 2000 is now the oldest that counts');
  });

  it('announces at least 1 ms, and whole seconds rounded up in the message', () => {
    let now = 0;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 1, windowMs: 1000 });
    throttle.failed('t');
    now = 999.5;
    const soon = refusal(throttle, 't');
    assert.equal(soon?.retryAfterMs, 1);
    assert.equal(soon.message, 'too many wrong PINs for this token: try again in 1 s');
    now = 0;
    const other = new PinThrottle({ now: () => now, maxFailures: 1, windowMs: 2_500 });
    other.failed('t');
    now = 1;
    const later = refusal(other, 't');
    assert.equal(later?.retryAfterMs, 2_499);
    assert.equal(later.message, 'too many wrong PINs for this token: try again in 3 s');
  });

  it('counts only the most recent failures once more than the limit were recorded', () => {
    let now = 0;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 3, windowMs: 100 });
    for (let i = 0; i < 6; i++) {
      throttle.failed('t');
      now += 10;
    }
    // Failures at 0..50; the limit counts from the third most recent (30), which leaves at 130.
    assert.equal(refusal(throttle, 't')?.retryAfterMs, 70);
  });

  it('keeps tokens apart, and a success clears only its own token', () => {
    const now = 0;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 1 });
    throttle.failed('a');
    throttle.failed('b');
    throttle.succeeded('a');
    assert.equal(refusal(throttle, 'a'), undefined);
    assert.ok(refusal(throttle, 'b'));
    assert.equal(refusal(throttle, 'c'), undefined);
  });

  it('counts only PIN_INCORRECT outcomes of attempt, and passes every outcome through', async () => {
    const throttle = new PinThrottle({ now: () => 0, maxFailures: 1 });
    const locked = new AgentError(Reason.PIN_LOCKED, 'locked');
    await assert.rejects(throttle.attempt('t', () => Promise.reject(locked)), (e) => e === locked);
    await assert.rejects(throttle.attempt('t', () => Promise.reject(new Error('plain'))), /plain/);
    assert.equal(refusal(throttle, 't'), undefined);
    assert.equal(await throttle.attempt('t', () => Promise.resolve(42)), 42);
    const wrong = new AgentError(Reason.PIN_INCORRECT, 'wrong');
    await assert.rejects(throttle.attempt('t', () => Promise.reject(wrong)), (e) => e === wrong);
    assert.ok(refusal(throttle, 't'));
    let ran = false;
    await assert.rejects(
      throttle.attempt('t', () => {
        ran = true;
        return Promise.resolve();
      }),
      (e) => e instanceof AgentError && e.reason === Reason.PIN_THROTTLED,
    );
    assert.equal(ran, false, 'a throttled try never reaches the token');
  });
});
