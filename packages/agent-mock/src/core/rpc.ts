import { AgentError, ErrorCode, Reason, type RpcFailure, type RpcId, type RpcSuccess } from '@sicert/protocol';

/** A JSON-RPC failure carrying the stable reason, as the real agent answers. */
export function failure(id: RpcId | null, error: AgentError): RpcFailure {
  const code =
    error.reason === Reason.INVALID_PARAMS
      ? ErrorCode.INVALID_PARAMS
      : error.reason === Reason.METHOD_NOT_FOUND
        ? ErrorCode.METHOD_NOT_FOUND
        : error.reason === Reason.INVALID_REQUEST
          ? ErrorCode.INVALID_REQUEST
          : ErrorCode.APPLICATION;
  const data = {
    reason: error.reason,
    ...(error.retriesLeft === undefined ? {} : { retriesLeft: error.retriesLeft }),
  };
  return { jsonrpc: '2.0', id, error: { code, message: error.message, data } };
}

/** A JSON-RPC success. */
export function success(id: RpcId, result: unknown): RpcSuccess {
  return { jsonrpc: '2.0', id, result };
}

/** Any failure as an AgentError; what is not one becomes `INTERNAL` without its details. */
export function asAgentError(error: unknown): AgentError {
  return error instanceof AgentError ? error : new AgentError(Reason.INTERNAL, 'internal error in the mock agent');
}
