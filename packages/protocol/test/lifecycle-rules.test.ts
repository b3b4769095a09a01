// The checks of the certificate-lifecycle methods (token.create, pin.change, pin.unblock, key.delete), their
// results, and the sign.data rules whose wording a page shows: each valid message beside the same message with one
// field missing, past its limit or of the wrong kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkParams, MAX_SIGN_BYTES, resultChecks, type Method } from '../src/index.js';

const b64 = (bytes: number) => Buffer.alloc(bytes, 0x5a).toString('base64');

function accepts(method: Method, params: unknown): void {
  assert.equal(checkParams(method, params), undefined, `${method} should accept ${JSON.stringify(params)}`);
}
/** Refused; with `missing`, the message names that field. */
function refuses(method: Method, params: unknown, missing?: string): void {
  const problem = checkParams(method, params);
  assert.equal(typeof problem, 'string', `${method} should refuse ${JSON.stringify(params)}`);
  if (missing) assert.match(problem ?? '', new RegExp(`params\\.${missing}\\b`));
}
/** Every field of `ok` is required: leaving any one out is refused, naming it. */
function everyFieldRequired(method: Method, ok: Record<string, unknown>): void {
  accepts(method, ok);
  for (const field of Object.keys(ok)) {
    const { [field]: _left, ...rest } = ok;
    refuses(method, rest, field);
  }
  for (const bad of [undefined, null, [], 'x']) refuses(method, bad);
}

describe('lifecycle method params', () => {
  it('token.create: a software token, a label of 1-64 characters and a PIN', () => {
    everyFieldRequired('token.create', { provider: 'soft', label: '张三', pin: 'Home2468x' });
    accepts('token.create', { provider: 'soft', label: 'x'.repeat(64), pin: 'Home2468x' });
    refuses('token.create', { provider: 'pkcs11', label: '张三', pin: 'Home2468x' }, 'provider');
    refuses('token.create', { provider: 'soft', label: '', pin: 'Home2468x' }, 'label');
    refuses('token.create', { provider: 'soft', label: 'x'.repeat(65), pin: 'Home2468x' }, 'label');
    refuses('token.create', { provider: 'soft', label: '张三', pin: '' }, 'pin');
  });

  it('pin.change and pin.unblock: the token, the proving PIN and the new PIN', () => {
    everyFieldRequired('pin.change', { tokenId: 'p11-1', oldPin: '123456', newPin: 'Home2468x' });
    refuses('pin.change', { tokenId: 'p11-1', oldPin: '123456', newPin: 'x'.repeat(65) }, 'newPin');
    everyFieldRequired('pin.unblock', { tokenId: 'p11-1', soPin: 'So24680x', newPin: 'Home2468x' });
    refuses('pin.unblock', { tokenId: '', soPin: 'So24680x', newPin: 'Home2468x' }, 'tokenId');
  });

  it('key.delete: the token, a lower-case hex key id and the PIN', () => {
    everyFieldRequired('key.delete', { tokenId: 'soft-0123456789abcdef', keyId: 'ab12', pin: 'Home2468x' });
    refuses('key.delete', { tokenId: 'soft-0123456789abcdef', keyId: 'AB12', pin: 'Home2468x' }, 'keyId');
  });
});

describe('lifecycle method results', () => {
  it('token.create answers its token id; the others an object whose fields a newer agent may add', () => {
    assert.equal(resultChecks['token.create']({ tokenId: 'soft-0123456789abcdef' }, 'result'), undefined);
    assert.equal(typeof resultChecks['token.create']({}, 'result'), 'string');
    for (const method of ['pin.change', 'pin.unblock', 'key.delete'] as const) {
      assert.equal(resultChecks[method]({}, 'result'), undefined, method);
      assert.equal(resultChecks[method]({ later: true }, 'result'), undefined, method);
      for (const bad of [null, [], 'ok', 1, undefined]) assert.equal(resultChecks[method](bad, 'result'), 'result must be an object', `${method} ${JSON.stringify(bad)}`);
    }
  });
});

describe('sign.data rules a page shows', () => {
  it('says to give exactly one of data and digest, and that an attached CMS needs the data', () => {
    const base = { certId: 'soft-0123456789abcdef/ab', pin: 'Home2468x' };
    assert.equal(checkParams('sign.data', base), 'params must have exactly one of data and digest');
    assert.equal(checkParams('sign.data', { ...base, data: b64(3), digest: b64(32) }), 'params must have exactly one of data and digest');
    assert.equal(checkParams('sign.data', { ...base, digest: b64(32), format: 'cms-attached' }), 'an attached CMS needs data, not a digest');
  });

  it('accepts a signature larger than the data limit (an attached CMS carries the data and more)', () => {
    assert.equal(resultChecks['sign.data']({ signature: b64(MAX_SIGN_BYTES + 4096), certificate: b64(500) }, 'result'), undefined);
    assert.equal(typeof resultChecks['sign.data']({ signature: b64(MAX_SIGN_BYTES * 2 + 3), certificate: b64(500) }, 'result'), 'string');
  });
});
