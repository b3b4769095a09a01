// AgentClient against a scripted WebSocket peer: the client's own behaviour (ids, timeouts, validation,
// notifications, reconnection), which the agent tests cannot provoke on demand.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { AgentClient, AgentError, type ConnectionState, type ConnectionStateEvent, type WebSocketLike } from '../src/index.js';

type Script = (request: { id: number; method: string; params?: unknown }, socket: WebSocket) => void;

describe('AgentClient', () => {
  let server: WebSocketServer;
  let url: string;
  let script: Script;
  const createSocket = (u: string, protocol: string) => new WebSocket(u, protocol) as unknown as WebSocketLike;

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has('sicert.v1') ? 'sicert.v1' : false) });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    server.on('connection', (socket) => {
      socket.on('message', (data) => script(JSON.parse((data as Buffer).toString()) as never, socket));
    });
  });
  beforeEach(() => {
    script = (req, socket) => socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { agentVersion: '9', protocol: 1, providers: [], capabilities: [], algorithms: [] } }));
  });
  after(() => server.close());

  it('shares one client per URL until it is closed', () => {
    const a = AgentClient.shared(url, { createSocket });
    assert.equal(AgentClient.shared(url), a);
    a.close();
    assert.notEqual(AgentClient.shared(url, { createSocket }), a);
    AgentClient.shared(url).close();
  });

  it('matches answers to requests by id, whatever their order', async () => {
    const held: { id: number; socket: WebSocket }[] = [];
    script = (req, socket) => {
      held.push({ id: req.id, socket });
      if (held.length === 2) {
        for (const h of held.reverse()) h.socket.send(JSON.stringify({ jsonrpc: '2.0', id: h.id, result: { tokens: [] } }));
      }
    };
    const client = new AgentClient(url, { createSocket, reconnect: false });
    const [a, b] = await Promise.all([client.request('token.list', undefined), client.request('token.list', undefined)]);
    assert.deepEqual(a, { tokens: [] });
    assert.deepEqual(b, { tokens: [] });
    client.close();
  });

  it('turns an error answer into an AgentError with its reason and tries left', async () => {
    script = (req, socket) => socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, error: { code: -32000, message: 'wrong', data: { reason: 'PIN_INCORRECT', retriesLeft: 4 } } }));
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await assert.rejects(client.request('sign.data', { certId: 'x', pin: 'p', data: 'AA==' }), (e: unknown) => e instanceof AgentError && e.reason === 'PIN_INCORRECT' && e.retriesLeft === 4);
    client.close();
  });

  it('rejects a result that does not match the protocol', async () => {
    script = (req, socket) => socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { tokens: 'nope' } }));
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await assert.rejects(client.request('token.list', undefined), (e: unknown) => (e as AgentError).reason === 'INTERNAL');
    client.close();
  });

  it('times out, and can be cancelled', async () => {
    script = () => undefined;
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await assert.rejects(client.request('agent.info', undefined, { timeoutMs: 50 }), (e: unknown) => (e as AgentError).reason === 'TIMEOUT');
    const controller = new AbortController();
    const pending = client.request('agent.info', undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (e: unknown) => (e as AgentError).reason === 'CANCELLED');
    client.close();
  });

  it('delivers notifications to listeners until they unsubscribe', async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await client.connect();
    const seen: string[] = [];
    const stop = client.on('token.removed', (p) => seen.push(p.tokenId));
    for (const socket of server.clients) socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'token.removed', params: { tokenId: 'p11-1' } }));
    await new Promise((r) => setTimeout(r, 50));
    stop();
    for (const socket of server.clients) socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'token.removed', params: { tokenId: 'p11-2' } }));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, ['p11-1']);
    client.close();
  });

  it('fails pending requests when the connection drops, then reconnects with backoff', async () => {
    script = () => undefined;
    const client = new AgentClient(url, { createSocket, reconnectDelayMs: 20 });
    const states: ConnectionState[] = [];
    client.addEventListener('statechange', (e) => states.push((e as ConnectionStateEvent).state));
    await client.connect();
    const pending = client.request('agent.info', undefined);
    await new Promise((r) => setTimeout(r, 20));
    for (const socket of server.clients) socket.terminate();
    await assert.rejects(pending, (e: unknown) => (e as AgentError).reason === 'DISCONNECTED');
    const reopened = new Promise<void>((resolve) => client.addEventListener('statechange', () => client.state === 'open' && resolve()));
    await reopened;
    assert.deepEqual(states.slice(0, 3), ['connecting', 'open', 'reconnecting']);
    assert.equal(states.at(-1), 'open');
    script = (req, socket) => socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: { tokens: [] } }));
    assert.deepEqual(await client.request('token.list', undefined), { tokens: [] });
    client.close();
    assert.equal(client.state, 'closed');
  });

  it('says DISCONNECTED when nothing listens', async () => {
    const client = new AgentClient('ws://127.0.0.1:1/v1', { createSocket, reconnect: false });
    await assert.rejects(client.request('agent.info', undefined), (e: unknown) => (e as AgentError).reason === 'DISCONNECTED');
    client.close();
  });
});
