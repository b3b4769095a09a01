/**
 * The page checks of the real agent, from the outside (the mock never depends on `@sicert/agent`): a request must
 * name this agent in its Host (loopback, our port: against DNS rebinding), and a page must come from an allowed
 * origin, compared as `scheme://host[:port]` in lower case.
 */

/** True when `host` (the Host header) is the loopback address or `localhost` with `port`. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/i.exec((host ?? '').trim());
  return match !== null && Number(match[2]) === port;
}

/** `scheme://host[:port]` of an http(s) origin, or undefined for anything else (`null`, a path, a file: URL). */
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

/** An exact-origin allowlist. */
export function originAllowlist(origins: readonly string[]): (origin: string | undefined) => boolean {
  const allowed = new Set(
    origins.map((entry) => {
      const normalized = normalizeOrigin(entry);
      if (!normalized) throw new TypeError(`startMockAgent: not an origin: ${entry}`);
      return normalized;
    }),
  );
  return (origin) => {
    const normalized = normalizeOrigin(origin);
    return normalized !== undefined && allowed.has(normalized);
  };
}
