import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { base64Size, checkParams, checkRequest, checkResponse, MAX_SIGN_BYTES, paramsChecks, resultChecks, type Method } from '../src/index.js';

const METHODS = Object.keys(paramsChecks) as Method[];
// The grammar the validator had before it became a loop: right on short strings, a stack overflow on long ones.
const REFERENCE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n%'.split(''));

/** Values shaped almost like each method's params: the right keys with values of any kind. */
const nearParams = fc.record(
  {
    certId: fc.oneof(fc.string(), fc.constant('soft-default/00'), fc.anything()),
    tokenId: fc.oneof(fc.string(), fc.anything()),
    keyId: fc.oneof(fc.stringMatching(/^[0-9a-f]{0,130}$/), fc.anything()),
    pin: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
    data: fc.oneof(fc.base64String(), fc.string(), fc.anything()),
    digest: fc.oneof(fc.base64String({ minLength: 44, maxLength: 44 }), fc.anything()),
    format: fc.oneof(fc.constantFrom('cms-detached', 'cms-attached', 'raw', 'RAW'), fc.anything()),
    algorithm: fc.oneof(fc.constantFrom('ECDSA-P256', 'RSA-2048', 'SM2'), fc.anything()),
    subject: fc.oneof(fc.dictionary(fc.constantFrom('CN', 'O', 'C', 'X', '__proto__', 'constructor'), fc.oneof(fc.string(), fc.anything())), fc.anything()),
    certificate: fc.oneof(fc.base64String(), fc.anything()),
    chain: fc.oneof(fc.array(fc.base64String()), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('protocol validators (property tests)', () => {
  it('checkParams never throws and answers a string or nothing, for any value and any method', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METHODS), fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withTypedArray: true, withSparseArray: true }), nearParams), (method, params) => {
        const problem = checkParams(method, params);
        assert.ok(problem === undefined || typeof problem === 'string');
      }),
      { numRuns: 10_000 },
    );
  });

  it('checkRequest and checkResponse never throw, and checkRequest accepts exactly the 2.0 envelope with an id', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true }), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)), (value, id) => {
        checkResponse(value);
        const request = { jsonrpc: '2.0', id, method: 'agent.info', params: value };
        assert.equal(checkRequest(request), typeof id === 'string' || Number.isInteger(id));
        assert.equal(typeof checkRequest(value), 'boolean');
      }),
      { numRuns: 5_000 },
    );
    for (const method of METHODS) assert.equal(typeof resultChecks[method], 'function');
  });

  it('base64Size accepts what the old grammar accepts on short strings, and gives the decoded size', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: base64Chars, maxLength: 64 }), fc.base64String({ maxLength: 64 })), (text) => {
        const size = base64Size(text);
        assert.equal(size >= 0, REFERENCE.test(text), text);
        if (size >= 0) assert.equal(size, Buffer.from(text, 'base64').length);
      }),
      { numRuns: 10_000 },
    );
  });

  it('accepts sign.data with the documented 4 MiB of data, and refuses one byte more (no stack overflow)', () => {
    const params = (bytes: number) => ({ certId: 'soft-default/00', pin: '123456', data: Buffer.alloc(bytes, 0xa5).toString('base64') });
    assert.equal(checkParams('sign.data', params(MAX_SIGN_BYTES)), undefined);
    assert.match(checkParams('sign.data', params(MAX_SIGN_BYTES + 1)) ?? '', /larger than 4194304 bytes/);
    const almost = params(MAX_SIGN_BYTES);
    assert.match(checkParams('sign.data', { ...almost, data: `${almost.data.slice(0, -4)}AA%A` }) ?? '', /must be non-empty base64/);
  });
});
