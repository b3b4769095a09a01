import type { AgentClient } from '@sicert/protocol';

/**
 * Follows the agent's token notifications (`token.added`, `token.removed`, `token.changed`) on one client, so
 * the card shows a USB-Key plugged in or out, a certificate installed or a password locked without a reload.
 * Following a new client (after the agent was checked again) stops listening to the old one.
 */
export class LiveTokens {
  #client: AgentClient | undefined;
  #stops: (() => void)[] = [];

  constructor(
    private readonly changed: () => void,
    private readonly removed: (tokenId: string) => void,
  ) {}

  follow(client: AgentClient): void {
    if (this.#client === client) return;
    this.stop();
    this.#client = client;
    this.#stops = [
      client.on('token.added', () => this.changed()),
      client.on('token.changed', () => this.changed()),
      client.on('token.removed', ({ tokenId }) => {
        this.removed(tokenId);
        this.changed();
      }),
    ];
  }

  stop(): void {
    for (const stop of this.#stops) stop();
    this.#stops = [];
    this.#client = undefined;
  }
}
