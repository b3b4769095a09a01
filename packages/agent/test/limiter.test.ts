// The limiter the software token signs through: at most `limit` tasks at once, the others in arrival order, and a
// task that fails gives its place to the next.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Limiter } from '../src/providers/limiter.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('runs at most `limit` tasks at once, the others in arrival order', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = Array.from({ length: 5 }, (_, i) =>
      limiter.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return i;
      }),
    );
    await tick();
    assert.deepEqual(started, [0, 1], 'two start, three wait');
    while (release.length) {
      release.shift()!();
      await tick();
    }
    assert.deepEqual(await Promise.all(tasks), [0, 1, 2, 3, 4]);
    assert.deepEqual(started, [0, 1, 2, 3, 4]);
    assert.equal(most, 2);
  });

  it('a task that fails rejects alone and gives its place to the next', async () => {
    const limiter = new Limiter(1);
    const failed = limiter.run(() => Promise.reject(new Error('the key refused')));
    const next = limiter.run(async () => 'signed');
    await assert.rejects(failed, /the key refused/);
    assert.equal(await next, 'signed');
  });
});
