// The checks behind the types: every field the protocol types carry is checked at run time, in results, in
// notifications and in error data. Each case takes a valid value and breaks one field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentError, checkNotification, isNotificationName, resultChecks, type CertificateInfo, type Token } from '../src/index.js';

const token: Token = {
  id: 'p11-abc',
  provider: 'pkcs11',
  label: 'sicert-usb',
  manufacturer: 'SoftHSM project',
  model: 'SoftHSM v2',
  serial: '1a2b3c',
  pin: { initialized: true, locked: false, countLow: false, finalTry: false },
};
const certificate: CertificateInfo = {
  id: 'p11-abc/0a0b',
  tokenId: 'p11-abc',
  der: 'MIIB',
  subject: 'CN=张三',
  issuer: 'CN=sicert Test Root CA',
  serialNumber: '01',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
  keyAlgorithm: 'ECDSA-P256',
  keyUsage: ['digitalSignature', 'nonRepudiation'],
  hasPrivateKey: true,
  status: 'valid',
  provider: 'pkcs11',
};
const info = { agentVersion: '0.1.0', protocol: 1, providers: ['pkcs11', 'soft'], capabilities: ['sign.data'], algorithms: ['ECDSA-P256'] };

/** `value` with `key` replaced (or removed, for `undefined`). */
function changed(value: object, key: string, replacement: unknown): Record<string, unknown> {
  return Object.fromEntries([...Object.entries(value).filter(([k]) => k !== key), ...(replacement === undefined ? [] : [[key, replacement]])]) as Record<string, unknown>;
}

describe('result checks', () => {
  it('accept a complete agent.info, token, and certificate, with unknown extra fields', () => {
    assert.equal(resultChecks['agent.info']({ ...info, future: true }, 'result'), undefined);
    assert.equal(resultChecks['token.list']({ tokens: [token, { ...token, damaged: true, pin: { ...token.pin, retriesLeft: 9 } }] }, 'result'), undefined);
    assert.equal(resultChecks['cert.list']({ certificates: [certificate, { ...certificate, keyUsage: undefined, provider: undefined, subjectCommonName: '张三' }] }, 'result'), undefined);
  });

  for (const [key, bad] of [
    ['algorithms', undefined],
    ['algorithms', 'ECDSA-P256'],
    ['algorithms', [7]],
    ['protocol', 2],
    ['providers', undefined],
    ['capabilities', [null]],
  ] as const) {
    it(`refuse agent.info with ${key} = ${JSON.stringify(bad) ?? 'nothing'}`, () => {
      assert.match(resultChecks['agent.info'](changed(info, key, bad), 'result') ?? '', new RegExp(`result\\.${key}`));
    });
  }

  for (const [key, bad] of [
    ['manufacturer', undefined],
    ['model', undefined],
    ['serial', undefined],
    ['serial', 12345],
    ['manufacturer', 'x'.repeat(257)],
    ['damaged', 'yes'],
    ['provider', 'usb'],
  ] as const) {
    it(`refuse a token with ${key} = ${JSON.stringify(bad)?.slice(0, 20) ?? 'nothing'}`, () => {
      assert.match(resultChecks['token.list']({ tokens: [changed(token, key, bad)] }, 'result') ?? '', new RegExp(`result\\.tokens\\[0\\]\\.${key}`));
    });
  }

  for (const [key, bad] of [
    ['keyAlgorithm', undefined],
    ['keyAlgorithm', 256],
    ['keyUsage', 'digitalSignature'],
    ['keyUsage', [1]],
    ['subjectCommonName', 5],
    ['issuerCommonName', false],
    ['provider', 'usb'],
  ] as const) {
    it(`refuse a certificate with ${key} = ${JSON.stringify(bad) ?? 'nothing'}`, () => {
      assert.match(resultChecks['cert.list']({ certificates: [changed(certificate, key, bad)] }, 'result') ?? '', new RegExp(`result\\.certificates\\[0\\]\\.${key}`));
    });
  }
});

describe('notification checks', () => {
  it('know the three token notifications and nothing else', () => {
    assert.deepEqual(['token.added', 'token.removed', 'token.changed', 'token.stolen', '__proto__', 'toString'].map(isNotificationName), [true, true, true, false, false, false]);
  });

  it('accept well-formed params and refuse malformed ones', () => {
    assert.equal(checkNotification('token.added', { token }), undefined);
    assert.equal(checkNotification('token.changed', { token: { ...token, pin: { ...token.pin, locked: true } } }), undefined);
    assert.equal(checkNotification('token.removed', { tokenId: 'p11-abc' }), undefined);
    assert.match(checkNotification('token.added', { token: changed(token, 'serial', undefined) }) ?? '', /params\.token\.serial/);
    assert.match(checkNotification('token.changed', { token: { ...token, pin: { ...token.pin, locked: 'no' } } }) ?? '', /params\.token\.pin\.locked/);
    assert.match(checkNotification('token.removed', { tokenId: '' }) ?? '', /params\.tokenId/);
    assert.match(checkNotification('token.removed', undefined) ?? '', /params must be an object/);
  });
});

describe('error data', () => {
  it('names itself AgentError in logs, and carries a cause only when it has one', () => {
    const cause = new Error('socket refused');
    const withCause = new AgentError('DISCONNECTED', 'cannot open', { cause });
    assert.equal(withCause.name, 'AgentError');
    assert.match(String(withCause), /^AgentError: cannot open$/);
    assert.equal(withCause.cause, cause);
    // No `[cause]: undefined` line in a logged error that had none.
    assert.equal('cause' in new AgentError('TIMEOUT', 'token.list timed out'), false);
  });

  it('passes tries left on with PIN_INCORRECT', () => {
    const error = AgentError.fromRpc({ code: -32000, message: 'wrong', data: { reason: 'PIN_INCORRECT', retriesLeft: 2 } });
    assert.equal(error.reason, 'PIN_INCORRECT');
    assert.equal(error.retriesLeft, 2);
    assert.equal(error.retryAfterMs, undefined);
    assert.equal(error.message, 'wrong');
  });

  it('passes a known reason with its details on', () => {
    const error = AgentError.fromRpc({ code: -32000, message: 'wrong', data: { reason: 'PIN_THROTTLED', retryAfterMs: 41_500 } });
    assert.equal(error.reason, 'PIN_THROTTLED');
    assert.equal(error.retryAfterMs, 41_500);
  });

  it('turns data that does not match the protocol into INTERNAL, without its details', () => {
    for (const data of [{ reason: 'PIN_INCORRECT', retriesLeft: '4' }, { reason: 'PIN_THROTTLED', retryAfterMs: 1.5 }, { reason: 'NO_SUCH_REASON', retriesLeft: 4 }, 'PIN_INCORRECT', undefined]) {
      const error = AgentError.fromRpc({ code: -32000, message: 'odd', data } as never);
      assert.equal(error.reason, 'INTERNAL', JSON.stringify(data));
      assert.equal(error.retriesLeft, undefined);
      assert.equal(error.retryAfterMs, undefined);
    }
  });
});
