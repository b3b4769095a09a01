// The values that travel on the wire and that portals key on: reasons, JSON-RPC error codes, the subprotocol,
// paths and port. They are documented in docs/protocol.md and never change within protocol v1, so each is
// pinned here; a change must be a deliberate new protocol version, not an accident.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PORT, ErrorCode, HEALTH_PATH, isReason, PROTOCOL_VERSION, Reason, SUBPROTOCOL, WS_PATH } from '../src/index.js';

describe('wire constants of protocol v1', () => {
  it('every reason is its own name, and the list is the documented one', () => {
    for (const [key, value] of Object.entries(Reason)) assert.equal(value, key);
    assert.deepEqual(Object.keys(Reason).sort(), [
      'BUSY',
      'CANCELLED',
      'CERT_NOT_FOUND',
      'DISCONNECTED',
      'INTERNAL',
      'INVALID_PARAMS',
      'INVALID_REQUEST',
      'KEY_IN_USE',
      'KEY_NOT_FOUND',
      'METHOD_NOT_FOUND',
      'NOT_SUPPORTED',
      'ORIGIN_DENIED',
      'PIN_INCORRECT',
      'PIN_LOCKED',
      'PIN_POLICY',
      'PIN_THROTTLED',
      'SO_PIN_INCORRECT',
      'SO_PIN_LOCKED',
      'TIMEOUT',
      'TOKEN_DAMAGED',
      'TOKEN_ERROR',
      'TOKEN_LIMIT',
      'TOKEN_NOT_BLANK',
      'TOKEN_NOT_FOUND',
      'TOKEN_REMOVED',
      'UNSUPPORTED_ALGORITHM',
    ]);
  });

  it('isReason knows exactly those strings', () => {
    for (const reason of Object.values(Reason)) assert.equal(isReason(reason), true, reason);
    for (const value of ['', 'pin_locked', 'PIN_LOCKED ', 'toString', '__proto__', 7, null, undefined, { reason: 'BUSY' }, ['BUSY']]) {
      assert.equal(isReason(value), false, JSON.stringify(value));
    }
  });

  it('uses the JSON-RPC 2.0 codes, and one application code', () => {
    assert.deepEqual(ErrorCode, {
      PARSE_ERROR: -32700,
      INVALID_REQUEST: -32600,
      METHOD_NOT_FOUND: -32601,
      INVALID_PARAMS: -32602,
      INTERNAL_ERROR: -32603,
      APPLICATION: -32000,
    });
  });

  it('speaks version 1 on sicert.v1 at /v1, with health at /v1/health, on port 21260 by default', () => {
    assert.equal(PROTOCOL_VERSION, 1);
    assert.equal(SUBPROTOCOL, 'sicert.v1');
    assert.equal(WS_PATH, '/v1');
    assert.equal(HEALTH_PATH, '/v1/health');
    assert.equal(DEFAULT_PORT, 21260);
  });
});
