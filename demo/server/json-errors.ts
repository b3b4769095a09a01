import type { NextFunction, Request, Response } from 'express';
import { sendError, type ApiErrorCode } from './api-errors.js';

/** Answers an API path that no route handles with the API's JSON error, not Express's HTML page. */
export function unknownEndpoint(_req: Request, res: Response): void {
  sendError(res, 404, 'UNKNOWN_ENDPOINT');
}

function statusOf(error: unknown): number {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : 500;
}

/**
 * The last handler of the app: every error becomes the API's JSON error, with no stack trace, file path or
 * exception text (they tell an attacker the stack and the layout of the server). Malformed bodies (bad JSON,
 * a bad URI) are 400, bodies over the limit 413, the rest 500, which is logged here on the server only.
 */
export function jsonErrorHandler(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = statusOf(error);
  let code: ApiErrorCode = 'INTERNAL';
  if (status === 413) code = 'PAYLOAD_TOO_LARGE';
  else if (status === 404) code = 'UNKNOWN_ENDPOINT';
  else if (status < 500) code = 'MALFORMED_REQUEST';
  if (code === 'INTERNAL') console.error('portal: request failed:', error instanceof Error ? error.message : String(error));
  sendError(res, code === 'INTERNAL' ? 500 : status, code);
}
