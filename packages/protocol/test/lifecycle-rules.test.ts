// The checks of the certificate-lifecycle methods (token.create, pin.change, pin.unblock, key.delete), their
// results, and the sign.data rules whose wording a page shows: each valid message beside the same message with one
// field missing, past its limit or of the wrong kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkParams, hasInvisibleCharacters, MAX_SIGN_BYTES, resultChecks, type Method } from '../src/index.js';

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

  // A label is a name people read in token.list: what it shows must be what it holds (a reviewer made 张三 tokens
  // labelled "\u202e张三\u0000"). Refused by the params check, so the agent and a page using it agree.
  const invisible = ['\u202e张三\u0000', '张三\u0000', '\u202e张三', '张\u2066三\u2069', '张\u200b三', '张\u200d三', '张三\n', '张\t三', '张\u001b三', '张\u0085三', '张\u2028三', '张\u00ad三', '张\ufeff三', '张\ud800三'];
  it('token.create and token.init: a label with a control, bidi or other invisible character, or only spaces, is refused', () => {
    for (const label of invisible) {
      refuses('token.create', { provider: 'soft', label, pin: 'Home2468x' }, 'label');
      refuses('token.init', { tokenId: 'p11-1', soPin: 'Hall2468So', label, pin: 'Home2468x' }, 'label');
    }
    for (const label of ['   ', '\u3000', ' \u00a0 ']) refuses('token.create', { provider: 'soft', label, pin: 'Home2468x' }, 'label');
    assert.match(checkParams('token.create', { provider: 'soft', label: '\u202e张三', pin: 'Home2468x' }) ?? '', /params\.label must not contain control, bidi or other invisible characters/);
  });

  it('token.create and token.init: names as people write them are accepted, rare characters included', () => {
    // A minority name with its middle dot, an ideographic space inside, a CJK Extension B character (surrogate
    // pair), a private-use code point (some registries encode rare characters there), and Latin letters.
    for (const label of ['阿卜杜·热西提', '张 三', '张\u3000三', '\u{20000}三', '王\ue000', 'Zhang San']) {
      accepts('token.create', { provider: 'soft', label, pin: 'Home2468x' });
      accepts('token.init', { tokenId: 'p11-1', soPin: 'Hall2468So', label, pin: 'Home2468x' });
    }
  });

  it('hasInvisibleCharacters is the same rule for a page that checks before it asks', () => {
    for (const label of invisible) assert.equal(hasInvisibleCharacters(label), true, JSON.stringify(label));
    for (const label of ['张三', '阿卜杜·热西提', '\u{20000}', '\ue000', '']) assert.equal(hasInvisibleCharacters(label), false, JSON.stringify(label));
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
    assert.equal(resultChecks['token.init']({ tokenId: 'slot-1' }, 'result'), undefined);
    assert.equal(typeof resultChecks['token.init']({}, 'result'), 'string');
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
