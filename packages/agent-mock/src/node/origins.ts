/**
 * The page checks of the real agent (the mock never depends on `@sicert/agent`; both take the checks from
 * `@sicert/protocol`): a request must name this agent in its Host (loopback, our port: against DNS rebinding), and a
 * page must come from an allowed origin, compared as `scheme://host[:port]` in lower case.
 */
import { normalizeOrigin } from '@sicert/protocol';

export { isLoopbackHost } from '@sicert/protocol';

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
