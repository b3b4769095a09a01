// The simple passwords a security review found accepted (issue 8): a part repeated, a keyboard walk, two patterns
// interleaved. Each row names the violation exactly, in any letter case; the accepted rows are the near misses
// that pin where each rule stops, and passwords like the ones citizens (and this repo's tests) use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPinPolicy, type PinPolicyViolation } from '../src/index.js';

type Row = readonly [pin: string, expected: PinPolicyViolation | undefined, why: string];

const REPEATED: Row[] = [
  ['a1a1a1', 'REPEATED', 'a1 three times'],
  ['Aa1Aa1', 'REPEATED', 'aa1 twice, whatever the case; the part is half the password'],
  ['abcabc1', 'REPEATED', 'abc twice and a digit'],
  ['a123123', 'REPEATED', 'a and 123 twice'],
  ['k12121', 'REPEATED', 'a stretch may end part-way through the part'],
  ['z98989', 'REPEATED', 'likewise, descending'],
  ['abcabc12', 'REPEATED', 'the stretch is exactly three quarters'],
  ['k9a1ba1b', 'REPEATED', 'three quarters, starting at the end of the first quarter'],
  ['x1y2x1y2', 'REPEATED', 'a part of four, twice'],
  ['Ma062062', 'REPEATED', 'two letters and 062 twice'],
  ['qweqwe1', 'REPEATED', 'a repeated walk is named for the repeat'],
  ['k12121x', undefined, 'the stretch is five of seven, under three quarters'],
  ['k9a1ba1bz', undefined, 'six of nine, under three quarters'],
  ['ab1010', undefined, 'four of six'],
  ['abcab1', undefined, 'abcab holds abc less than twice'],
];

const KEYBOARD: Row[] = [
  ['qwerty1', 'KEYBOARD', 'along the top row, and a key after'],
  ['zxcvbn1', 'KEYBOARD', 'along the bottom row'],
  ['ytrewq1', 'KEYBOARD', 'along a row, leftwards'],
  ['1qaz2wsx', 'KEYBOARD', 'down two columns'],
  ['zaq12wsx', 'KEYBOARD', 'up one column, down the next'],
  ['qazwsx1', 'KEYBOARD', 'two columns without their digits'],
  ['asdf1234', 'KEYBOARD', 'the home row, then the digits'],
  ['qwe123', 'KEYBOARD', 'walks of three'],
  ['asd123', 'KEYBOARD', 'walks of three'],
  ['zxc123', 'KEYBOARD', 'walks of three'],
  ['qwer1234', 'KEYBOARD', 'walks of four'],
  ['zse4xdr5', 'KEYBOARD', 'up the other diagonal'],
  ['4esz5rdx', 'KEYBOARD', 'down the other diagonal'],
  ['qwerfv1', 'KEYBOARD', 'along, then down: qwe + rfv'],
  ['x1qaz2wsx', 'KEYBOARD', 'one key before the walks'],
  ['1qaz2wsx3', 'KEYBOARD', 'one key after them'],
  ['Li67890', 'KEYBOARD', 'a walk of five at the end'],
  ['k09876m', 'KEYBOARD', 'a walk of five inside'],
  ['1q2w3e4r', 'KEYBOARD', 'two walks interleaved'],
  ['q1w2e3r4', 'KEYBOARD', 'the same, letters first'],
  ['1q2w3e', 'KEYBOARD', 'the shortest interleaving'],
  ['147258a', 'KEYBOARD', 'up keypad columns'],
  ['741852a', 'KEYBOARD', 'down keypad columns'],
  ['159357a', 'KEYBOARD', 'up the keypad diagonals'],
  ['753951a', 'KEYBOARD', 'down the keypad diagonals'],
  ['k7410852', 'KEYBOARD', 'the keypad 0 is under 1'],
  ['Zhang1qaz', undefined, 'a walk of four beside a name is allowed, as a run of four is'],
  ['kq1qaz2wsx', undefined, 'two keys before the walks'],
  ['1qaz2wsxkq', undefined, 'two keys after them'],
  ['0987ab', undefined, 'a walk of four and two letters'],
  ['1q2w3x', undefined, 'qwx is no walk'],
];

const INTERLEAVED: Row[] = [
  ['a1b2c3d4', 'WEAK', 'abcd and 1234 interleaved'],
  ['1a2b3c', 'WEAK', '123 and abc'],
  ['x7x8x9', 'WEAK', 'a letter repeated, and 789'],
  ['k1k2k3', 'WEAK', 'the same, letters first'],
  ['k1m2x3', undefined, 'only the odd places run'],
  ['1k2m3x', undefined, 'only the even places run'],
];

const ACCEPTED: Row[] = ['Zhang2468x', 'Li5830qa', 'k9Tm4pQ2', 'Home2468x', 'Card2468x', 'Nova2468x', 'Demo2026', 'Hall2468So', 'Li4pass88x', 'Secret7531x', 'Zs7k2m9q', 'Wrong2468x', 'Ukey2468', 'Zhang1357y', 'So13579x'].map(
  (pin) => [pin, undefined, 'a citizen-style password'] as const,
);

/** Each row as typed, in capitals and in small letters: the pattern rules ignore the case. */
function check(rows: Row[]): void {
  for (const [pin, expected, why] of rows) {
    for (const typed of [pin, pin.toUpperCase(), pin.toLowerCase()]) assert.equal(checkPinPolicy(typed), expected, `${typed}: ${why}`);
  }
}

describe('checkPinPolicy: the simple passwords of the security review', () => {
  it('refuses the reviewer’s finds, each with its violation', () => {
    const found: Record<string, PinPolicyViolation> = { Aa1Aa1: 'REPEATED', a1a1a1: 'REPEATED', a123123: 'REPEATED', abcabc1: 'REPEATED', qwerty1: 'KEYBOARD', '1qaz2wsx': 'KEYBOARD', zxcvbn1: 'KEYBOARD' };
    for (const [pin, violation] of Object.entries(found)) assert.equal(checkPinPolicy(pin), violation, pin);
    assert.equal(checkPinPolicy('123456'), 'COMPOSITION');
    assert.equal(checkPinPolicy('abc123'), 'WEAK');
    assert.equal(checkPinPolicy('１２３abc'), 'CHARACTERS', 'full-width digits');
  });
  it('refuses a part repeated over three quarters of the password, and no less', () => check(REPEATED));
  it('refuses keyboard walks in every direction, on the main keys and the keypad', () => check(KEYBOARD));
  it('refuses two runs interleaved', () => check(INTERLEAVED));
  it('accepts citizen-style passwords, those of the suite among them', () => check(ACCEPTED));
  it('names the pattern before the birth date', () => {
    assert.equal(checkPinPolicy('a1a1a1', '19491231'), 'REPEATED');
    assert.equal(checkPinPolicy('qwerty1', '19491231'), 'KEYBOARD');
    assert.equal(checkPinPolicy('Li491231q', '19491231'), 'BIRTH_DATE');
  });
});
