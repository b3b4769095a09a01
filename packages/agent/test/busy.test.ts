// The server's limits, each on its own agent: BUSY when a connection has too many requests in flight, BUSY from
// the per-connection rate limit, and the global connection cap. Work is held in flight deterministically by
// occupying the software token's queue from the test, not by timing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ErrorCode, type RpcResponse } from '@sicert/protocol';
import { createLogger, defaultConfig, KeyedQueue, startAgent, type AgentConfig, type RunningAgent } from '../src/index.js';
import { upgradeStatus } from '@sicert/test-support/agent-client';

const ORIGIN_A = 'https://a.portal.test';
const ORIGIN_B = 'https://b.portal.test';
const ORIGIN_C = 'https://c.portal.test';

/** An open WebSocket from `origin` and the answers it receives, in order. */
async function open(url: string, origin: string): Promise<{ ws: WebSocket; answers: RpcResponse[]; answered: (n: number) => Promise<RpcResponse[]> }> {
  const ws = new WebSocket(url, 'sicert.v1', { origin });
  const answers: RpcResponse[] = [];
  let wake: () => void = () => undefined;
  ws.on('message', (data) => {
    answers.push(JSON.parse((data as Buffer).toString('utf8')) as RpcResponse);
    wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Resolves once `n` answers have come. */
  const answered = (n: number) =>
    new Promise<RpcResponse[]>((resolve) => {
      wake = () => {
        if (answers.length >= n) resolve(answers);
      };
      wake();
    });
  return { ws, answers, answered };
}

const call = (id: string | number, method: string, params?: unknown) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
/** A software token id whose queue the tests hold: requests for it wait there, whether or not it exists. */
const SOFT_TOKEN_ID = 'soft-00000000000000a1';
const sign = (id: string) => call(id, 'sign.data', { certId: `${SOFT_TOKEN_ID}/00`, pin: 'Home2468x', data: 'AA==' });
const reasonOf = (answer: RpcResponse | undefined) => (answer && 'error' in answer ? answer.error.data?.reason : 'result');

describe('server limits', () => {
  let home: string;
  const agents: RunningAgent[] = [];
  const start = async (settings: Partial<AgentConfig>, tokenQueue?: KeyedQueue) => {
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [ORIGIN_A, ORIGIN_B, ORIGIN_C], ...settings }, createLogger('error', () => undefined), tokenQueue ? { tokenQueue } : {});
    agents.push(agent);
    return agent;
  };
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-busy-'));
  });
  after(async () => {
    for (const agent of agents) await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('answers BUSY beyond maxInFlight requests on one connection, and takes requests again once they finish', async () => {
    const tokenQueue = new KeyedQueue();
    let release: () => void = () => undefined;
    const held = tokenQueue.run(SOFT_TOKEN_ID, () => new Promise<void>((resolve) => (release = resolve)));
    const agent = await start({ maxInFlight: 2, ratePerSecond: 1000 }, tokenQueue);
    const page = await open(agent.url, ORIGIN_A);
    try {
      // Two signatures wait for the held token: both in flight. The third request of any kind is refused at once.
      page.ws.send(sign('s1'));
      page.ws.send(sign('s2'));
      page.ws.send(call('x', 'agent.info'));
      // A notification is never answered, not even with BUSY; the request after it is.
      page.ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'agent.info' }));
      page.ws.send('not json');
      const busy = await page.answered(2);
      assert.deepEqual(busy, [
        { jsonrpc: '2.0', id: 'x', error: { code: ErrorCode.APPLICATION, message: 'Busy: too many requests', data: { reason: 'BUSY' } } },
        { jsonrpc: '2.0', id: null, error: { code: ErrorCode.APPLICATION, message: 'Busy: too many requests', data: { reason: 'BUSY' } } },
      ]);
      release();
      await held;
      const all = await page.answered(4);
      assert.deepEqual(all.slice(2).map((a) => a.id).sort(), ['s1', 's2']);
      for (const answer of all.slice(2)) assert.notEqual(reasonOf(answer), 'BUSY');
      // The finished requests gave their slots back.
      page.ws.send(call('y', 'agent.info'));
      page.ws.send(call('z', 'agent.info'));
      const after = await page.answered(6);
      assert.deepEqual(after.slice(4).map((a) => [a.id, reasonOf(a)]), [['y', 'result'], ['z', 'result']]);
    } finally {
      release();
      page.ws.close();
    }
  });

  it('answers BUSY when a connection exceeds its rate, per connection', async () => {
    // ratePerSecond 1 allows a burst of 2; the third request within the same second is refused.
    const agent = await start({ ratePerSecond: 1, maxInFlight: 100, softToken: false });
    const page = await open(agent.url, ORIGIN_A);
    const other = await open(agent.url, ORIGIN_B);
    try {
      for (const id of [1, 2, 3]) page.ws.send(call(id, 'agent.info'));
      const answers = await page.answered(3);
      assert.deepEqual(answers.map((a) => [a.id, reasonOf(a)]).sort(), [[1, 'result'], [2, 'result'], [3, 'BUSY']]);
      // Another connection has its own allowance.
      other.ws.send(call('o', 'agent.info'));
      assert.equal(reasonOf((await other.answered(1))[0]), 'result');
    } finally {
      page.ws.close();
      other.ws.close();
    }
  });

  it('refuses the upgrade beyond maxConnections, whatever the origin, and gives the slot back on close', async () => {
    const agent = await start({ maxConnections: 2, maxConnectionsPerOrigin: 2, softToken: false });
    const a = await open(agent.url, ORIGIN_A);
    const b = await open(agent.url, ORIGIN_B);
    try {
      assert.equal(await upgradeStatus(agent.url, { origin: ORIGIN_C }), 503);
      assert.equal(await upgradeStatus(agent.url, { origin: ORIGIN_A }), 503);
      a.ws.terminate();
      // Bounded wait for the agent to see the close.
      let status = 0;
      for (let i = 0; i < 200 && status !== 101; i++) {
        status = await upgradeStatus(agent.url, { origin: ORIGIN_C });
        if (status !== 101) await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(status, 101);
    } finally {
      b.ws.close();
    }
  });
});
