// AgentClient against a scripted WebSocket peer: the client's own behaviour (ids, timeouts, validation,
// notifications, reconnection), which the agent tests cannot provoke on demand.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
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

  const info = (id: number, agentVersion: string) => JSON.stringify({ jsonrpc: '2.0', id, result: { agentVersion, protocol: 1, providers: [], capabilities: [], algorithms: [] } });

  it('matches answers to requests by id, whatever their order', async () => {
    const held: { id: number; socket: WebSocket }[] = [];
    script = (req, socket) => {
      held.push({ id: req.id, socket });
      // Each answer names its own request, so an answer handed to the wrong request shows.
      if (held.length === 3) for (const h of held.reverse()) h.socket.send(info(h.id, `answer-${h.id}`));
    };
    const client = new AgentClient(url, { createSocket, reconnect: false });
    const answers = await Promise.all([1, 2, 3].map(() => client.request('agent.info', undefined)));
    const versions = answers.map((a) => a.agentVersion);
    assert.equal(new Set(versions).size, 3);
    assert.deepEqual(versions, [...versions].sort());
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
    // A second listener that stays: once it has heard a notification, the first one has been offered it too (no
    // waiting on a clock, which a loaded machine outruns).
    const witnessed: string[] = [];
    let heard = (): void => undefined;
    client.on('token.removed', (p) => {
      witnessed.push(p.tokenId);
      heard();
    });
    const removed = (tokenId: string) => {
      const arrived = new Promise<void>((resolve) => (heard = resolve));
      for (const socket of server.clients) socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'token.removed', params: { tokenId } }));
      return arrived;
    };
    await removed('p11-1');
    stop();
    await removed('p11-2');
    assert.deepEqual(witnessed, ['p11-1', 'p11-2']);
    assert.deepEqual(seen, ['p11-1']);
    client.close();
  });

  it("hands sign.progress to the request it names, and to no other", async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await client.connect();
    const batchResult = { signatures: [{ signature: 'AA==' }, { signature: 'AA==' }], certificate: 'AA==' };
    script = (req, socket) => {
      const progress = (id: unknown, done: number) => socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'sign.progress', params: { id, done, total: 2 } }));
      if (req.method !== 'sign.batch') return;
      progress(req.id, 1);
      progress((req.id as number) + 1000, 2); // another request's: not this one's
      progress(req.id, 2);
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: req.id, result: batchResult }));
    };
    const seen: string[] = [];
    const heard: number[] = [];
    const stop = client.on('sign.progress', (p) => heard.push(p.done));
    const params = { certId: 'p11-1/ab', pin: 'x', items: [{ digest: 'AA==' }, { digest: 'AA==' }], format: 'raw' as const };
    const result = await client.request('sign.batch', params, { onProgress: (done, total) => seen.push(`${done}/${total}`) });
    assert.deepEqual(result, batchResult);
    assert.deepEqual(seen, ['1/2', '2/2']);
    // Listeners of the notification hear every report, as for any notification.
    assert.deepEqual(heard, [1, 2, 2]);
    stop();
    // A request without onProgress simply ignores its reports.
    assert.deepEqual(await client.request('sign.batch', params), batchResult);
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

  it('passes on the reason the agent gave for closing (ORIGIN_DENIED after a deny), and none when the connection just drops', async () => {
    const client = new AgentClient(url, { createSocket, reconnectDelayMs: 20 });
    const reasons: (string | undefined)[] = [];
    client.addEventListener('statechange', (e) => {
      if ((e as ConnectionStateEvent).state === 'reconnecting') reasons.push((e as ConnectionStateEvent).closeReason);
    });
    const reopened = () => new Promise<void>((resolve) => client.addEventListener('statechange', () => client.state === 'open' && resolve()));
    try {
      await client.connect();
      let open = reopened();
      for (const socket of server.clients) socket.close(1008, 'ORIGIN_DENIED');
      await open;
      open = reopened();
      for (const socket of server.clients) socket.terminate();
      await open;
      assert.deepEqual(reasons, ['ORIGIN_DENIED', undefined]);
    } finally {
      client.close();
    }
  });

  it('says DISCONNECTED when nothing listens', async () => {
    const client = new AgentClient('ws://127.0.0.1:1/v1', { createSocket, reconnect: false });
    await assert.rejects(client.request('agent.info', undefined), (e: unknown) => (e as AgentError).reason === 'DISCONNECTED');
    client.close();
  });
});

// What a restart or a hung agent does to requests in flight: each fails once, promptly, with DISCONNECTED, and
// an answer that arrives after its request was settled is dropped rather than handed to another request.
describe('AgentClient across agent restarts and faults', () => {
  let server: WebSocketServer;
  let url: string;
  const received: { id: number; socket: WebSocket }[] = [];
  const connections: WebSocket[] = [];
  const createSocket = (u: string, protocol: string) => new WebSocket(u, protocol) as unknown as WebSocketLike;
  const answer = (socket: WebSocket, id: number, agentVersion: string) =>
    socket.send(JSON.stringify({ jsonrpc: '2.0', id, result: { agentVersion, protocol: 1, providers: [], capabilities: [], algorithms: [] } }));
  const untilReceived = async (n: number) => {
    for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(received.length >= n, `the peer got ${received.length} of ${n} requests`);
  };
  const untilOpen = (client: AgentClient) =>
    new Promise<void>((resolve) => {
      if (client.state === 'open') resolve();
      else client.addEventListener('statechange', () => client.state === 'open' && resolve());
    });

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has('sicert.v1') ? 'sicert.v1' : false) });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    server.on('connection', (socket) => {
      connections.push(socket);
      socket.on('message', (data) => received.push({ id: (JSON.parse((data as Buffer).toString()) as { id: number }).id, socket }));
    });
  });
  beforeEach(() => {
    received.length = 0;
    connections.length = 0;
  });
  after(() => server.close());

  it('fails a request in flight at a restart with DISCONNECTED, and ignores its late answer', { timeout: 10_000 }, async () => {
    const client = new AgentClient(url, { createSocket, reconnectDelayMs: 20 });
    const outcomes: string[] = [];
    const first = client.request('agent.info', undefined).then(
      (r) => outcomes.push(`resolved ${r.agentVersion}`),
      (e: unknown) => outcomes.push(`rejected ${(e as AgentError).reason}`),
    );
    await untilReceived(1);
    const staleId = received[0]!.id;
    for (const socket of connections) socket.terminate();
    await first; // with the default 60 s request timeout: only the drop itself can end it this soon
    assert.deepEqual(outcomes, ['rejected DISCONNECTED']);
    await untilOpen(client);
    const second = client.request('agent.info', undefined);
    await untilReceived(2);
    const fresh = received[1]!;
    assert.notEqual(fresh.id, staleId);
    answer(fresh.socket, staleId, 'stale'); // the restarted agent answers the old id: nobody's answer now
    answer(fresh.socket, fresh.id, 'fresh');
    assert.equal((await second).agentVersion, 'fresh');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(outcomes, ['rejected DISCONNECTED']);
    client.close();
  });

  it('ignores an answer to a request that already timed out', async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await assert.rejects(client.request('agent.info', undefined, { timeoutMs: 30 }), (e: unknown) => (e as AgentError).reason === 'TIMEOUT');
    const next = client.request('agent.info', undefined);
    await untilReceived(2);
    answer(received[1]!.socket, received[0]!.id, 'late');
    answer(received[1]!.socket, received[1]!.id, 'own');
    assert.equal((await next).agentVersion, 'own');
    client.close();
  });

  it('keeps a new connection open when the one it replaced finishes closing late', { timeout: 10_000 }, async () => {
    const client = new AgentClient(url, { createSocket, reconnectDelayMs: 20 });
    await client.connect();
    const old = connections[0]!;
    // The agent starts a close handshake but its end of the TCP connection stalls: the client's socket is
    // CLOSING, and its close event comes only when the stalled end finally goes away.
    const raw = (old as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    raw.write(Buffer.from([0x88, 0x00]));
    const states: ConnectionState[] = [];
    client.addEventListener('statechange', (e) => states.push((e as ConnectionStateEvent).state));
    for (let i = 0; i < 200 && connections.length < 2; i++) {
      // A request made meanwhile opens a new connection.
      if (i === 10) void client.connect();
      await new Promise((r) => setTimeout(r, 10));
    }
    await untilOpen(client);
    const inFlight = client.request('agent.info', undefined);
    await untilReceived(1);
    raw.destroy(); // now the old socket's close event arrives
    await new Promise((r) => setTimeout(r, 50));
    answer(received[0]!.socket, received[0]!.id, 'still here');
    assert.equal((await inFlight).agentVersion, 'still here');
    assert.equal(client.state, 'open');
    assert.ok(!states.includes('reconnecting'), `states: ${states.join(' → ')}`);
    client.close();
  });

  it('gives up opening a connection the agent never answers, with DISCONNECTED', { timeout: 10_000 }, async () => {
    // A hung agent: the kernel accepts the connection, nobody answers the upgrade.
    const sockets: import('node:net').Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const client = new AgentClient(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`, { createSocket, reconnect: false, connectTimeoutMs: 100 });
    await assert.rejects(client.request('agent.info', undefined), (e: unknown) => (e as AgentError).reason === 'DISCONNECTED');
    assert.equal(client.state, 'idle');
    client.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

});
