import { AgentError } from './errors.js';
import { SUBPROTOCOL, type RpcId } from './messages.js';
import { resultChecks, type Method, type ParamsOf, type ResultOf } from './methods.js';
import { checkNotification, isNotificationName, type NotificationMap, type NotificationName } from './notifications.js';
import { Reason } from './reasons.js';
import { agentTransportFor } from './transport.js';
import { checkResponse } from './validate.js';

/** The part of the WebSocket API the client uses; the browser's WebSocket and the `ws` package both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Connection states a page can show. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Options of {@link AgentClient}. */
export interface AgentClientOptions {
  /**
   * Makes the socket; defaults to the {@link AgentTransport} installed for the URL, else the global `WebSocket`.
   * Node callers pass one from `ws` (and an Origin).
   */
  createSocket?: (url: string, protocol: string) => WebSocketLike;
  /** How long a request may take before it fails with `TIMEOUT`; default 60 s (a citizen may be typing). */
  requestTimeoutMs?: number;
  /** Reconnect automatically after the connection drops; default true. */
  reconnect?: boolean;
  /** First reconnection delay; doubles up to `maxReconnectDelayMs`. Default 500 ms. */
  reconnectDelayMs?: number;
  /** Longest reconnection delay; default 15 s. */
  maxReconnectDelayMs?: number;
  /**
   * How long opening the connection may take before it counts as failed (`DISCONNECTED`); default 10 s. A hung
   * agent accepts the TCP connection but never answers the upgrade, and nothing else would end the wait.
   */
  connectTimeoutMs?: number;
}

/** Options of one request. */
export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the agent's `sign.progress` for this request (`sign.batch`): `done` of `total` items finished. */
  onProgress?: (done: number, total: number) => void;
}

interface Pending {
  method: Method;
  /** The socket the request went out on: only its answers and its closing settle the request. */
  socket: WebSocketLike;
  resolve: (value: unknown) => void;
  reject: (error: AgentError) => void;
  timer: ReturnType<typeof setTimeout>;
  cleanup: () => void;
  onProgress: ((done: number, total: number) => void) | undefined;
}

const OPEN = 1;

/** Fired by {@link AgentClient} when its connection state changes. */
export class ConnectionStateEvent extends Event {
  constructor(
    readonly state: ConnectionState,
    /**
     * With `reconnecting`: the reason the agent gave when it closed the connection, if it gave one (`ORIGIN_DENIED`
     * when it no longer allows this page), so a page can tell that apart from an agent that stopped.
     */
    readonly closeReason?: string,
  ) {
    super('statechange');
  }
}

/**
 * Typed JSON-RPC client for the sicert agent. Every component on a page shares one connection per agent URL
 * through {@link AgentClient.shared}. Requests carry ids and time out; notifications reach listeners added with
 * {@link AgentClient.on}; a dropped connection is re-opened with exponential backoff.
 */
export class AgentClient extends EventTarget {
  private static readonly instances = new Map<string, AgentClient>();

  /** The client for `url`, made on first use and shared afterwards. */
  static shared(url: string, options?: AgentClientOptions): AgentClient {
    let client = AgentClient.instances.get(url);
    // close() removes a client from this map, so a client found here is never closed.
    if (!client) {
      client = new AgentClient(url, options);
      AgentClient.instances.set(url, client);
    }
    return client;
  }

  private socket: WebSocketLike | undefined;
  private connecting: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<RpcId, Pending>();
  private readonly listeners = new Map<string, Set<(params: never) => void>>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectDelay: number;
  private currentState: ConnectionState = 'idle';
  private readonly options: Required<Omit<AgentClientOptions, 'createSocket'>> & Pick<AgentClientOptions, 'createSocket'>;

  constructor(
    readonly url: string,
    options: AgentClientOptions = {},
  ) {
    super();
    this.options = {
      requestTimeoutMs: 60_000,
      reconnect: true,
      reconnectDelayMs: 500,
      maxReconnectDelayMs: 15_000,
      connectTimeoutMs: 10_000,
      ...options,
    };
    this.reconnectDelay = this.options.reconnectDelayMs;
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** Opens the connection if it is not open; resolves when open, rejects with `DISCONNECTED` if it fails. */
  connect(): Promise<void> {
    if (this.currentState === 'closed') return Promise.reject(new AgentError(Reason.DISCONNECTED, 'client closed'));
    if (this.socket?.readyState === OPEN) return Promise.resolve();
    this.connecting ??= this.openSocket().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** Sends a request and resolves with its validated result, or rejects with an {@link AgentError}. */
  async request<M extends Method>(method: M, params: ParamsOf<M>, options: RequestOptions = {}): Promise<ResultOf<M>> {
    if (options.signal?.aborted) throw new AgentError(Reason.CANCELLED, 'cancelled');
    await this.connect();
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) throw new AgentError(Reason.DISCONNECTED, 'not connected');
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => this.settle(id, new AgentError(Reason.CANCELLED, 'cancelled'));
      const timer = setTimeout(
        () => this.settle(id, new AgentError(Reason.TIMEOUT, `${method} timed out`)),
        options.timeoutMs ?? this.options.requestTimeoutMs,
      );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        socket,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
        onProgress: options.onProgress,
      });
      // JSON.stringify leaves out `params: undefined`, so a method without params sends none.
      socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Listens to an agent notification; returns a function that stops listening. */
  on<N extends NotificationName>(name: N, listener: (params: NotificationMap[N]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Closes the connection for good and fails what is pending with `DISCONNECTED`. */
  close(): void {
    clearTimeout(this.reconnectTimer);
    this.setState('closed');
    if (AgentClient.instances.get(this.url) === this) AgentClient.instances.delete(this.url);
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'client closed');
    this.failPending('client closed');
  }

  private openSocket(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.setState(this.currentState === 'reconnecting' ? 'reconnecting' : 'connecting');
    return new Promise<void>((resolve, reject) => {
      // A statechange listener may have closed the client just now: a closed client opens nothing.
      if (this.currentState === 'closed') {
        reject(new AgentError(Reason.DISCONNECTED, 'client closed'));
        return;
      }
      let socket: WebSocketLike;
      try {
        // An installed AgentTransport (a mock agent in the page) stands in for the network, unless the caller chose.
        const transport = this.options.createSocket ? undefined : agentTransportFor(this.url);
        socket = this.options.createSocket
          ? this.options.createSocket(this.url, SUBPROTOCOL)
          : transport
            ? transport.createSocket(this.url, SUBPROTOCOL)
            : (new WebSocket(this.url, SUBPROTOCOL) as unknown as WebSocketLike);
      } catch (cause) {
        this.scheduleReconnect();
        reject(new AgentError(Reason.DISCONNECTED, 'cannot open the agent connection', { cause }));
        return;
      }
      this.socket = socket;
      const giveUp = setTimeout(() => {
        reject(new AgentError(Reason.DISCONNECTED, 'the agent did not answer the connection'));
        socket.close();
        this.dropped(socket);
      }, this.options.connectTimeoutMs);
      (giveUp as { unref?: () => void }).unref?.();
      socket.onopen = () => {
        clearTimeout(giveUp);
        if (this.socket !== socket) return; // given up on, or replaced while it opened
        this.reconnectDelay = this.options.reconnectDelayMs;
        this.setState('open');
        resolve();
      };
      socket.onmessage = (event) => this.receive(socket, event.data);
      socket.onerror = () => undefined; // onclose follows and carries the outcome
      socket.onclose = (event) => {
        clearTimeout(giveUp);
        // Once open the promise is settled and this reject does nothing.
        reject(new AgentError(Reason.DISCONNECTED, 'the agent is not reachable'));
        this.dropped(socket, event.reason || undefined);
      };
    });
  }

  /**
   * A socket is gone: fail the requests sent on it, and reconnect if it was the current one. A socket replaced
   * while it was closing must not fail the requests of its successor or mark an open connection "reconnecting".
   */
  private dropped(socket: WebSocketLike, closeReason?: string): void {
    for (const [id, pending] of [...this.pending]) {
      if (pending.socket === socket) this.settle(id, new AgentError(Reason.DISCONNECTED, 'connection closed'));
    }
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.scheduleReconnect(closeReason);
  }

  private scheduleReconnect(closeReason?: string): void {
    if (!this.options.reconnect || this.currentState === 'closed') {
      if (this.currentState !== 'closed') this.setState('idle');
      return;
    }
    this.setState('reconnecting', closeReason);
    clearTimeout(this.reconnectTimer);
    const delay = this.reconnectDelay * (0.75 + Math.random() * 0.5);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.maxReconnectDelayMs);
    this.reconnectTimer = setTimeout(() => {
      this.connect().catch(() => undefined);
    }, delay);
    // A page or process that holds nothing else open must be free to exit.
    (this.reconnectTimer as { unref?: () => void }).unref?.();
  }

  private receive(socket: WebSocketLike, data: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // not ours to answer: the agent only sends JSON
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    if (!('id' in record) && typeof record.method === 'string') {
      // A listener gets only params of the shape it is typed for: an unknown or malformed notification is dropped.
      if (!isNotificationName(record.method) || checkNotification(record.method, record.params) !== undefined) return;
      if (record.method === 'sign.progress') this.progress(socket, record.params as NotificationMap['sign.progress']);
      for (const listener of this.listeners.get(record.method) ?? []) listener(record.params as never);
      return;
    }
    if (!checkResponse(message)) return;
    if (message.id === null) return;
    const pending = this.pending.get(message.id);
    // Already settled (timed out, cancelled, failed by a drop) or asked on another socket: not this answer's.
    if (pending?.socket !== socket) return;
    if ('error' in message) {
      this.settle(message.id, AgentError.fromRpc(message.error));
      return;
    }
    const problem = resultChecks[pending.method](message.result, 'result');
    if (problem) this.settle(message.id, new AgentError(Reason.INTERNAL, `malformed ${pending.method} result: ${problem}`));
    else this.settle(message.id, undefined, message.result);
  }

  /** Hands a progress report to the request it names, if that request is still waiting on this socket. */
  private progress(socket: WebSocketLike, { id, done, total }: NotificationMap['sign.progress']): void {
    const pending = this.pending.get(id);
    if (pending?.socket === socket) pending.onProgress?.(done, total);
  }

  private settle(id: RpcId, error: AgentError | undefined, result?: unknown): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.cleanup();
    if (error) pending.reject(error);
    else pending.resolve(result);
  }

  private failPending(why: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, new AgentError(Reason.DISCONNECTED, why));
  }

  private setState(state: ConnectionState, closeReason?: string): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.dispatchEvent(new ConnectionStateEvent(state, closeReason));
  }
}
