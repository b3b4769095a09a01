import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AgentError, MAX_BATCH_ITEMS, Reason } from '@sicert/protocol';
import { batchTimeoutMs, failures, itemMessageKey, NAMED_FAILURES, outcomesOf } from '../../src/components/signer/signer-batch.js';
import { toBatchItems, toPayload } from '../../src/components/signer/signer-payload.js';

// The batch mode's bookkeeping without a DOM: what goes to the agent, how its answer maps back onto the items.
describe('the signer batch', () => {
  const items = [{ id: 'a', summary: '一' }, { summary: '二' }, { id: 'c', summary: '三' }];
  const said = (reason: Reason) => `said ${reason}`;

  test('outcomes keep the items order and ids, and word each failure for the citizen', () => {
    const result = { certificate: 'AA==', signatures: [{ signature: 'MQ==' }, { error: { reason: Reason.INVALID_PARAMS, message: 'an item must have…' } }, { signature: 'Mw==' }] };
    assert.deepEqual(outcomesOf(result, items, said), [
      { id: 'a', signature: 'MQ==' },
      { error: { reason: Reason.INVALID_PARAMS, message: 'said INVALID_PARAMS' } },
      { id: 'c', signature: 'Mw==' },
    ]);
  });

  test('an answer with another number of outcomes than items is refused as INTERNAL: no outcome can be trusted to its item', () => {
    const result = { certificate: 'AA==', signatures: [{ signature: 'MQ==' }, { signature: 'Mg==' }] };
    assert.throws(() => outcomesOf(result, items, said), (error: unknown) => error instanceof AgentError && error.reason === Reason.INTERNAL);
  });

  test('failures are counted, and the first ones named by their 1-based number', () => {
    const outcomes = Array.from({ length: 30 }, (_, i) => (i % 2 ? { error: { reason: Reason.TOKEN_ERROR, message: 'x' } } : { signature: 'AA==' }));
    assert.deepEqual(failures(outcomes), { count: 15, named: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20].slice(0, NAMED_FAILURES) });
    assert.deepEqual(failures([{ signature: 'AA==' }]), { count: 0, named: [] });
  });

  test('an item reason reads as the item own where the request wording would mislead, the reason otherwise', () => {
    assert.equal(itemMessageKey(Reason.INVALID_PARAMS), 'batch.item.INVALID_PARAMS');
    assert.equal(itemMessageKey(Reason.INTERNAL), 'batch.item.INTERNAL');
    assert.equal(itemMessageKey(Reason.TOKEN_REMOVED), 'reason.TOKEN_REMOVED');
  });

  test('a batch may take a minute and a second an item, beyond the client one-minute default', () => {
    assert.equal(batchTimeoutMs(1), 61_000);
    assert.equal(batchTimeoutMs(MAX_BATCH_ITEMS), 1_060_000);
  });

  test('items go as data (text as UTF-8, bytes as given) or digest, data first; an empty item goes empty for the agent to judge', () => {
    const digest = new Uint8Array(32).fill(7);
    assert.deepEqual(toBatchItems([
      { summary: '文', data: '社保' },
      { summary: 'bytes', data: new Uint8Array([1, 2, 3]) },
      { summary: 'digest', digest },
      { summary: 'b64 digest', digest: 'BwcH' },
      { summary: 'both', data: 'x', digest },
      { summary: 'none' },
    ]), [
      { data: Buffer.from('社保').toString('base64') },
      { data: 'AQID' },
      { digest: Buffer.from(digest).toString('base64'), digestAlgorithm: 'SHA-256' },
      { digest: 'BwcH', digestAlgorithm: 'SHA-256' },
      { data: 'eA==' },
      {},
    ]);
    assert.equal(toPayload('', ''), undefined);
  });
});
