import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { AgentError } from '@sicert/protocol';
import { KeyedQueue } from '../src/index.js';

/** A task that records when it starts and finishes only when released. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    task: async () => {
      log.push(name);
      await done;
      return name;
    },
    release: () => release(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** True when nothing is queued or running and no key is left behind: drained() then settles at once. */
async function isIdle(queue: KeyedQueue): Promise<boolean> {
  let drained = false;
  void queue.drained().then(() => (drained = true));
  await tick();
  return drained;
}

describe('KeyedQueue', () => {
  it('runs one task per key at a time, and keys independently', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a1 = gate(log, 'a1');
    const a2 = gate(log, 'a2');
    const b1 = gate(log, 'b1');
    const results = [queue.run('a', a1.task), queue.run('a', a2.task), queue.run('b', b1.task)];
    await tick();
    assert.deepEqual(log, ['a1', 'b1']);
    a1.release();
    await tick();
    assert.deepEqual(log, ['a1', 'b1', 'a2']);
    a2.release();
    b1.release();
    assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'b1']);
    assert.equal(await isIdle(queue), true);
  });

  it('serves the lanes of one key in turn, so a long backlog in one lane does not hold another back', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const gates = new Map<string, ReturnType<typeof gate>>();
    const run = (lane: string, name: string) => {
      const g = gate(log, name);
      gates.set(name, g);
      return queue.run('token', g.task, { lane });
    };
    const all = [run('A', 'A1'), run('A', 'A2'), run('A', 'A3'), run('A', 'A4'), run('B', 'B1'), run('B', 'B2'), run('C', 'C1')];
    // A1 runs at once; then every other lane gets a turn before A's second.
    for (const name of ['A1', 'B1', 'C1', 'A2', 'B2', 'A3', 'A4']) {
      await tick();
      assert.equal(log.at(-1), name, `expected ${name} next, ran ${log.join(' ')}`);
      gates.get(name)!.release();
    }
    await Promise.all(all);
    assert.deepEqual(log, ['A1', 'B1', 'C1', 'A2', 'B2', 'A3', 'A4']);
  });

  it('puts tasks without a lane in the lane named by the empty string, one lane like any other', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const u1 = gate(log, 'U1');
    const u2 = gate(log, "U2 ('')");
    const v1 = gate(log, 'V1');
    const all = [queue.run('t', u1.task), queue.run('t', u2.task, { lane: '' }), queue.run('t', v1.task, { lane: 'b' })];
    // U1 and U2 share a lane, so lane b gets its turn between them.
    for (const g of [u1, v1, u2]) {
      await tick();
      g.release();
    }
    await Promise.all(all);
    assert.deepEqual(log, ['U1', 'V1', "U2 ('')"]);
  });

  it('never starts a task whose signal is aborted while it waits, and rejects it with CANCELLED', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const first = gate(log, 'first');
    const closed = new AbortController();
    const running = queue.run('t', first.task, { lane: 'A', signal: closed.signal });
    const waiting = [queue.run('t', gate(log, 'w1').task, { lane: 'A', signal: closed.signal }), queue.run('t', gate(log, 'w2').task, { lane: 'A', signal: closed.signal })];
    const other = gate(log, 'other');
    const otherResult = queue.run('t', other.task, { lane: 'B' });
    await tick();
    closed.abort();
    for (const w of waiting) await assert.rejects(w, (e: unknown) => e instanceof AgentError && e.reason === 'CANCELLED');
    // The task already running is not interrupted: it finishes and its result is delivered.
    first.release();
    assert.equal(await running, 'first');
    await tick();
    other.release();
    assert.equal(await otherResult, 'other');
    assert.deepEqual(log, ['first', 'other']);
    await assert.rejects(queue.run('t', gate(log, 'late').task, { signal: closed.signal }), (e: unknown) => e instanceof AgentError && e.reason === 'CANCELLED');
    assert.equal(log.includes('late'), false);
    await queue.drained();
    assert.equal(await isIdle(queue), true);
  });

  it('lets go of the signal once a task starts, so a long-lived connection does not collect listeners', async () => {
    const queue = new KeyedQueue();
    const connection = new AbortController();
    const log: string[] = [];
    const first = gate(log, 'first');
    const second = gate(log, 'second');
    const results = [queue.run('t', first.task, { signal: connection.signal }), queue.run('t', second.task, { signal: connection.signal })];
    await tick();
    // Only the waiting task still listens for the connection to close.
    assert.equal(getEventListeners(connection.signal, 'abort').length, 1);
    first.release();
    await tick();
    assert.equal(getEventListeners(connection.signal, 'abort').length, 0);
    second.release();
    assert.deepEqual(await Promise.all(results), ['first', 'second']);
  });

  it('keeps serving after a task throws synchronously or rejects, and drained() waits for the last one', async () => {
    const queue = new KeyedQueue();
    await assert.rejects(
      queue.run('k', () => {
        throw new Error('sync');
      }),
      /sync/,
    );
    await assert.rejects(queue.run('k', () => Promise.reject(new Error('async'))), /async/);
    const log: string[] = [];
    const last = gate(log, 'last');
    const result = queue.run('k', last.task);
    let drained = false;
    const whenDrained = queue.drained().then(() => (drained = true));
    await tick();
    assert.equal(drained, false);
    last.release();
    await whenDrained;
    assert.equal(await result, 'last');
    assert.equal(await isIdle(queue), true);
  });

  it('stays busy while a task runs, even when a task waiting behind it is cancelled', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const running = gate(log, 'running');
    const result = queue.run('t', running.task, { lane: 'A' });
    const closed = new AbortController();
    const waiting = queue.run('t', gate(log, 'waiting').task, { lane: 'B', signal: closed.signal });
    await tick();
    closed.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof AgentError && e.reason === 'CANCELLED' && /connection closed/.test(e.message));
    // A watcher must still see the token in use, and a shutdown must still wait for the running operation.
    assert.equal(queue.busy('t'), true);
    assert.equal(await isIdle(queue), false);
    running.release();
    assert.equal(await result, 'running');
    await tick();
    assert.equal(queue.busy('t'), false);
    assert.equal(await isIdle(queue), true);
  });

  it('drained() waits for every key, not just the first to finish', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const short = gate(log, 'short');
    const long = gate(log, 'long');
    const results = [queue.run('a', short.task), queue.run('b', long.task)];
    let drained = false;
    const whenDrained = queue.drained().then(() => (drained = true));
    short.release();
    await results[0];
    await tick();
    assert.equal(drained, false, 'token b still works');
    assert.equal(queue.busy('b'), true);
    long.release();
    await whenDrained;
    assert.deepEqual(await Promise.all(results), ['short', 'long']);
  });
});
