import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HEALTH_PATH, PROTOCOL_VERSION, type HealthResponse } from '@sicert/protocol';
import type { OriginAllowlist } from './origins.js';
import { AGENT_VERSION } from './version.js';

/** Never changes while the agent runs, so it is encoded once. */
const HEALTH_BODY = Buffer.from(JSON.stringify({ name: 'sicert-agent', agentVersion: AGENT_VERSION, protocol: PROTOCOL_VERSION, status: 'ok' } satisfies HealthResponse));
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const HEALTH_WITH_SLASH = `${HEALTH_PATH}/`;

/**
 * The path of a request target: origin-form (`/v1/health?x`) or absolute-form (`http://host/v1/health`), without
 * its query or fragment. Nothing is decoded or normalised (`/v1/%68ealth`, `//v1/health` and `/v1/../v1/health`
 * are other paths), as express routed them.
 */
export function requestPath(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const authority = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(path);
    if (authority) path = path.slice(authority[0].length) || '/';
  }
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}

/** True for the health path as express matched it: any letter case, one optional trailing slash. */
function isHealthPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === HEALTH_PATH || lower === HEALTH_WITH_SLASH;
}

/** Ends `res` with `body`; node leaves the body out of an answer to HEAD but keeps its Content-Length. */
function send(res: ServerResponse, status: number, type: string, body: Buffer | string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * The agent's plain HTTP: `GET`/`HEAD /v1/health` and its CORS preflight (`OPTIONS`, with Private Network
 * Access), 404 for everything else, and 403 for any request whose Host is not this agent (DNS rebinding). Only an
 * allowed page's origin is echoed in `Access-Control-Allow-Origin`; a preflight from any other origin is refused.
 * The answers are the bytes express gave (same status lines, headers in the same order, same bodies), without
 * `X-Powered-By` and without an ETag; unlike express, a health check never answers 304 (`If-None-Match: *`):
 * it has no representation to validate and is never cached (`Cache-Control: no-store`).
 * `isOurHost` is asked per request, since the port is known only once the server listens.
 */
export function httpRoutes(origins: OriginAllowlist, isOurHost: (host: string | undefined) => boolean): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!isOurHost(req.headers.host)) {
      send(res, 403, TEXT, 'Forbidden: wrong Host\n');
      return;
    }
    const origin = req.headers.origin;
    const allowed = origins.allows(origin);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin!);
      res.setHeader('Vary', 'Origin');
      if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    const health = isHealthPath(requestPath(req.url ?? ''));
    if (health && req.method === 'OPTIONS') {
      if (!allowed) {
        res.statusCode = 403;
        res.end();
        return;
      }
      res.setHeader('Access-Control-Allow-Methods', 'GET');
      res.setHeader('Access-Control-Max-Age', '600');
      res.statusCode = 204;
      res.end();
      return;
    }
    if (health && (req.method === 'GET' || req.method === 'HEAD')) {
      res.setHeader('Cache-Control', 'no-store');
      send(res, 200, JSON_TYPE, HEALTH_BODY);
      return;
    }
    send(res, 404, TEXT, 'Not found\n');
  };
}
