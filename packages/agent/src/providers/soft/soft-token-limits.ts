/**
 * How long a software token may stay empty (no key, no certificate) before the agent removes it: 10 minutes. The
 * wizard makes a token and generates its key at once, so a token in use is empty for well under a second; one that
 * stays empty was left behind (the key generation failed, the page closed) and would otherwise be listed forever,
 * since no method can remove a token that holds nothing to delete.
 */
export const SOFT_TOKEN_EMPTY_GRACE_MS = 10 * 60_000;

/**
 * The most software tokens the agent keeps on one computer: 32. A household or a shared counter computer has far
 * fewer holders; the limit stops a page (a buggy wizard in a loop, or an allowed origin gone bad) from filling the
 * disk, the token list and the CPU (one scrypt per token) with tokens. Beyond it `token.create` is `TOKEN_LIMIT`.
 */
export const SOFT_TOKEN_LIMIT = 32;

/** Settings of the software-token provider; the defaults are the rules above. */
export interface SoftTokenProviderOptions {
  /** Age (milliseconds since creation) from which an empty token is removed; {@link SOFT_TOKEN_EMPTY_GRACE_MS}. */
  emptyTokenGraceMs?: number;
  /** Most tokens kept; {@link SOFT_TOKEN_LIMIT}. */
  maxTokens?: number;
  /** The clock, milliseconds since the epoch (tests pass their own so they need not wait 10 minutes). */
  now?: () => number;
}
