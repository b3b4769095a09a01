import { AgentError, ErrorCode, Reason, checkParams, checkRequest, isMethod, type Method, type RpcFailure, type RpcId, type RpcResponse } from '@sicert/protocol';
import type { Logger } from './log.js';
import type { CallContext, Handlers } from './methods/context.js';

/** A JSON-RPC error response carrying a reason (and, for PIN failures, the tries left or the wait). */
export function rpcFailure(id: RpcId | null, code: number, message: string, reason: Reason, extra: { retriesLeft?: number | undefined; retryAfterMs?: number | undefined } = {}): RpcFailure {
  const data = {
    reason,
    ...(extra.retriesLeft === undefined ? {} : { retriesLeft: extra.retriesLeft }),
    ...(extra.retryAfterMs === undefined ? {} : { retryAfterMs: extra.retryAfterMs }),
  };
  return { jsonrpc: '2.0', id, error: { code, message, data } };
}

/** The id of a request-like value, or null when it has no valid one. */
export function idOf(value: unknown): RpcId | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' || Number.isInteger(id) ? (id as RpcId) : null;
}

/** True for a JSON-RPC notification (an object with a method and no id): it never gets an answer. */
export function isNotification(message: unknown): boolean {
  return typeof message === 'object' && message !== null && !Array.isArray(message) && !('id' in message) && 'method' in message;
}

/** The parsed text of a message, or undefined when it is not JSON. Never throws. */
export function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The id of a message's text, or null when it is not JSON or has no valid id. Never throws. */
export function idOfText(text: string): RpcId | null {
  return idOf(parseOrUndefined(text));
}

/** The answer to a request whose handling failed in a way nothing else mapped: `INTERNAL`, no details. */
export function internalFailure(id: RpcId | null): RpcFailure {
  return rpcFailure(id, ErrorCode.INTERNAL_ERROR, 'Internal error: see the agent log', Reason.INTERNAL);
}

/**
 * JSON-RPC routing: parses, validates the envelope and the params against the protocol, runs the method, and
 * maps every failure to a structured error. Never echoes params (they may hold a PIN) and never returns a stack.
 */
export class Dispatcher {
  constructor(
    private readonly handlers: Handlers,
    private readonly logger: Logger,
  ) {}

  /**
   * Answers one text message; undefined for a client notification, which gets no answer. Never rejects: a
   * failure anywhere in routing or validation becomes `INTERNAL` with the request's id, so no page waits for
   * an answer that will not come.
   */
  async handle(text: string, context: CallContext): Promise<RpcResponse | undefined> {
    try {
      return await this.route(text, context);
    } catch (error) {
      this.logger.error('dispatch failed', { connection: context.connectionId, error: error instanceof Error ? error.message : String(error) });
      return internalFailure(idOfText(text));
    }
  }

  private async route(text: string, context: CallContext): Promise<RpcResponse | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return rpcFailure(null, ErrorCode.PARSE_ERROR, 'Parse error: the message is not JSON', Reason.INVALID_REQUEST);
    }
    if (isNotification(message)) return undefined;
    if (!checkRequest(message)) {
      return rpcFailure(idOf(message), ErrorCode.INVALID_REQUEST, 'Invalid request: expected a JSON-RPC 2.0 request with an id', Reason.INVALID_REQUEST);
    }
    const { id, method, params } = message;
    const handler = isMethod(method) ? this.handlers[method] : undefined;
    if (!handler) return rpcFailure(id, ErrorCode.METHOD_NOT_FOUND, `Method not found: ${method.slice(0, 64)}`, Reason.METHOD_NOT_FOUND);
    const problem = checkParams(method as Method, params);
    if (problem) return rpcFailure(id, ErrorCode.INVALID_PARAMS, `Invalid params: ${problem}`, Reason.INVALID_PARAMS);
    try {
      const result = await handler(params as never, { ...context, requestId: id });
      return { jsonrpc: '2.0', id, result };
    } catch (error) {
      if (error instanceof AgentError && error.reason !== Reason.INTERNAL) {
        const code = error.reason === Reason.INVALID_PARAMS ? ErrorCode.INVALID_PARAMS : ErrorCode.APPLICATION;
        return rpcFailure(id, code, error.message, error.reason, { retriesLeft: error.retriesLeft, retryAfterMs: error.retryAfterMs });
      }
      this.logger.error('method failed', { method, connection: context.connectionId, error: error instanceof Error ? error.message : String(error) });
      return internalFailure(id);
    }
  }
}
