/**
 * The origin allowlist. Entries are exact origins (`https://rsj.example.gov.cn`) or one leading wildcard label
 * (`https://*.example.gov.cn`, which does not match `https://example.gov.cn` itself). Scheme and port must match.
 */
export class OriginAllowlist {
  private exact = new Set<string>();
  private wildcards: { scheme: string; suffix: string; port: string }[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(entries: readonly string[]) {
    this.load(entries);
  }

  /**
   * Replaces every entry at once (a running agent whose config file changed). Throws, keeping the old entries,
   * when one is malformed; then tells the listeners, so the server can close connections no longer allowed.
   */
  replace(entries: readonly string[]): void {
    const next = new OriginAllowlist(entries);
    this.exact = next.exact;
    this.wildcards = next.wildcards;
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after each {@link replace}; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private load(entries: readonly string[]): void {
    for (const entry of entries) {
      const wildcard = /^(https?):\/\/\*\.([^/:]+)(?::(\d+))?\/?$/i.exec(entry.trim());
      if (wildcard) {
        this.wildcards.push({ scheme: wildcard[1]!.toLowerCase(), suffix: `.${wildcard[2]!.toLowerCase()}`, port: wildcard[3] ?? '' });
        continue;
      }
      const normalized = normalizeOrigin(entry);
      if (!normalized) throw new Error(`not an origin: ${entry}`);
      this.exact.add(normalized);
    }
  }

  get size(): number {
    return this.exact.size + this.wildcards.length;
  }

  /** True when a request from `origin` (the header value) may use the agent. */
  allows(origin: string | undefined): boolean {
    if (!origin || origin === 'null') return false;
    const normalized = normalizeOrigin(origin);
    if (!normalized) return false;
    if (this.exact.has(normalized)) return true;
    const url = new URL(normalized);
    return this.wildcards.some((w) => `${w.scheme}:` === url.protocol && url.hostname.endsWith(w.suffix) && url.port === w.port);
  }
}

/** `scheme://host[:port]` in lower case with a default port dropped, or undefined when not an http(s) origin. */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.length > 1 || url.search || url.hash || url.username) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
