import type { Token } from '@sicert/protocol';

/** A change a provider announces: a token appeared, went away, or changed (its PIN state or its certificates). */
export type TokenChange = { kind: 'added'; token: Token } | { kind: 'removed'; tokenId: string } | { kind: 'changed'; token: Token };

/** Receives a provider's token changes. */
export type TokenChangeListener = (change: TokenChange) => void;

/** What happens when the first listener arrives and when the last one leaves (a PKCS#11 provider polls meanwhile). */
export interface ListeningHooks {
  first?: () => void;
  last?: () => void;
}

/**
 * The listeners of one provider's token changes, and the calls that announce them. A provider keeps one and
 * calls {@link added}, {@link removed} or {@link changed} wherever a token appears, goes away, or its PIN state or
 * certificates change; a listener that throws never stops the others or the provider.
 */
export class TokenChanges {
  private readonly listeners = new Set<TokenChangeListener>();

  constructor(private readonly hooks: ListeningHooks = {}) {}

  /** True while anyone listens: announcing is then worth its cost. */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Adds a listener; returns a function that removes it (calling it twice is harmless). */
  on(listener: TokenChangeListener): () => void {
    // A wrapper per call, so one function added twice is two listeners and each removal removes one.
    const entry: TokenChangeListener = (change) => listener(change);
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.hooks.first?.();
    return () => {
      if (!this.listeners.delete(entry)) return;
      if (this.listeners.size === 0) this.hooks.last?.();
    };
  }

  added(token: Token): void {
    this.emit({ kind: 'added', token });
  }

  removed(tokenId: string): void {
    this.emit({ kind: 'removed', tokenId });
  }

  changed(token: Token): void {
    this.emit({ kind: 'changed', token });
  }

  private emit(change: TokenChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own (a connection that just closed): the others still hear of the change.
      }
    }
  }
}
