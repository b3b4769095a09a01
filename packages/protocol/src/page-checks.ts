/**
 * The two checks an agent makes of every page request, shared by the agent and `@sicert/agent-mock` so that the mock
 * refuses exactly what the agent refuses.
 */

/**
 * True when `host` (the Host header) names the agent: the loopback address or `localhost`, with the agent's port.
 * Any other name is refused, so a page on a domain rebound to 127.0.0.1 (DNS rebinding) cannot reach the agent.
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/i.exec(host.trim());
  return match !== null && Number(match[2]) === port;
}

/**
 * `scheme://host[:port]` in lower case with a default port dropped, or undefined when `origin` is not an http(s)
 * origin (`null`, a path, a query, credentials, a `file:` URL).
 */
export function normalizeOrigin(origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  try {
    const url = new URL(origin.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1 || url.search || url.hash || url.username) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
