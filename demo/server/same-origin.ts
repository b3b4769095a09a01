import type { NextFunction, Request, Response } from 'express';
import { sendError } from './api-errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses every state-changing request (POST, PUT, PATCH, DELETE) that does not come from the portal's own pages:
 * a browser marks a cross-site request with `Sec-Fetch-Site` and names the page's origin in `Origin`, which a
 * page cannot forge. Without this, a page on any site could make a signed-in citizen's or a staff member's browser
 * post to the portal (CSRF): approve an application, submit one, sign in as someone else.
 *
 * `Origin` must be present and one of `origins` (the portal's own, e.g. `http://127.0.0.1:5180`): comparing with
 * the request's own Host header instead would let a DNS-rebinding page pass as same-origin. Non-browser
 * clients (tests, scripts) send the portal's origin explicitly. A real portal adds this beside its CSRF token.
 * Safe methods pass; they must never change state (the review console's "start review" is a POST for that reason).
 */
export function requireSameOrigin(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const site = req.header('Sec-Fetch-Site');
    const origin = req.header('Origin');
    if ((site !== undefined && site !== 'same-origin') || origin === undefined || !allowed.has(origin)) {
      return void sendError(res, 403, 'CROSS_SITE');
    }
    next();
  };
}

/** The loopback names a client may use for the portal, as they appear in a Host header. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Refuses every request whose `Host` is not the portal's own (`421 WRONG_HOST`): a DNS-rebinding page
 * (`evil.example` resolved to 127.0.0.1) is same-origin with itself and sends its own name as Host, so without
 * this it could read the unauthenticated review console. A real portal behind a reverse proxy checks the same.
 *
 * Accepted: the hosts of `origins`, and a loopback name (127.0.0.1, localhost, [::1]) with the portal's port or
 * with no port at all. OpenSSL 3 fetches a CRL (`openssl verify -crl_download`) with `Host: 127.0.0.1`, leaving out
 * the port the URL names. That admits no rebinding page: a page cannot set Host, and a browser sends the page's
 * own name in it (with the port whenever it is not the scheme's default), so a loopback name comes only from a
 * program on this computer or a page the portal itself serves. Any other name is refused, with or without a port.
 */
export function requireOwnHost(origins: readonly string[]) {
  const hosts = new Set(origins.map((o) => new URL(o).host));
  for (const port of new Set(origins.map((o) => new URL(o).port))) {
    for (const name of LOOPBACK_NAMES) hosts.add(port ? `${name}:${port}` : name);
  }
  for (const name of LOOPBACK_NAMES) hosts.add(name);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return void sendError(res, 421, 'WRONG_HOST');
    next();
  };
}

/** A state-changing request without a JSON body reads as an empty one, so handlers answer 4xx rather than throw. */
export function emptyBody(req: Request, _res: Response, next: NextFunction): void {
  (req as { body?: unknown }).body ??= {};
  next();
}
