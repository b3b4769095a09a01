// Connects to an agent from Node the way a page would: with an Origin header and the sicert.v1 subprotocol.
import WebSocket from 'ws';
import { AgentClient, type WebSocketLike } from '@sicert/protocol';

export const TEST_ORIGIN = 'http://portal.test:8080';

export function nodeSocket(origin: string = TEST_ORIGIN) {
  return (url: string, protocol: string): WebSocketLike => new WebSocket(url, protocol, { origin }) as unknown as WebSocketLike;
}

export function connect(url: string, origin: string = TEST_ORIGIN): AgentClient {
  return new AgentClient(url, { createSocket: nodeSocket(origin), reconnect: false, requestTimeoutMs: 30_000 });
}

/** Sends raw text and resolves with the first answer, notifications skipped (for malformed-input tests). */
export function rawExchange(url: string, text: string | Buffer, origin: string = TEST_ORIGIN): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'sicert.v1', { origin });
    ws.on('open', () => ws.send(text));
    ws.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as unknown;
      // A notification (token.changed after a lock, say) can come first: only an answer carries an id.
      if (typeof message === 'object' && message !== null && 'method' in message && !('id' in message)) return;
      resolve(message);
      ws.close();
    });
    ws.on('error', reject);
  });
}

/** Tries an upgrade and resolves with the HTTP status the agent refused it with (or 101). */
export function upgradeStatus(url: string, options: { origin?: string; host?: string; protocol?: string }): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (options.host) headers.host = options.host;
    const ws = new WebSocket(url, options.protocol ?? 'sicert.v1', { ...(options.origin ? { origin: options.origin } : {}), headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => resolve(0));
  });
}
