import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentError, Reason } from '@sicert/protocol';
import { PinThrottle } from '../src/index.js';

const wrongPin = () => Promise.reject(new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect'));
const throttled = (ms?: number) => (e: unknown) => e instanceof AgentError && e.reason === Reason.PIN_THROTTLED && (ms === undefined || e.retryAfterMs === ms);

describe('PinThrottle', () => {
  it('lets 10 wrong PINs a minute through per token, refuses the rest with retryAfterMs, on a sliding window', async () => {
    let now = 1_000_000;
    const throttle = new PinThrottle({ now: () => now });
    for (let i = 0; i < 10; i++) {
      await assert.rejects(throttle.attempt('t1', wrongPin), /incorrect/);
      now += 1000;
    }
    // t = 10 s: the oldest failure (t = 0) leaves the window at t = 60 s.
    await assert.rejects(throttle.attempt('t1', () => Promise.resolve('right')), throttled(50_000));
    // Another token is not affected.
    assert.equal(await throttle.attempt('t2', () => Promise.resolve('ok')), 'ok');
    now += 50_000;
    await assert.rejects(throttle.attempt('t1', wrongPin), /incorrect/);
    // One slot freed, one used: the next slot frees when the failure at t = 1 s leaves, 1 s from now.
    await assert.rejects(throttle.attempt('t1', wrongPin), throttled(1000));
  });

  it('clears the count when the token accepts the PIN, and only then', async () => {
    let now = 0;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 3 });
    for (let i = 0; i < 2; i++) await assert.rejects(throttle.attempt('t', wrongPin));
    // An operation that succeeds without proving the PIN (a certificate install on the software token) keeps the count.
    await throttle.attempt('t', () => Promise.resolve());
    // Other failures prove nothing either way.
    await assert.rejects(throttle.attempt('t', () => Promise.reject(new AgentError(Reason.KEY_NOT_FOUND, 'x'))));
    await assert.rejects(throttle.attempt('t', wrongPin));
    await assert.rejects(throttle.attempt('t', wrongPin), throttled());
    now += 60_000;
    await throttle.attempt('t', (pinAccepted) => {
      pinAccepted();
      return Promise.resolve();
    });
    for (let i = 0; i < 3; i++) await assert.rejects(throttle.attempt('t', wrongPin), /incorrect/);
    await assert.rejects(throttle.attempt('t', wrongPin), throttled());
  });
});
