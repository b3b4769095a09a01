import type { RpcErrorObject, RpcRequest, RpcResponse } from './messages.js';
import { paramsChecks, type Method } from './methods.js';
import { isRecord } from './schema.js';

/** True when `method` is a method of protocol v1. */
export function isMethod(method: string): method is Method {
  return Object.prototype.hasOwnProperty.call(paramsChecks, method);
}

/** Checks a method's params; returns a message naming the first problem, or undefined. */
export function checkParams(method: Method, params: unknown): string | undefined {
  return paramsChecks[method](params, 'params');
}

/** Checks the JSON-RPC 2.0 request envelope (not the params). */
export function checkRequest(value: unknown): value is RpcRequest {
  return (
    isRecord(value) &&
    value.jsonrpc === '2.0' &&
    typeof value.method === 'string' &&
    (typeof value.id === 'string' || Number.isInteger(value.id))
  );
}

function isErrorObject(value: unknown): value is RpcErrorObject {
  return isRecord(value) && Number.isInteger(value.code) && typeof value.message === 'string';
}

/**
 * Checks a JSON-RPC 2.0 response envelope received by the client. The result is checked against its method's
 * schema once the request it answers is known, and the error's data when the error is rebuilt.
 */
export function checkResponse(value: unknown): value is RpcResponse {
  if (!isRecord(value) || value.jsonrpc !== '2.0' || !('id' in value)) return false;
  return 'result' in value ? value.id !== null : isErrorObject(value.error);
}
