// AgentClient's connection life cycle driven step by step through its `createSocket` option: the socket events
// (open, message, close) and the clock come when the test says, so races a real agent shows only rarely — a
// socket that closes as it opens, a late open after the client gave up, a JSON value that is not an object —
// and the reconnection schedule are checked exactly, without waiting on wall-clock time.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { afterEach, describe, it, mock } from 'node:test';
import { AgentClient, AgentError, type ConnectionState, type ConnectionStateEvent, type WebSocketLike } from '../src/index.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** A socket whose peer is the test: it records what the client sends and fires the events it is told to. */
class ScriptedSocket implements WebSocketLike {
  readyState = CONNECTING;
  readonly protocol = 'sicert.v1';
  readonly sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }
  open(): void {
    this.readyState = OPEN;
    this.onopen?.({});
  }
  drop(): void {
    this.readyState = CLOSED;
    this.onclose?.({ code: 1006, reason: '' });
  }
  deliver(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

/** A client whose every connection attempt makes a new {@link ScriptedSocket}. */
function scripted(options: ConstructorParameters<typeof AgentClient>[1] = {}) {
  const sockets: ScriptedSocket[] = [];
  const client = new AgentClient('ws://agent.test/v1', {
    reconnect: false,
    ...options,
    createSocket: () => {
      const socket = new ScriptedSocket();
      sockets.push(socket);
      return socket;
    },
  });
  const states: ConnectionState[] = [];
  client.addEventListener('statechange', (e) => states.push((e as ConnectionStateEvent).state));
  return { client, sockets, states };
}

/** Lets the client's awaits run (connect() → request() → send) without letting any time pass. */
const settleMicrotasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

const agentInfo = { agentVersion: '1.0.0', protocol: 1, providers: [], capabilities: [], algorithms: [] };
const isReason = (reason: string, message?: RegExp) => (e: unknown) =>
  e instanceof AgentError && e.reason === reason && (message === undefined || message.test(e.message));

describe('AgentClient life cycle', () => {
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });

  it('sends a JSON-RPC 2.0 request, with params only for methods that take them', async () => {
    const { client, sockets } = scripted();
    const info = client.request('agent.info', undefined);
    sockets[0]!.open();
    await settleMicrotasks();
    const sign = client.request('sign.data', { certId: 'c1', pin: '123456', data: 'AA==' });
    await settleMicrotasks();
    assert.deepEqual(sockets[0]!.sent, [
      { jsonrpc: '2.0', id: 1, method: 'agent.info' },
      { jsonrpc: '2.0', id: 2, method: 'sign.data', params: { certId: 'c1', pin: '123456', data: 'AA==' } },
    ]);
    sockets[0]!.deliver({ jsonrpc: '2.0', id: 1, result: agentInfo });
    assert.equal((await info).agentVersion, '1.0.0');
    client.close();
    await assert.rejects(sign, isReason('DISCONNECTED'));
  });

  it('refuses a request whose signal is already aborted, without opening a connection', async () => {
    const { client, sockets } = scripted();
    await assert.rejects(client.request('agent.info', undefined, { signal: AbortSignal.abort() }), isReason('CANCELLED', /cancel/));
    assert.equal(sockets.length, 0);
    client.close();
  });

  it('says CANCELLED when the signal aborts a request in flight, and TIMEOUT naming the method', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { client, sockets } = scripted({ requestTimeoutMs: 1000 });
    const controller = new AbortController();
    const cancelled = client.request('token.list', undefined, { signal: controller.signal });
    sockets[0]!.open();
    await settleMicrotasks();
    controller.abort();
    await assert.rejects(cancelled, isReason('CANCELLED', /cancel/));
    const slow = client.request('token.list', undefined);
    await settleMicrotasks();
    mock.timers.tick(1000);
    await assert.rejects(slow, isReason('TIMEOUT', /token\.list timed out/));
    client.close();
  });

  it('leaves no abort listener behind on a signal shared by many requests', async () => {
    const { client, sockets } = scripted();
    const controller = new AbortController();
    const first = client.request('agent.info', undefined, { signal: controller.signal });
    sockets[0]!.open();
    await settleMicrotasks();
    for (let i = 0; i < 3; i++) {
      const answered = client.request('agent.info', undefined, { signal: controller.signal });
      await settleMicrotasks();
      const { id } = sockets[0]!.sent.at(-1) as { id: number };
      sockets[0]!.deliver({ jsonrpc: '2.0', id, result: agentInfo });
      await answered;
    }
    // A page that keeps one signal for a component's life must not collect a listener per answered request.
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
    client.close();
    await assert.rejects(first, isReason('DISCONNECTED'));
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  });

  it('close() fails what is pending at once, closes the socket normally, and refuses later requests', async () => {
    const { client, sockets } = scripted();
    const pending = client.request('token.list', undefined);
    sockets[0]!.open();
    await settleMicrotasks();
    client.close();
    // The scripted socket never reports its close: only close() itself can settle the request.
    await assert.rejects(pending, isReason('DISCONNECTED', /client closed/));
    assert.deepEqual(sockets[0]!.closedWith, { code: 1000, reason: 'client closed' });
    await assert.rejects(client.request('agent.info', undefined), isReason('DISCONNECTED', /client closed/));
    await assert.rejects(client.connect(), isReason('DISCONNECTED'));
    assert.equal(sockets.length, 1, 'a closed client opens no new connection');
    assert.equal(client.state, 'closed');
  });

  it('says DISCONNECTED when the socket closes between opening and sending', async () => {
    const { client, sockets } = scripted();
    const request = client.request('agent.info', undefined);
    sockets[0]!.open();
    sockets[0]!.drop(); // before request() resumes after its connect()
    await assert.rejects(request, isReason('DISCONNECTED', /not connected/));
    assert.deepEqual(sockets[0]!.sent, []);
    client.close();
  });

  it('says DISCONNECTED at once when the socket starts closing before the request goes out', async () => {
    const { client, sockets } = scripted();
    const request = client.request('agent.info', undefined);
    sockets[0]!.open();
    sockets[0]!.readyState = CLOSING; // the agent began its close handshake; the close event is still to come
    await assert.rejects(request, isReason('DISCONNECTED', /not connected/));
    assert.deepEqual(sockets[0]!.sent, [], 'nothing is sent on a closing socket, where it would be lost');
    client.close();
  });

  it('says DISCONNECTED, with the cause, when the socket cannot even be made', async () => {
    const failure = new SyntaxError('bad URL');
    const client = new AgentClient('ws://agent.test/v1', {
      reconnect: false,
      createSocket: () => {
        throw failure;
      },
    });
    await assert.rejects(client.connect(), (e: unknown) => isReason('DISCONNECTED', /cannot open/)(e) && (e as AgentError).cause === failure);
    assert.equal(client.state, 'idle');
    client.close();
  });

  it('gives up on a connection the agent never answers, and ignores it if it opens later', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    const { client, sockets, states } = scripted({ connectTimeoutMs: 500 });
    const connecting = client.connect();
    mock.timers.tick(500);
    await assert.rejects(connecting, isReason('DISCONNECTED', /did not answer/));
    assert.ok(sockets[0]!.closedWith, 'the hung socket is closed');
    sockets[0]!.open(); // too late: the client has given up on it
    assert.equal(client.state, 'idle');
    assert.deepEqual(states, ['connecting', 'idle']);
    client.close();
  });

  it('says the agent is not reachable when the socket closes before opening', async () => {
    const { client, sockets } = scripted();
    const connecting = client.connect();
    sockets[0]!.drop();
    await assert.rejects(connecting, isReason('DISCONNECTED', /not reachable/));
    client.close();
  });

  it('fails requests with DISCONNECTED when their connection drops', async () => {
    const { client, sockets } = scripted();
    const pending = client.request('token.list', undefined);
    sockets[0]!.open();
    await settleMicrotasks();
    sockets[0]!.drop();
    await assert.rejects(pending, isReason('DISCONNECTED', /connection closed/));
    client.close();
  });

  it('drops JSON that is not an object, and messages with an id are never notifications', async () => {
    const { client, sockets } = scripted();
    const seen: string[] = [];
    client.on('token.removed', (p) => seen.push(p.tokenId));
    const request = client.request('agent.info', undefined);
    sockets[0]!.open();
    await settleMicrotasks();
    for (const junk of [null, 5, 'text', true]) sockets[0]!.deliver(junk);
    sockets[0]!.onmessage?.({ data: 'not json' });
    sockets[0]!.deliver({ jsonrpc: '2.0', id: 7, method: 'token.removed', params: { tokenId: 'from-a-request' } });
    sockets[0]!.deliver({ jsonrpc: '2.0', method: 'token.removed', params: { tokenId: 'p11-1' } });
    sockets[0]!.deliver({ jsonrpc: '2.0', id: 1, result: agentInfo });
    assert.equal((await request).agentVersion, '1.0.0');
    assert.deepEqual(seen, ['p11-1']);
    client.close();
  });

  it('delivers a notification to every listener of it', async () => {
    const { client, sockets } = scripted();
    const seen: string[] = [];
    client.on('token.removed', (p) => seen.push(`a:${p.tokenId}`));
    client.on('token.removed', (p) => seen.push(`b:${p.tokenId}`));
    const connected = client.connect();
    sockets[0]!.open();
    await connected;
    sockets[0]!.deliver({ jsonrpc: '2.0', method: 'token.removed', params: { tokenId: 'p11-1' } });
    assert.deepEqual(seen, ['a:p11-1', 'b:p11-1']);
    client.close();
  });

  it('reconnects with jittered, doubling delays up to the maximum, reporting "reconnecting" once', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    // The jitter's top end: each delay is 1.25 times the nominal one.
    mock.method(Math, 'random', () => 1);
    const { client, sockets, states } = scripted({ reconnect: true, reconnectDelayMs: 100, maxReconnectDelayMs: 300 });
    const connected = client.connect();
    sockets[0]!.open();
    await connected;
    sockets[0]!.drop();
    // Nominal delays 100, 200, 300 (the maximum), 300; each attempt fails as soon as it starts.
    for (const delay of [125, 250, 375, 375]) {
      const before = sockets.length;
      mock.timers.tick(delay - 1);
      assert.equal(sockets.length, before, `no attempt before ${delay} ms`);
      mock.timers.tick(1);
      assert.equal(sockets.length, before + 1, `an attempt after ${delay} ms`);
      sockets.at(-1)!.drop();
      await settleMicrotasks();
    }
    assert.deepEqual(states, ['connecting', 'open', 'reconnecting']);
    // A success resets the schedule: the next drop waits the first delay again.
    mock.timers.tick(375);
    const reopened = sockets.at(-1)!;
    reopened.open();
    await settleMicrotasks();
    assert.deepEqual(states, ['connecting', 'open', 'reconnecting', 'open']);
    reopened.drop();
    const before = sockets.length;
    mock.timers.tick(124);
    assert.equal(sockets.length, before);
    mock.timers.tick(1);
    assert.equal(sockets.length, before + 1);
    client.close();
  });

  it('keeps each delay within a quarter of the nominal one, whatever the jitter', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    mock.method(Math, 'random', () => 0);
    const { client, sockets } = scripted({ reconnect: true, reconnectDelayMs: 100 });
    const connected = client.connect();
    sockets[0]!.open();
    await connected;
    sockets[0]!.drop();
    mock.timers.tick(74);
    assert.equal(sockets.length, 1);
    mock.timers.tick(1);
    assert.equal(sockets.length, 2);
    client.close();
  });

  it('stays closed when a statechange listener closes it as it starts connecting: no socket is made', async () => {
    for (const reconnect of [false, true]) {
      const { client, sockets, states } = scripted({ reconnect });
      client.addEventListener('statechange', (e) => {
        if ((e as ConnectionStateEvent).state === 'connecting') client.close();
      });
      await assert.rejects(client.connect(), (e: unknown) => e instanceof AgentError && e.reason === 'DISCONNECTED' && e.message === 'client closed');
      assert.deepEqual([sockets.length, client.state, states.at(-1)], [0, 'closed', 'closed']);
    }
  });

  it('a client closed on its own does not evict the shared client of its URL', () => {
    const url = 'ws://shared.test/v1';
    const shared = AgentClient.shared(url, { reconnect: false, createSocket: () => new ScriptedSocket() });
    const other = new AgentClient(url, { reconnect: false, createSocket: () => new ScriptedSocket() });
    other.close();
    assert.equal(AgentClient.shared(url), shared);
    shared.close();
    assert.notEqual(AgentClient.shared(url, { createSocket: () => new ScriptedSocket() }), shared);
    AgentClient.shared(url).close();
  });
});
