import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPinPolicy } from '../src/index.js';

describe('checkPinPolicy', () => {
  it('accepts 6-12 letters and digits that are not a pattern', () => {
    for (const pin of ['Demo2026', 'sb7x9k2', 'Kq4m8z1p3w5t', 'a1b9c7']) assert.equal(checkPinPolicy(pin), undefined, pin);
  });
  it('names each violation', () => {
    assert.equal(checkPinPolicy('a1b2c'), 'LENGTH');
    assert.equal(checkPinPolicy('a1b2c3d4e5f6g'), 'LENGTH');
    assert.equal(checkPinPolicy('ab12!@cd'), 'CHARACTERS');
    assert.equal(checkPinPolicy('张三12345'), 'CHARACTERS');
    assert.equal(checkPinPolicy('12345678'), 'COMPOSITION');
    assert.equal(checkPinPolicy('abcdefgh'), 'COMPOSITION');
  });
  it('refuses sequences, repeats and common passwords', () => {
    for (const pin of ['abc123', 'a123456', 'sb123456', 'aaa111', 'zyx987', 'x99999', 'Password1', 'cba321']) {
      assert.equal(checkPinPolicy(pin), 'WEAK', pin);
    }
  });
  it('refuses the birth date in either length', () => {
    assert.equal(checkPinPolicy('zq19491231', '19491231'), 'BIRTH_DATE');
    assert.equal(checkPinPolicy('k491231m', '19491231'), 'BIRTH_DATE');
    assert.equal(checkPinPolicy('k491231m'), undefined);
  });
});
