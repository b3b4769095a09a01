// The rate limiter and the per-origin counter on their own, on a mocked clock (Date only), so the refill is
// checked exactly without waiting and without depending on how fast the machine is.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { OriginCounter, RateLimiter } from '../src/connection-limits.js';

/** How many `take()` succeed in a row (bounded). */
function drain(limiter: RateLimiter, max = 1000): number {
  let n = 0;
  while (n < max && limiter.take()) n++;
  return n;
}

describe('RateLimiter', () => {
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('allows a burst of twice the rate, then refuses', () => {
    for (const rate of [1, 5, 100]) {
      const limiter = new RateLimiter(rate);
      assert.equal(drain(limiter), rate * 2, `rate ${rate}`);
      assert.equal(limiter.take(), false);
    }
  });

  it('refills at the rate: one more request per 1/rate seconds, not before', () => {
    const limiter = new RateLimiter(10);
    drain(limiter);
    mock.timers.tick(99);
    assert.equal(limiter.take(), false, 'not a whole token after 99 ms');
    mock.timers.tick(1);
    assert.equal(limiter.take(), true, 'one token after 100 ms');
    assert.equal(limiter.take(), false);
    mock.timers.tick(500);
    assert.equal(drain(limiter), 5);
  });

  it('keeps the fractions of a token between calls', () => {
    const limiter = new RateLimiter(10);
    drain(limiter);
    for (let i = 0; i < 3; i++) {
      mock.timers.tick(40);
      assert.equal(limiter.take(), i === 2, `after ${(i + 1) * 40} ms`);
    }
  });

  it('never holds more than twice the rate, however long it was idle', () => {
    const limiter = new RateLimiter(3);
    drain(limiter);
    mock.timers.tick(3_600_000);
    assert.equal(drain(limiter), 6);
  });

  it('a refused request costs nothing', () => {
    const limiter = new RateLimiter(2);
    drain(limiter);
    for (let i = 0; i < 50; i++) assert.equal(limiter.take(), false);
    mock.timers.tick(500);
    assert.equal(limiter.take(), true, 'the refill is not eaten by refused requests');
  });
});

describe('OriginCounter', () => {
  it('counts connections per origin, each origin on its own', () => {
    const counter = new OriginCounter();
    assert.equal(counter.count('https://a.cn'), 0);
    counter.add('https://a.cn');
    counter.add('https://a.cn');
    counter.add('https://b.cn');
    assert.equal(counter.count('https://a.cn'), 2);
    assert.equal(counter.count('https://b.cn'), 1);
    counter.remove('https://a.cn');
    assert.equal(counter.count('https://a.cn'), 1);
    assert.equal(counter.count('https://b.cn'), 1);
  });

  it('goes back to zero and forgets the origin, and never below zero', () => {
    const counter = new OriginCounter();
    counter.add('https://a.cn');
    counter.remove('https://a.cn');
    assert.equal(counter.count('https://a.cn'), 0);
    counter.remove('https://a.cn');
    assert.equal(counter.count('https://a.cn'), 0);
    counter.add('https://a.cn');
    assert.equal(counter.count('https://a.cn'), 1);
  });
});
