// The PIN policy at its edges: each common password the list names (none is a pattern, so only the list
// refuses them), the length bounds, where a pattern run starts and ends, and both forms of the birth date.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPinPolicy, PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../src/index.js';

describe('checkPinPolicy at its edges', () => {
  it('accepts 6 and 12 characters, refuses 5 and 13', () => {
    assert.equal(PIN_MIN_LENGTH, 6);
    assert.equal(PIN_MAX_LENGTH, 12);
    assert.equal(checkPinPolicy('k7m2q9'), undefined);
    assert.equal(checkPinPolicy('k7m2q9w4r8t1'), undefined);
    assert.equal(checkPinPolicy('k7m2q'), 'LENGTH');
    assert.equal(checkPinPolicy('k7m2q9w4r8t1x'), 'LENGTH');
    assert.equal(checkPinPolicy(''), 'LENGTH');
  });

  it('does not count a zig-zag as one run: a run keeps one step, +1, -1 or 0, all along', () => {
    // "12101" steps +1, -1, -1, +1: three runs, no sequence (a zig-zag that repeats, "12121", is REPEATED).
    for (const pin of ['k12101', 'z98789', 'ab1012', 'aB3234']) assert.equal(checkPinPolicy(pin), undefined, pin);
    assert.equal(checkPinPolicy('k12345'), 'WEAK', 'while one step all along is');
  });

  it('refuses each listed common password, in any case, though none is a pattern', () => {
    for (const pin of ['password1', 'admin123', 'iloveyou1', 'woaini1314', 'woaini520', 'a5201314', '5201314a']) {
      assert.equal(checkPinPolicy(pin), 'WEAK', pin);
      assert.equal(checkPinPolicy(pin.toUpperCase()), 'WEAK', pin.toUpperCase());
    }
    assert.equal(checkPinPolicy('woaini521'), undefined, 'a near miss of a listed one');
    assert.equal(checkPinPolicy('a1b2c4'), undefined, 'nor is a near miss of a pattern');
  });

  it('still refuses what the list named before the patterns took it over, each by its pattern', () => {
    for (const pin of ['abc123', 'abcd1234', 'a123456', 'aa123456', 'a1b2c3']) assert.equal(checkPinPolicy(pin), 'WEAK', pin);
    for (const pin of ['qwe123', 'qwer1234', 'asd123', 'zxc123']) assert.equal(checkPinPolicy(pin), 'KEYBOARD', pin);
  });

  it('refuses a run of 5 anywhere, accepts runs of 4; a pattern needs every step alike', () => {
    assert.equal(checkPinPolicy('q12345z'), 'WEAK', 'ascending, inside');
    assert.equal(checkPinPolicy('q7z54321'), 'WEAK', 'descending, at the end');
    assert.equal(checkPinPolicy('mmmmm7q'), 'WEAK', 'repeated, at the start');
    assert.equal(checkPinPolicy('q1234z8m'), undefined, 'a run of 4 is allowed');
    assert.equal(checkPinPolicy('q7z4321m'), undefined);
    assert.equal(checkPinPolicy('a1212z8'), undefined, 'alternating steps are no pattern');
    assert.equal(checkPinPolicy('q13579z'), undefined, 'steps of 2 are no pattern');
  });

  it('refuses a PIN made of two runs, accepts three', () => {
    assert.equal(checkPinPolicy('zyx1234'), 'WEAK');
    assert.equal(checkPinPolicy('m9876'), 'LENGTH');
    assert.equal(checkPinPolicy('qp9876'), 'WEAK');
    assert.equal(checkPinPolicy('ab1234z'), undefined);
  });

  it('checks the order of the rules: length, characters, composition, weakness, birth date', () => {
    assert.equal(checkPinPolicy('!!!!!'), 'LENGTH');
    assert.equal(checkPinPolicy('!1234567'), 'CHARACTERS');
    assert.equal(checkPinPolicy('a b1c2d3'), 'CHARACTERS');
    assert.equal(checkPinPolicy('111111'), 'COMPOSITION');
    assert.equal(checkPinPolicy('abc123', '19900101'), 'WEAK');
  });

  it('refuses the birth date as YYYYMMDD or YYMMDD anywhere, and ignores a birth date that is not 8 digits', () => {
    assert.equal(checkPinPolicy('19900315kq', '19900315'), 'BIRTH_DATE');
    assert.equal(checkPinPolicy('K900315Q', '19900315'), 'BIRTH_DATE');
    assert.equal(checkPinPolicy('kq900315', '19900315'), 'BIRTH_DATE');
    assert.equal(checkPinPolicy('kq900316', '19900315'), undefined);
    assert.equal(checkPinPolicy('kq900315', '1990031'), undefined);
    assert.equal(checkPinPolicy('kq900315', '19900315x'), undefined);
    assert.equal(checkPinPolicy('kq900315', 'x19900315'), undefined);
    assert.equal(checkPinPolicy('kq900315', ''), undefined);
    assert.equal(checkPinPolicy('k9900315q', 'x19900315'), undefined, 'a birth date with a prefix is not 8 digits');
    assert.equal(checkPinPolicy('k9003159q', '199003159'), undefined, 'nor one with a suffix');
  });
});
