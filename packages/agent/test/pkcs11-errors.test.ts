// The mapping from PKCS#11 return values to reasons, on its own: each CKR the agent tells apart, the two shapes
// pkcs11js throws in (with `code`, and C_FindObjects' bare message), and that nothing unknown passes as a reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AgentError, Reason } from '@sicert/protocol';
import { CKR, ckrOf, toAgentError } from '../src/providers/pkcs11/pkcs11-errors.js';

/** An error shaped like pkcs11js's: `Error` with the CKR name and value in its message, and `code`. */
function pkcs11Error(name: string, value: number, withCode = true): Error {
  const error = new Error(`CKR_${name}:${value}\n    at Error (native) C_Login:123`);
  if (withCode) Object.assign(error, { code: value });
  return error;
}

describe('ckrOf', () => {
  it('reads a non-zero numeric code', () => {
    assert.equal(ckrOf(Object.assign(new Error('x'), { code: 0xa0 })), 0xa0);
    assert.equal(ckrOf({ code: 0x32 }), 0x32);
  });

  it("reads the value from the message when pkcs11js leaves out the code (C_FindObjects)", () => {
    assert.equal(ckrOf(new Error('CKR_DEVICE_REMOVED:50')), 50);
    assert.equal(ckrOf(new Error('C_FindObjects failed: CKR_TOKEN_NOT_PRESENT:224 in module')), 224);
  });

  it('prefers the message over a zero code, and keeps a zero code when there is nothing else', () => {
    assert.equal(ckrOf(Object.assign(new Error('CKR_PIN_LOCKED:164'), { code: 0 })), 164);
    assert.equal(ckrOf(Object.assign(new Error('no value here'), { code: 0 })), 0);
  });

  it('is undefined for anything else', () => {
    for (const value of [new Error('plain'), new Error('CKR_X'), new Error('XCKR_PIN_LOCKED:164'), { code: '160' }, 'CKR_PIN_LOCKED:164', null, undefined, 42]) {
      assert.equal(ckrOf(value), undefined, inspect(value));
    }
  });
});

describe('toAgentError', () => {
  const cases: [keyof typeof CKR, Reason][] = [
    ['PIN_INCORRECT', Reason.PIN_INCORRECT],
    ['PIN_INVALID', Reason.PIN_INCORRECT],
    ['PIN_LEN_RANGE', Reason.PIN_INCORRECT],
    ['PIN_LOCKED', Reason.PIN_LOCKED],
    ['TOKEN_NOT_PRESENT', Reason.TOKEN_REMOVED],
    ['DEVICE_REMOVED', Reason.TOKEN_REMOVED],
    ['SESSION_HANDLE_INVALID', Reason.TOKEN_REMOVED],
    ['SESSION_CLOSED', Reason.TOKEN_REMOVED],
    ['SLOT_ID_INVALID', Reason.TOKEN_REMOVED],
    ['DEVICE_ERROR', Reason.TOKEN_ERROR],
    ['DEVICE_MEMORY', Reason.TOKEN_ERROR],
    ['MECHANISM_INVALID', Reason.UNSUPPORTED_ALGORITHM],
    ['KEY_HANDLE_INVALID', Reason.INTERNAL],
    ['USER_ALREADY_LOGGED_IN', Reason.INTERNAL],
    ['USER_NOT_LOGGED_IN', Reason.INTERNAL],
  ];
  for (const [name, reason] of cases) {
    it(`CKR_${name} (0x${CKR[name].toString(16)}) → ${reason}, with or without code`, () => {
      for (const error of [pkcs11Error(name, CKR[name]), pkcs11Error(name, CKR[name], false)]) {
        const mapped = toAgentError(error, 'C_Login');
        assert.ok(mapped instanceof AgentError);
        assert.equal(mapped.reason, reason);
        assert.equal(mapped.retriesLeft, undefined, 'a USB-Key does not tell the tries left');
      }
    });
  }

  it('uses the documented CKR values (PKCS#11 v2.40)', () => {
    assert.deepEqual(CKR, {
      SLOT_ID_INVALID: 0x03,
      DEVICE_ERROR: 0x30,
      DEVICE_MEMORY: 0x31,
      DEVICE_REMOVED: 0x32,
      KEY_HANDLE_INVALID: 0x60,
      MECHANISM_INVALID: 0x70,
      PIN_INCORRECT: 0xa0,
      PIN_INVALID: 0xa1,
      PIN_LEN_RANGE: 0xa2,
      PIN_LOCKED: 0xa4,
      SESSION_CLOSED: 0xb0,
      SESSION_HANDLE_INVALID: 0xb3,
      TOKEN_NOT_PRESENT: 0xe0,
      USER_ALREADY_LOGGED_IN: 0x100,
      USER_NOT_LOGGED_IN: 0x101,
      CRYPTOKI_ALREADY_INITIALIZED: 0x191,
    });
  });

  it('says what a citizen can act on, and names the operation and CKR for the log', () => {
    assert.equal(toAgentError(pkcs11Error('PIN_INCORRECT', 0xa0), 'C_Login').message, 'the PIN is incorrect');
    assert.equal(toAgentError(pkcs11Error('PIN_LOCKED', 0xa4), 'C_Login').message, 'the PIN is locked');
    assert.equal(toAgentError(pkcs11Error('DEVICE_REMOVED', 0x32), 'C_Sign').message, 'the USB-Key was removed');
    assert.equal(toAgentError(pkcs11Error('DEVICE_ERROR', 0x30), 'C_Sign').message, 'the USB-Key reported a fault during C_Sign (CKR_DEVICE_ERROR)');
    assert.equal(toAgentError(pkcs11Error('MECHANISM_INVALID', 0x70), 'C_SignInit').message, 'the USB-Key does not support this algorithm (C_SignInit)');
    const internal = toAgentError(pkcs11Error('FUNCTION_FAILED', 0x06), 'C_GenerateKeyPair');
    assert.equal(internal.reason, Reason.INTERNAL);
    assert.equal(internal.message, 'C_GenerateKeyPair failed: CKR_FUNCTION_FAILED');
  });

  it('keeps the original error as the cause of INTERNAL only', () => {
    const original = pkcs11Error('GENERAL_ERROR', 0x05);
    assert.equal(toAgentError(original, 'C_Sign').cause, original);
    assert.equal(toAgentError(pkcs11Error('PIN_LOCKED', 0xa4), 'C_Login').cause, undefined);
  });

  it('passes an AgentError through unchanged', () => {
    const error = new AgentError(Reason.TIMEOUT, 'stalled');
    assert.equal(toAgentError(error, 'C_Sign'), error);
  });

  it('maps what is not a pkcs11js error to INTERNAL, naming it', () => {
    assert.equal(toAgentError(new TypeError('handle is not a Buffer'), 'C_Sign').message, 'C_Sign failed: handle');
    const fromString = toAgentError('weird', 'C_Sign');
    assert.deepEqual([fromString.reason, fromString.message], [Reason.INTERNAL, 'C_Sign failed: weird']);
    assert.equal(toAgentError(new Error(''), 'C_Sign').message, 'C_Sign failed: ');
  });
});
