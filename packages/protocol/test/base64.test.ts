// base64Size and the base64() schema on a fixed table: every edge of each character range, each padding form and
// the size limit at small sizes. validate.test.ts checks the same against the old grammar on random strings and at
// 4 MiB; this file is the one mutation testing runs (those inputs make every mutant cost seconds).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64, base64Size } from '../src/index.js';

/** Characters just outside and at each edge of the base64 alphabet's ranges. */
const EDGES = { '@': false, A: true, Z: true, '[': false, '`': false, a: true, z: true, '{': false, '/': true, '0': true, '9': true, ':': false, '+': true, ',': false, '*': false, '.': false, '-': false, _: false, ' ': false };

describe('base64Size', () => {
  it('accepts exactly the base64 alphabet, at every position of a quantum', () => {
    for (const [char, ok] of Object.entries(EDGES)) {
      for (let position = 0; position < 4; position++) {
        const text = `AAAA${'QUJD'.slice(0, position)}${char}${'QUJD'.slice(position + 1)}`;
        assert.equal(base64Size(text) >= 0, ok, JSON.stringify(text));
      }
    }
  });

  it('gives the decoded size, with no, one or two padding characters', () => {
    for (const text of ['', 'QQ==', 'QUI=', 'QUJD', 'QUJDRA==', 'QUJDREU=', 'QUJDREVG']) {
      assert.equal(base64Size(text), Buffer.from(text, 'base64').length, text);
    }
  });

  it('refuses a length that is not a multiple of four, and padding anywhere but the end', () => {
    for (const text of ['Q', 'QQ', 'QUJ', 'QUJDR', 'QQ=', '=', '===', '====', 'Q===', '=QUJ', 'Q=UJ', 'QU=J', 'QQ==QUJD', 'QUI=QUJD']) {
      assert.equal(base64Size(text), -1, text);
    }
  });
});

describe('base64() schema', () => {
  const upTo3 = base64(3);
  it('accepts non-empty base64 up to the limit in decoded bytes', () => {
    for (const text of ['QQ==', 'QUI=', 'QUJD']) assert.equal(upTo3(text, 'data'), undefined, text);
  });
  it('refuses the empty string, a non-string and malformed text, naming the field', () => {
    for (const value of ['', 7, null, undefined, ['QQ=='], 'QQ', 'QQ=%']) assert.equal(upTo3(value, 'data'), 'data must be non-empty base64', String(value));
  });
  it('refuses one byte over the limit, however it is padded', () => {
    for (const text of ['QUJDRA==', 'QUJDREU=', 'QUJDREVG']) assert.equal(upTo3(text, 'data'), 'data is larger than 3 bytes', text);
    assert.equal(base64(4)('QUJDRA==', 'data'), undefined);
    assert.equal(base64(4)('QUJDREU=', 'data'), 'data is larger than 4 bytes');
  });
  it('refuses a string far over the limit by its size before reading it, whatever it holds', () => {
    for (const text of ['A'.repeat(4097), '!'.repeat(4096)]) assert.equal(base64(4)(text, 'data'), 'data is larger than 4 bytes', text.slice(0, 8));
    // The size bound is exact: 4 bytes take at most 8 characters, so 12 are refused by size, whatever they hold.
    assert.equal(base64(4)('!'.repeat(12), 'data'), 'data is larger than 4 bytes');
    assert.equal(base64(4)('!'.repeat(8), 'data'), 'data must be non-empty base64');
  });
});
