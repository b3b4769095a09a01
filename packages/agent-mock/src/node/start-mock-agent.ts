import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { HEALTH_PATH, SUBPROTOCOL, WS_PATH } from '@sicert/protocol';
import { MockAgentCore, type MockCoreOptions, type Outgoing } from '../core/mock-agent.js';
import { isUnreachable, type MockScenario } from '../core/scenarios.js';
import { isLoopbackHost, originAllowlist } from './origins.js';

/** Options of {@link startMockAgent}. */
export interface MockAgentOptions extends MockCoreOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Page origins allowed to connect (`http://127.0.0.1:8080`); default none, so list your test page's. */
  origins?: string[];
}

/** A running mock agent. */
export interface MockAgent {
  /** The WebSocket URL to give the elements (`agent-url`) or an `AgentClient`: `ws://127.0.0.1:<port>/v1`. */
  readonly url: string;
  readonly port: number;
  /** The PIN of the mock USB-Key. */
  readonly pin: string;
  /** The test CA's certificate, DER: the trust anchor for verifying what the mock signs. Test-only. */
  readonly caCertificate: Uint8Array;
  /** The current scenario. */
  readonly scenario: MockScenario;
  /** Switches scenario at run time; connected pages get the notifications the real agent would send. */
  setScenario(scenario: MockScenario): Promise<void>;
  /** Plugs the USB-Key in (`token.added`). */
  plug(): void;
  /** Pulls the USB-Key out (`token.removed`). */
  unplug(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

function refuse(socket: Socket, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/**
 * Starts a mock sicert agent on 127.0.0.1: `GET /v1/health` and the `/v1` WebSocket of protocol v1, with the
 * real agent's Host and Origin checks, signing for real with a test-only key and CA made in memory. In the
 * `not-running` and `permission-denied` scenarios it stops listening (on the same port) until switched back.
 */
export async function startMockAgent(options: MockAgentOptions = {}): Promise<MockAgent> {
  const core = await MockAgentCore.create(options);
  const allows = originAllowlist(options.origins ?? []);
  let port = options.port ?? 0;
  const pageAllowed = (origin: string | undefined) => core.scenario !== 'not-allowed' && allows(origin);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!isLoopbackHost(req.headers.host, port)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: wrong Host\n');
    const origin = req.headers.origin;
    if (pageAllowed(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin!);
      res.setHeader('Vary', 'Origin');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    const path = (req.url ?? '').split('?')[0]!.toLowerCase();
    if (path !== HEALTH_PATH) return void res.writeHead(404).end();
    if (req.method === 'OPTIONS') return void res.writeHead(pageAllowed(origin) ? 204 : 403, { 'access-control-allow-methods': 'GET' }).end();
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(core.health()));
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(SUBPROTOCOL) ? SUBPROTOCOL : false) });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isLoopbackHost(req.headers.host, port)) return refuse(socket, 403, 'Forbidden: wrong Host\n');
    if ((req.url ?? '').split('?')[0] !== WS_PATH) return refuse(socket, 404, 'Not found\n');
    if (!pageAllowed(req.headers.origin)) return refuse(socket, 403, 'Forbidden: ORIGIN_DENIED\n');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SUBPROTOCOL)) return refuse(socket, 403, `Forbidden: subprotocol ${SUBPROTOCOL} required\n`);
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws));
  });

  function serve(ws: WebSocket): void {
    const send = (message: Outgoing) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const disconnect = core.connect(send);
    ws.on('close', disconnect);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      void core.handle(text, send).then((response) => response && send(response));
    });
  }

  const listening = { now: false };
  async function listen(): Promise<void> {
    if (listening.now) return;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    port = (server.address() as AddressInfo).port;
    listening.now = true;
  }
  async function stopListening(): Promise<void> {
    if (!listening.now) return;
    listening.now = false;
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  await listen();
  if (isUnreachable(core.scenario)) await stopListening();
  return {
    url: `ws://127.0.0.1:${port}${WS_PATH}`,
    port,
    pin: core.pin,
    caCertificate: core.ca.caCertificate,
    get scenario() {
      return core.scenario;
    },
    async setScenario(scenario) {
      await core.setScenario(scenario);
      if (isUnreachable(scenario)) await stopListening();
      else await listen();
      // As the real agent after `sicert-agent deny`: the pages it no longer allows lose their connections (1008).
      if (scenario === 'not-allowed') for (const client of wss.clients) client.close(1008, 'ORIGIN_DENIED');
    },
    plug: () => core.plug(),
    unplug: () => core.unplug(),
    close: stopListening,
  };
}
