import { setMaxListeners } from 'node:events';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { ErrorCode, isLoopbackHost, normalizeOrigin, Reason, SUBPROTOCOL, WS_PATH, type NotificationMap, type NotificationName } from '@sicert/protocol';
import type { AgentConfig } from './config.js';
import { OriginCounter, RateLimiter } from './connection-limits.js';
import { idOf, internalFailure, isNotification, parseOrUndefined, rpcFailure, type Dispatcher } from './dispatch.js';
import { httpRoutes } from './http-routes.js';
import type { Logger } from './log.js';
import type { OriginAllowlist } from './origins.js';
import type { NotificationListener } from './token-events.js';

/** How often idle connections are pinged; one missed pong closes the connection. */
const HEARTBEAT_MS = 30_000;

/** How long a refused client may keep the socket open after its answer was sent. */
const REFUSE_LINGER_MS = 2_000;

/**
 * Answers an upgrade with a plain HTTP error and closes the socket without cutting the answer short (ws's
 * abortHandshake, plus a lingering close): destroying at once discards a write still queued, and closing while the
 * client's bytes sit unread makes the kernel reset the connection, which drops the answer at the client too. So
 * the answer is ended, whatever the client still sends is read and discarded, and the socket is destroyed once the
 * client closes its side, or after {@link REFUSE_LINGER_MS}.
 */
function refuse(socket: Socket, status: number, text: string): void {
  const body = `${text}\n`;
  const linger = setTimeout(() => socket.destroy(), REFUSE_LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.once('end', () => socket.destroy());
  socket.resume();
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Where a connection subscribes to the agent's notifications (see `TokenEvents`). */
export interface NotificationSource {
  subscribe(listener: NotificationListener): () => void;
}

/** A running HTTP + WebSocket listener on 127.0.0.1. */
export interface AgentServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Serves `GET /v1/health` (plain node:http, see `httpRoutes`) and the `/v1` WebSocket on 127.0.0.1 only. Every
 * request must carry a loopback Host with our port (against DNS rebinding); a WebSocket upgrade must also come
 * from an allowed Origin and offer the `sicert.v1` subprotocol, or it is refused before any method can run. Every
 * open connection gets the `notifications` (token events) until it closes.
 */
export async function startServer(config: AgentConfig, origins: OriginAllowlist, dispatcher: Pick<Dispatcher, 'handle'>, logger: Logger, notifications?: NotificationSource): Promise<AgentServer> {
  let port = config.port;
  const server = createServer(httpRoutes(origins, (host) => isLoopbackHost(host, port)));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  let nextConnectionId = 1;
  const connections = new OriginCounter();
  // Each open page's origin, so that a `sicert-agent deny` (the allowlist replaced while running) ends its connections.
  const open = new Map<WebSocket, string>();
  const stopWatching = origins.onChange(() => {
    for (const [ws, page] of open) if (!origins.allows(page)) ws.close(1008, Reason.ORIGIN_DENIED);
  });
  function upgrade(sockets: Promise<WebSocketServer>, req: IncomingMessage, socket: Socket, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    const origin = req.headers.origin;
    if (!isLoopbackHost(req.headers.host, port)) { refuse(socket, 403, 'Forbidden: wrong Host'); return; }
    if (path !== WS_PATH) { refuse(socket, 404, 'Not found'); return; }
    if (!origins.allows(origin)) {
      logger.warn('refused a connection from an origin that is not allowed', { origin: (origin ?? '(none)').slice(0, 200) });
      refuse(socket, 403, `Forbidden: ${Reason.ORIGIN_DENIED}`); return;
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SUBPROTOCOL)) { refuse(socket, 403, `Forbidden: subprotocol ${SUBPROTOCOL} required`); return; }
    // allows() accepted it, so it normalises; one origin's connections are counted together however spelled.
    const page = normalizeOrigin(origin)!;
    sockets.then(
      (wss) => {
        // Checked, counted and upgraded in one go, so parallel upgrades cannot all slip under the caps.
        if (socket.destroyed) return;
        if (wss.clients.size >= config.maxConnections) { refuse(socket, 503, 'Too many connections'); return; }
        if (connections.count(page) >= config.maxConnectionsPerOrigin) {
          logger.warn('refused a connection: too many from this origin', { origin: page.slice(0, 200) });
          refuse(socket, 503, 'Too many connections from this origin'); return;
        }
        // Counted from the upgrade on, not from the open: an upgrade in progress holds its place.
        connections.add(page);
        socket.once('close', () => connections.remove(page));
        wss.handleUpgrade(req, socket, head, (ws) => serve(ws, page));
      },
      (error: unknown) => {
        logger.error('cannot serve WebSockets', { error: error instanceof Error ? error.message : String(error) });
        refuse(socket, 503, 'Service unavailable');
      },
    );
  }

  function serve(ws: WebSocket, origin: string): void {
    const closed = new AbortController();
    // Each request waiting in a token's queue listens for the close: up to maxInFlight at once, by design.
    setMaxListeners(config.maxInFlight + 1, closed.signal);
    const send = (value: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(value));
    };
    const notify = <N extends NotificationName>(method: N, params: NotificationMap[N]) => send({ jsonrpc: '2.0', method, params });
    open.set(ws, origin);
    const context = { connectionId: nextConnectionId++, origin, signal: closed.signal, notify };
    const about = { connectionId: context.connectionId, origin };
    const limiter = new RateLimiter(config.ratePerSecond);
    let inFlight = 0;
    let alive = true;
    logger.debug('connection opened', about);
    ws.on('pong', () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) ws.terminate();
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();
    // Only connections that passed the origin check exist, so every listener here is an allowed page's.
    const unsubscribe = notifications?.subscribe(({ method, params }) => send({ jsonrpc: '2.0', method, params }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        send(rpcFailure(null, ErrorCode.INVALID_REQUEST, 'Invalid request: text frames only', Reason.INVALID_REQUEST));
        return;
      }
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      if (inFlight >= config.maxInFlight || !limiter.take()) {
        const message = parseOrUndefined(text);
        // A notification is never answered, not even to say the agent is busy.
        if (!isNotification(message)) send(rpcFailure(idOf(message), ErrorCode.APPLICATION, 'Busy: too many requests', Reason.BUSY));
        return;
      }
      inFlight++;
      dispatcher
        .handle(text, context)
        .then((response) => response && send(response))
        .catch((error: unknown) => {
          // The dispatcher answers every failure itself; this is the last guard, so a request is never left unanswered.
          logger.error('dispatch failed', { ...about, error: error instanceof Error ? error.message : String(error) });
          const message = parseOrUndefined(text);
          if (!isNotification(message)) send(internalFailure(idOf(message)));
        })
        .finally(() => inFlight--);
    });
    ws.on('error', (error) => logger.debug('connection error', { ...about, error: error.message }));
    ws.on('close', () => {
      clearInterval(heartbeat);
      open.delete(ws);
      unsubscribe?.();
      // Nobody is left to answer: work this connection still has waiting for a token never starts.
      closed.abort();
      logger.debug('connection closed', about);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  // ws is loaded only now: a health check never needs it, so the agent answers one sooner; a first upgrade waits.
  const sockets = import('ws').then(
    ({ WebSocketServer }) =>
      new WebSocketServer({
        noServer: true,
        maxPayload: config.maxMessageBytes,
        clientTracking: true,
        handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
      }),
  );
  sockets.catch(() => undefined);
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => upgrade(sockets, req, socket, head));

  return {
    port,
    server,
    close: async () => {
      stopWatching();
      const wss = await sockets.catch(() => undefined);
      for (const client of wss?.clients ?? []) client.terminate();
      wss?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
