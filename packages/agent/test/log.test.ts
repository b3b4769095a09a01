// redact() and the logger on their own: every secret-looking key is hidden at any depth the logger looks at,
// nothing else is touched, and levels filter as documented.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, redact } from '../src/log.js';

const PIN = 'Secret7531x';

describe('redact', () => {
  it('hides each secret-looking key, in any case, wherever it appears in the name', () => {
    const keys = ['pin', 'PIN', 'oldPin', 'newPin', 'soPin', 'pinCode', 'password', 'Password', 'userPassword', 'secret', 'clientSecret', 'pkcs8', 'PKCS8Der', 'privateKey', 'PrivateKeyInfo'];
    const redacted = redact(Object.fromEntries(keys.map((k) => [k, PIN]))) as Record<string, unknown>;
    assert.deepEqual(redacted, Object.fromEntries(keys.map((k) => [k, '[redacted]'])));
  });

  it('hides a secret key whatever its value is, objects and arrays too', () => {
    assert.deepEqual(redact({ pin: { value: PIN }, password: [PIN], secret: 0, privateKey: null }), { pin: '[redacted]', password: '[redacted]', secret: '[redacted]', privateKey: '[redacted]' });
  });

  it('keeps every other key and value as it is', () => {
    const fields = { method: 'sign.data', origin: 'https://a.cn', connection: 3, ok: true, none: null, missing: undefined, list: [1, 'two'] };
    assert.deepEqual(redact(fields), fields);
    assert.deepEqual(redact({ certId: 'soft-default/ab', tokenId: 't', digest: 'ff' }), { certId: 'soft-default/ab', tokenId: 't', digest: 'ff' });
  });

  it('looks into nested objects and arrays', () => {
    const value = { params: { certId: 'c', pin: PIN }, batch: [{ pin: PIN, n: 1 }, [{ newPin: PIN }]], deep: { a: { b: { c: { password: PIN, keep: 'k' } } } } };
    assert.deepEqual(redact(value), {
      params: { certId: 'c', pin: '[redacted]' },
      batch: [{ pin: '[redacted]', n: 1 }, [{ newPin: '[redacted]' }]],
      deep: { a: { b: { c: { password: '[redacted]', keep: 'k' } } } },
    });
    assert.equal(JSON.stringify(redact(value)).includes(PIN), false);
  });

  it('returns primitives unchanged and copies instead of changing its argument', () => {
    for (const value of ['text', 1, 0, true, null, undefined]) assert.equal(redact(value), value);
    const input = { pin: PIN, inner: { pin: PIN } };
    const output = redact(input);
    assert.deepEqual(input, { pin: PIN, inner: { pin: PIN } });
    assert.notEqual(output, input);
  });

  it('stops at depth 6, so a cycle or a very deep value cannot hang it or leak a PIN', () => {
    // Depth 6 is still looked into; below that, objects are cut off, never passed through.
    const at = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { next: at(depth - 1, leaf) });
    const seventh = at(6, { pin: PIN }) as Record<string, unknown>;
    assert.equal(JSON.stringify(redact(seventh)).includes(PIN), false, 'the object at depth 6 is redacted');
    const eighth = at(7, { pin: PIN });
    let inner = redact(eighth) as { next: unknown };
    for (let i = 0; i < 7; i++) inner = inner.next as { next: unknown };
    assert.equal(inner, '[truncated]', 'below depth 6 an object is cut off');
    assert.equal(JSON.stringify(redact(eighth)).includes(PIN), false);
    const cycle: Record<string, unknown> = { name: 'loop', pin: PIN };
    cycle.self = cycle;
    assert.doesNotThrow(() => JSON.stringify(redact(cycle)));
    const lines: string[] = [];
    createLogger('info', (line) => lines.push(line)).info('cyclic', { cycle });
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.includes(PIN), false);
  });
});

describe('createLogger', () => {
  const logged = (level: 'error' | 'warn' | 'info' | 'debug') => {
    const lines: string[] = [];
    const logger = createLogger(level, (line) => lines.push(line));
    logger.error('e');
    logger.warn('w');
    logger.info('i');
    logger.debug('d');
    return lines.map((line) => (JSON.parse(line) as { level: string; message: string }).message);
  };

  it('writes the level and the more severe ones only', () => {
    assert.deepEqual(logged('error'), ['e']);
    assert.deepEqual(logged('warn'), ['e', 'w']);
    assert.deepEqual(logged('info'), ['e', 'w', 'i']);
    assert.deepEqual(logged('debug'), ['e', 'w', 'i', 'd']);
  });

  it('writes one JSON line with time, level, message and redacted fields', () => {
    const lines: string[] = [];
    createLogger('info', (line) => lines.push(line)).warn('login failed', { tokenId: 't1', pin: PIN, params: { newPin: PIN } });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n'));
    assert.equal(lines[0]!.trimEnd().includes('\n'), false);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.match(entry.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual({ ...entry, time: 'T' }, { time: 'T', level: 'warn', message: 'login failed', tokenId: 't1', pin: '[redacted]', params: { newPin: '[redacted]' } });
    assert.equal(lines[0]!.includes(PIN), false);
  });

  it('defaults to info', () => {
    const lines: string[] = [];
    const logger = createLogger(undefined, (line) => lines.push(line));
    logger.info('i');
    logger.debug('d');
    assert.equal(lines.length, 1);
  });
});
