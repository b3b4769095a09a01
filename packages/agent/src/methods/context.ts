import type { Method, NotificationMap, NotificationName, ParamsOf, ResultOf, RpcId } from '@sicert/protocol';
import type { AuditLog } from '../audit.js';
import type { KeyedQueue } from '../keyed-queue.js';
import type { Logger } from '../log.js';
import type { PinThrottle } from '../pin-throttle.js';
import type { Provider } from '../providers/provider.js';

/** Who is calling: the WebSocket connection a request came in on. */
export interface CallContext {
  connectionId: number;
  origin: string;
  /** Aborted when the connection closes: work still waiting for its token is then dropped unstarted. */
  signal: AbortSignal;
  /** The id of the request being served; the dispatcher sets it. */
  requestId?: RpcId;
  /** Sends a notification on this connection only (`sign.progress`); the server sets it. */
  notify?: <N extends NotificationName>(method: N, params: NotificationMap[N]) => void;
}

/** What every method family needs from the agent. */
export interface MethodDeps {
  providers: readonly Provider[];
  audit: AuditLog;
  logger: Logger;
  /** Where key work waits for its token: one operation per token, origins in turn (see `onToken`). */
  tokenQueue: KeyedQueue;
  /** Wrong-PIN limit per token. */
  pinThrottle: PinThrottle;
}

/** A method's implementation; params have been validated against the protocol before it runs. */
export type Handler<M extends Method> = (params: ParamsOf<M>, context: CallContext) => Promise<ResultOf<M>>;

/** Implementations of some of the protocol's methods. */
export type Handlers = { [M in Method]?: Handler<M> };
