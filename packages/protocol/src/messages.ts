import { isReason, type Reason } from './reasons.js';
import { custom, int, object, optional, type Infer } from './schema.js';

// Message shapes are inferred from their schemas: tokens.ts (tokens, certificates), methods.ts (params and results),
// notifications.ts. This file keeps the transport constants and the JSON-RPC envelope.

/** Major protocol version; also carried by the WebSocket subprotocol. */
export const PROTOCOL_VERSION = 1;
/** WebSocket subprotocol that every v1 connection negotiates. */
export const SUBPROTOCOL = 'sicert.v1';
/** Path of the WebSocket endpoint on the agent. */
export const WS_PATH = '/v1';
/** Path of the health endpoint on the agent. */
export const HEALTH_PATH = '/v1/health';
/** Port the agent listens on unless configured otherwise. */
export const DEFAULT_PORT = 21_260;

/** Binary values travel as standard base64 strings. */
export type Base64 = string;

export type RpcId = number | string;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RpcId;
  method: string;
  params?: unknown;
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}

/** `error.data` of a failure: the stable reason, and the PIN details that go with some reasons. */
export const rpcErrorDataSchema = object({
  reason: custom<Reason>((v, p) => (isReason(v) ? undefined : `${p} must be a reason of protocol v1`)),
  /** PIN tries left, with `PIN_INCORRECT` when the token tells. */
  retriesLeft: optional(int),
  /** Milliseconds until the next PIN try reaches the token, with `PIN_THROTTLED`. */
  retryAfterMs: optional(int),
});
/** `error.data` of a failure: the stable reason, and the PIN details that go with some reasons. */
export type RpcErrorData = Infer<typeof rpcErrorDataSchema>;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: RpcErrorData;
}

export interface RpcSuccess {
  jsonrpc: '2.0';
  id: RpcId;
  result: unknown;
}

export interface RpcFailure {
  jsonrpc: '2.0';
  id: RpcId | null;
  error: RpcErrorObject;
}

export type RpcResponse = RpcSuccess | RpcFailure;

/** What `GET /v1/health` answers. */
export interface HealthResponse {
  name: 'sicert-agent';
  agentVersion: string;
  protocol: number;
  status: 'ok';
}
