// The problem a check reports is what a page developer reads in an INVALID_PARAMS answer or an INTERNAL error
// from the client: it must name the field at fault by its path and say what is expected of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64, base64Size, checkParams, oneOf } from '../src/index.js';

describe('problem messages', () => {
  it('name the offending field by its path from params', () => {
    assert.equal(checkParams('token.list', 5 as never), 'params must be an object');
    const subject = (s: Record<string, string>) => checkParams('csr.create', { tokenId: 'p11-1', keyId: 'ab', pin: '123456', subject: s as never });
    assert.equal(subject({ CN: '王小明', C: 'CHN' }), 'params.subject.C must have 2-2 characters');
    assert.equal(subject({ CN: '' }), 'params.subject.CN must have 1-128 characters');
  });

  it('say which literals are allowed', () => {
    assert.equal(oneOf('SM2', 'ECDSA-P256')('RSA', 'params.algorithm'), 'params.algorithm must be one of SM2, ECDSA-P256');
  });

  it('refuse base64 far over the limit with its size, before reading it', () => {
    assert.equal(base64(4)('A'.repeat(4096), 'params.data'), 'params.data is larger than 4 bytes');
    assert.equal(base64(4)('AAAAAAA=', 'params.data'), 'params.data is larger than 4 bytes');
    assert.equal(base64(4)('AAAAAA==', 'params.data'), undefined);
  });
});

describe('base64Size', () => {
  it('refuses characters outside the base64 alphabet, just above or below its ranges too', () => {
    for (const text of ['ab{d', 'ab~d', 'AB@D', 'AB[D', 'ab`d', '09:A', '09/A'.replace('/', '.'), '中文AB', 'ab-d', 'ab_d']) {
      assert.equal(base64Size(text), -1, text);
    }
    assert.equal(base64Size('azAZ09+/'), 6);
    assert.equal(base64Size(''), 0);
    assert.equal(base64Size('QQ=='), 1);
    assert.equal(base64Size('QUI='), 2);
  });
});
