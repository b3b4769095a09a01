import { SUBPROTOCOL, type WebSocketLike } from '@sicert/protocol';
import type { MockAgentCore, Outgoing } from '../core/mock-agent.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/**
 * A WebSocket look-alike connected to a {@link MockAgentCore} in the same page. Every event arrives in a later
 * task, as a network's would, so a page sees the same ordering as against a real agent.
 */
export class MockSocket implements WebSocketLike {
  readyState = CONNECTING;
  protocol = '';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private disconnect: (() => void) | undefined;

  /** `core` is undefined when the connection is refused (nothing listens, or the origin is not allowed). */
  constructor(
    core: Promise<MockAgentCore | undefined>,
    private readonly sockets: Set<MockSocket>,
  ) {
    void core.then((agent) => setTimeout(() => this.open(agent)));
  }

  private open(agent: MockAgentCore | undefined): void {
    if (this.readyState !== CONNECTING) return;
    if (!agent) {
      this.drop(1006);
      return;
    }
    this.readyState = OPEN;
    this.protocol = SUBPROTOCOL;
    this.sockets.add(this);
    const deliver = (message: Outgoing) => {
      const data = JSON.stringify(message);
      setTimeout(() => {
        if (this.readyState === OPEN) this.onmessage?.({ data });
      });
    };
    this.disconnect = agent.connect(deliver);
    this.send = (data: string) => {
      if (this.readyState !== OPEN) return;
      void agent.handle(data, deliver).then((response) => response && deliver(response));
    };
    this.onopen?.({});
  }

  send(_data: string): void {
    throw new DOMException('the mock connection is not open yet', 'InvalidStateError');
  }

  close(code = 1000, reason = ''): void {
    this.drop(code, reason);
  }

  /** Ends the connection from the agent's side (the agent stopped) or the page's. */
  drop(code: number, reason = ''): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.sockets.delete(this);
    this.disconnect?.();
    setTimeout(() => this.onclose?.({ code, reason }));
  }
}
