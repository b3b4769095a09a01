import { normalizeOrigin } from '@sicert/protocol';
import { isPublicSuffix, MAX_HOSTNAME_LENGTH } from './public-suffixes.js';

/** Why an allowlist entry cannot be used, as the agent loads it: a stable code and what to write instead. */
export interface EntryProblem {
  code: 'NOT_AN_ORIGIN' | 'WILDCARD' | 'TOO_LONG';
  zh: string;
  en: string;
}

/** Thrown by {@link OriginAllowlist} for an entry it cannot use; the message names the entry, zh-CN then English. */
export class OriginListError extends Error {
  constructor(
    readonly entry: string,
    readonly problem: EntryProblem,
  ) {
    super(`${problem.zh} / ${problem.en} (${problem.code})`);
  }
}

const WILDCARD = /^(https?):\/\/\*\.([^/:]+)(?::(\d+))?\/?$/i;

/** Why `entry` is not a usable allowlist entry, or undefined when it is. */
export function entryProblem(entry: string): EntryProblem | undefined {
  const shown = entry.length > 80 ? `${entry.slice(0, 80)}…` : entry;
  const wildcard = WILDCARD.exec(entry.trim());
  const host = wildcard ? `x.${wildcard[2]!}` : normalizeOrigin(entry) === undefined ? undefined : new URL(entry.trim()).hostname;
  if (host === undefined) {
    return { code: 'NOT_AN_ORIGIN', zh: `“${shown}”不是网页来源，应写成 https://主机[:端口]（不带路径）`, en: `“${shown}” is not an origin; write it as https://host[:port] (no path)` };
  }
  if (host.length > MAX_HOSTNAME_LENGTH) {
    return { code: 'TOO_LONG', zh: `“${shown}”的主机名超过 ${MAX_HOSTNAME_LENGTH} 个字符，不是有效的网站`, en: `“${shown}” has a host name longer than ${MAX_HOSTNAME_LENGTH} characters, so it is no real site` };
  }
  if (wildcard && isPublicSuffix(wildcard[2]!)) {
    return {
      code: 'WILDCARD',
      zh: `“${shown}”会允许 .${wildcard[2]!} 下的所有网站；通配符须位于可注册的域名之前，例如 https://*.example.gov.cn`,
      en: `“${shown}” would allow every site under .${wildcard[2]!}; a wildcard needs a registrable domain, e.g. https://*.example.gov.cn`,
    };
  }
  return undefined;
}

/**
 * The origin allowlist. Entries are exact origins (`https://rsj.example.gov.cn`) or one leading wildcard label
 * (`https://*.example.gov.cn`, which does not match `https://example.gov.cn` itself). Scheme and port must match.
 * A wildcard over a single label or a public suffix (`https://*.com`, `https://*.gov.cn`) and a host name over 253
 * characters are refused with an {@link OriginListError}, wherever the list comes from.
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
      const problem = entryProblem(entry);
      if (problem) throw new OriginListError(entry, problem);
      const wildcard = WILDCARD.exec(entry.trim());
      if (wildcard) {
        this.wildcards.push({ scheme: wildcard[1]!.toLowerCase(), suffix: `.${wildcard[2]!.toLowerCase()}`, port: wildcard[3] ?? '' });
        continue;
      }
      this.exact.add(normalizeOrigin(entry)!);
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
