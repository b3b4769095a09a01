// One allowed origin cannot starve another: connection caps per origin, origins served in turn on a token, and
// the queued work of a connection that closed never runs. Real agent, real software token (its scrypt PIN check
// makes each signature cost real time, so queued work is real).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { toBase64 } from '@sicert/pki';
import type { RpcResponse } from '@sicert/protocol';
import { createLogger, defaultConfig, KeyedQueue, startAgent, type RunningAgent } from '../src/index.js';
import { createTestCa } from '@sicert/test-support/test-ca';
import { upgradeStatus } from '@sicert/test-support/agent-client';
import { provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';

const PIN = 'Home2468x';
const ORIGIN_A = 'https://a.portal.test';
const ORIGIN_B = 'https://b.portal.test';

/** An open WebSocket from `origin`, with the answers it receives in order. */
async function open(url: string, origin: string): Promise<{ ws: WebSocket; answers: RpcResponse[]; next: (id: string | number) => Promise<RpcResponse> }> {
  const ws = new WebSocket(url, 'sicert.v1', { origin });
  const answers: RpcResponse[] = [];
  const waiters = new Map<string | number, (answer: RpcResponse) => void>();
  ws.on('message', (data) => {
    const answer = JSON.parse((data as Buffer).toString('utf8')) as RpcResponse;
    answers.push(answer);
    if (answer.id !== null) waiters.get(answer.id)?.(answer);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (id: string | number) => {
    const seen = answers.find((a) => a.id === id);
    return seen ? Promise.resolve(seen) : new Promise<RpcResponse>((resolve) => waiters.set(id, resolve));
  };
  return { ws, answers, next };
}

function signRequest(id: string, certId: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'sign.data', params: { certId, pin: PIN, data: toBase64(new TextEncoder().encode(`申报 ${id}`)) } });
}

describe('fairness between origins', () => {
  let home: string;
  let agent: RunningAgent;
  let certs: ProvisionedCerts;
  const tokenQueue = new KeyedQueue();
  const logLines: string[] = [];

  const auditLines = () =>
    readFileSync(join(home, 'audit.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { origin: string; outcome: string; operation: string });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-fairness-'));
    const config = { ...defaultConfig(), port: 0, home, allowOrigins: [ORIGIN_A, ORIGIN_B] };
    agent = await startAgent(config, createLogger('debug', (line) => logLines.push(line)), { tokenQueue });
    certs = await provisionSoft(agent.softToken!, PIN, await createTestCa());
  });
  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('caps connections per origin, so one origin cannot take every slot', async () => {
    const capped = await startAgent({ ...defaultConfig(), port: 0, home, softToken: false, allowOrigins: [ORIGIN_A, ORIGIN_B], maxConnections: 4, maxConnectionsPerOrigin: 2 }, createLogger('error', () => undefined));
    try {
      const a1 = await open(capped.url, ORIGIN_A);
      const a2 = await open(capped.url, ORIGIN_A);
      assert.equal(await upgradeStatus(capped.url, { origin: ORIGIN_A }), 503);
      // The same origin spelled with its default port counts as the same origin.
      assert.equal(await upgradeStatus(capped.url, { origin: `${ORIGIN_A}:443` }), 503);
      assert.equal(await upgradeStatus(capped.url, { origin: ORIGIN_B }), 101);
      a1.ws.terminate();
      // A closed connection gives its slot back (bounded wait for the agent to see the close).
      let status = 0;
      for (let i = 0; i < 200 && status !== 101; i++) {
        status = await upgradeStatus(capped.url, { origin: ORIGIN_A });
        if (status !== 101) await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(status, 101);
      a2.ws.terminate();
    } finally {
      await capped.close();
    }
  });

  it("answers origin B after at most a few of origin A's queued operations, not after all of them", async (t) => {
    const a = await open(agent.url, ORIGIN_A);
    const b = await open(agent.url, ORIGIN_B);
    try {
      const certId = certs['ECDSA-P256'];
      const backlog = 12;
      for (let i = 0; i < backlog; i++) a.ws.send(signRequest(`a${i}`, certId));
      await a.next('a0');
      b.ws.send(signRequest('b0', certId));
      const answer = await b.next('b0');
      assert.ok('result' in answer, JSON.stringify(answer));
      const aheadOfB = a.answers.length;
      t.diagnostic(`B was answered after ${aheadOfB} of A's ${backlog} queued operations`);
      // A's first (answered before B asked) and the one running when B asked; one more in case B arrives late.
      assert.ok(aheadOfB <= 3, `B waited for ${aheadOfB} of A's ${backlog} operations`);
      for (let i = 0; i < backlog; i++) assert.ok('result' in (await a.next(`a${i}`)));
    } finally {
      a.ws.close();
      b.ws.close();
      await tokenQueue.drained();
    }
  });

  it('drops the queued work of a connection that closed: it never reaches the token', async (t) => {
    const before = auditLines().length;
    const a = await open(agent.url, ORIGIN_A);
    const certId = certs['RSA-2048'];
    const queued = 10;
    for (let i = 0; i < queued; i++) a.ws.send(signRequest(`c${i}`, certId));
    await a.next('c0');
    const closedLines = logLines.filter((l) => l.includes('connection closed')).length;
    a.ws.terminate();
    // Wait (bounded) until the agent has seen the connection close.
    for (let i = 0; i < 500 && logLines.filter((l) => l.includes('connection closed')).length === closedLines; i++) await new Promise((r) => setTimeout(r, 10));
    // Another page's request is answered; with the closed page's work dropped, nothing of it runs after that.
    const b = await open(agent.url, ORIGIN_B);
    try {
      b.ws.send(signRequest('after', certId));
      assert.ok('result' in (await b.next('after')));
    } finally {
      b.ws.close();
    }
    await tokenQueue.drained();
    const fromA = auditLines()
      .slice(before)
      .filter((l) => l.origin === ORIGIN_A);
    const ran = fromA.filter((l) => l.outcome === 'ok').length;
    t.diagnostic(`${ran} of ${queued} operations ran (answered or already running at close); the rest were dropped`);
    assert.ok(ran >= 1 && ran <= 3, `${ran} of ${queued} queued operations ran after their connection closed`);
    // The dropped ones never reached a key, so they leave no audit entry (a CANCELLED outcome is not one).
    assert.equal(fromA.length, ran, 'only the operations that ran are in the audit log');
  });
});
