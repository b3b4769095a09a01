import { checkNotification, type NotificationMap, type NotificationName } from '@sicert/protocol';
import type { Logger } from './log.js';
import type { Provider } from './providers/provider.js';
import type { TokenChange } from './providers/token-changes.js';

/** The notifications every connection gets: the tokens' events. */
type TokenEventName = Exclude<NotificationName, 'sign.progress'>;

/** A notification as the agent pushes it: `token.added`, `token.removed` or `token.changed` with its params. */
export type AgentNotification = { [N in TokenEventName]: { method: N; params: NotificationMap[N] } }[TokenEventName];

/** Receives the agent's notifications (one per open connection). */
export type NotificationListener = (notification: AgentNotification) => void;

function toNotification(change: TokenChange): AgentNotification {
  switch (change.kind) {
    case 'added':
      return { method: 'token.added', params: { token: change.token } };
    case 'removed':
      return { method: 'token.removed', params: { tokenId: change.tokenId } };
    case 'changed':
      return { method: 'token.changed', params: { token: change.token } };
  }
}

/**
 * Fans the providers' token changes out to the open connections as protocol notifications. It listens to the
 * providers only while at least one connection listens, so a PKCS#11 provider polls its slots only while a page
 * is connected, and stops when the last one closes.
 */
export class TokenEvents {
  private readonly listeners = new Set<NotificationListener>();
  private stops: (() => void)[] = [];

  constructor(
    private readonly providers: readonly Provider[],
    private readonly logger: Logger,
  ) {}

  /** Connections listening now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Adds a connection's listener; returns the function that removes it (call it when the connection closes). */
  subscribe(listener: NotificationListener): () => void {
    // A wrapper per call: each subscription is removed on its own, even with the same function.
    const entry: NotificationListener = (notification) => listener(notification);
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.stops = this.providers.map((p) => p.onChange((change) => this.publish(change)));
    return () => {
      if (!this.listeners.delete(entry)) return;
      if (this.listeners.size === 0) this.stopListening();
    };
  }

  /** Forgets every listener and stops listening to the providers (the agent is closing). */
  close(): void {
    this.listeners.clear();
    this.stopListening();
  }

  private stopListening(): void {
    const stops = this.stops;
    this.stops = [];
    for (const stop of stops) stop();
  }

  private publish(change: TokenChange): void {
    const notification = toNotification(change);
    // Checked as the page's client will check it: a malformed one would be dropped there, silently.
    const problem = checkNotification(notification.method, notification.params);
    if (problem) {
      this.logger.error('dropped a malformed notification', { method: notification.method, problem });
      return;
    }
    this.logger.debug('token event', { method: notification.method, tokenId: 'token' in notification.params ? notification.params.token.id : notification.params.tokenId });
    for (const listener of [...this.listeners]) {
      try {
        listener(notification);
      } catch (error) {
        this.logger.warn('could not notify a connection', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
