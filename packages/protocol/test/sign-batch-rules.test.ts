// The checks of `sign.batch`: the request's shape is checked whole (a malformed item fails the batch), the rules of
// one item are left to the agent so that such an item fails alone; each outcome is a signature or a known reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNotification, checkParams, MAX_BATCH_ITEMS, resultChecks } from '../src/index.js';

const b64 = (bytes: number) => Buffer.alloc(bytes, 0x5a).toString('base64');
const base = { certId: 'p11-0123456789abcdef/ab', pin: 'Home2468x' };

describe('sign.batch params', () => {
  it('takes 1 to 1,000 items, each with data or a digest', () => {
    assert.equal(checkParams('sign.batch', { ...base, items: [{ data: b64(3) }] }), undefined);
    assert.equal(checkParams('sign.batch', { ...base, items: Array.from({ length: MAX_BATCH_ITEMS }, () => ({ digest: b64(32) })), format: 'raw' }), undefined);
    assert.equal(MAX_BATCH_ITEMS, 1000);
    assert.equal(checkParams('sign.batch', { ...base, items: [] }), 'params.items must have at least 1 item');
    assert.equal(checkParams('sign.batch', { ...base, items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => ({ digest: b64(32) })) }), 'params.items must have at most 1000 items');
  });

  it('refuses the whole batch for a malformed item, a missing PIN or certificate, or an unknown format', () => {
    assert.equal(checkParams('sign.batch', { ...base, items: [{ data: b64(3) }, { data: 'not base64!' }] }), 'params.items[1].data must be non-empty base64');
    assert.equal(checkParams('sign.batch', { ...base, items: [{ data: b64(3) }, 'x'] }), 'params.items[1] must be an object');
    assert.equal(checkParams('sign.batch', { ...base, items: [{ digest: b64(32), digestAlgorithm: 'SHA-1' }] }), 'params.items[0].digestAlgorithm must be one of SHA-256');
    assert.match(checkParams('sign.batch', { certId: base.certId, items: [{ data: b64(3) }] }) ?? '', /params\.pin\b/);
    assert.match(checkParams('sign.batch', { pin: base.pin, items: [{ data: b64(3) }] }) ?? '', /params\.certId\b/);
    assert.match(checkParams('sign.batch', { ...base, items: [{ data: b64(3) }], format: 'pdf' }) ?? '', /params\.format\b/);
    assert.equal(checkParams('sign.batch', { ...base, items: 'x' }), 'params.items must be an array');
  });

  it('leaves an item with both or neither of data and digest to the agent, which fails that item alone', () => {
    assert.equal(checkParams('sign.batch', { ...base, items: [{}, { data: b64(3), digest: b64(32) }, { digest: b64(32) }], format: 'cms-attached' }), undefined);
  });
});

describe('sign.batch result', () => {
  const certificate = b64(500);
  it('holds a signature or a known reason with a message in each place', () => {
    const ok = { signatures: [{ signature: b64(70) }, { error: { reason: 'INVALID_PARAMS', message: 'a SHA-256 digest has 32 bytes' } }], certificate };
    assert.equal(resultChecks['sign.batch'](ok, 'result'), undefined);
    assert.equal(resultChecks['sign.batch']({ ...ok, signatures: [{ error: { reason: 'NO_SUCH_REASON', message: 'x' } }] }, 'result'), 'result.signatures[0].error.reason must be a reason of protocol v1');
    assert.equal(resultChecks['sign.batch']({ ...ok, signatures: [{ error: { reason: 'INTERNAL' } }] }, 'result'), 'result.signatures[0].error.message must be a string');
    assert.equal(resultChecks['sign.batch']({ ...ok, signatures: [{}] }, 'result'), 'result.signatures[0] must have a signature or an error');
    assert.equal(resultChecks['sign.batch']({ ...ok, signatures: [{ signature: '!!' }] }, 'result'), 'result.signatures[0].signature must be non-empty base64');
    assert.equal(resultChecks['sign.batch']({ ...ok, signatures: [null] }, 'result'), 'result.signatures[0] must be an object');
    assert.match(resultChecks['sign.batch']({ signatures: [] }, 'result') ?? '', /result\.certificate\b/);
  });
});

describe('sign.progress', () => {
  it('names the request and counts whole items', () => {
    assert.equal(checkNotification('sign.progress', { id: 7, done: 3, total: 10 }), undefined);
    assert.equal(checkNotification('sign.progress', { id: 'a', done: 0, total: 1 }), undefined);
    assert.equal(checkNotification('sign.progress', { id: 1.5, done: 0, total: 1 }), 'params.id must be a request id');
    assert.equal(checkNotification('sign.progress', { id: 1, done: 0.5, total: 1 }), 'params.done must be an integer');
  });
});
