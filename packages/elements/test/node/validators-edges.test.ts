// The validators at their edges: each bound, each normalisation and each branch of the age and check-character
// arithmetic, so that moving a bound by one or dropping a normalisation turns a case red. Check characters are
// computed here by an independent implementation of GB 11643 and GB 32100, not by the code under test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  creditCodeCheckCharacter,
  residentIdCheckCharacter,
  validateCardNumber,
  validateCreditCode,
  validateMobile,
  validatePersonName,
  validateResidentId,
} from '../../src/validators/index.js';

const TODAY = new Date(2026, 10, 29);

/** A resident ID with the given 17 first digits and its check character (ISO 7064 MOD 11-2). */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
  return first17 + '10X98765432'[sum % 11]!;
}

/** A resident ID of someone from Beijing born on `yyyymmdd`, with sequence digits `seq` (the last one tells the sex). */
const bornOn = (yyyymmdd: string, seq = '123') => residentId(`110105${yyyymmdd}${seq}`);

const codeOf = (result: { valid: true } | { valid: false; code: string }) => (result.valid ? 'OK' : result.code);

describe('validateResidentId at its edges', () => {
  it('tells the age in whole years: a birthday later this year, later this month, today, earlier this month', () => {
    const ageOn = (yyyymmdd: string) => {
      const result = validateResidentId(bornOn(yyyymmdd), { today: TODAY });
      assert.ok(result.valid, yyyymmdd);
      return result.age;
    };
    assert.equal(ageOn('20001230'), 25, 'a later month');
    assert.equal(ageOn('20001130'), 25, 'the same month, a later day');
    assert.equal(ageOn('20001129'), 26, 'the birthday itself');
    assert.equal(ageOn('20001128'), 26, 'the same month, an earlier day');
    assert.equal(ageOn('20001031'), 26, 'an earlier month, a later day of the month');
    assert.equal(ageOn('20000101'), 26, 'an earlier month');
  });

  it('accepts someone born today (age 0) and the first day of 1900, refuses tomorrow and 1899', () => {
    const today = validateResidentId(bornOn('20261129'), { today: TODAY });
    assert.equal(today.valid && today.age, 0);
    assert.equal(codeOf(validateResidentId(bornOn('20261130'), { today: TODAY })), 'BIRTH_DATE');
    assert.equal(codeOf(validateResidentId(bornOn('19000101'), { today: TODAY })), 'OK');
    assert.equal(codeOf(validateResidentId(bornOn('18991231'), { today: TODAY })), 'BIRTH_DATE');
  });

  it('refuses dates that do not exist: month 0 or 13, day 0 or 32, 29 February outside a leap year', () => {
    for (const date of ['20000001', '20001301', '20000100', '20000132', '19000229', '20100229', '20000431']) {
      assert.equal(codeOf(validateResidentId(bornOn(date), { today: TODAY })), 'BIRTH_DATE', date);
    }
    assert.equal(codeOf(validateResidentId(bornOn('20000229'), { today: TODAY })), 'OK', '2000 is a leap year');
  });

  it('accepts exactly the calendar dates: every month 00-99 and day 00-99 of a leap and a common year', () => {
    // Days per month by the Gregorian rule, independent of the Date arithmetic the validator uses.
    const daysIn = (year: number, month: number) =>
      month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
    for (const year of [1900, 1999, 2000, 2024]) {
      for (let month = 0; month < 100; month++) {
        for (let day = 0; day < 100; day++) {
          const date = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
          const real = month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
          assert.equal(codeOf(validateResidentId(bornOn(date), { today: TODAY })), real ? 'OK' : 'BIRTH_DATE', date);
        }
      }
    }
  });

  it('judges against the current date when no date is given', () => {
    assert.equal(codeOf(validateResidentId(bornOn('19800101'))), 'OK');
    assert.equal(codeOf(validateResidentId(bornOn('21000101'))), 'BIRTH_DATE');
    const adult = validateResidentId(bornOn('19800101'));
    assert.ok(adult.valid && adult.age >= 46);
  });

  it('applies a minimum age only when given one, and counts the birthday in', () => {
    const baby = bornOn('20261101');
    assert.equal(codeOf(validateResidentId(baby, { today: TODAY })), 'OK');
    assert.equal(codeOf(validateResidentId(baby, { today: TODAY, minimumAge: 0 })), 'OK');
    assert.equal(codeOf(validateResidentId(baby, { today: TODAY, minimumAge: 1 })), 'UNDER_AGE');
    assert.equal(codeOf(validateResidentId(bornOn('20081129'), { today: TODAY, minimumAge: 18 })), 'OK');
    assert.equal(codeOf(validateResidentId(bornOn('20081130'), { today: TODAY, minimumAge: 18 })), 'UNDER_AGE');
  });

  it('reads the sex from the 17th digit, odd for male and even for female, and the birth date from digits 7-14', () => {
    const female = validateResidentId(bornOn('19900315', '124'), { today: TODAY });
    assert.deepEqual(female, { valid: true, value: bornOn('19900315', '124'), birthDate: '19900315', sex: 'female', age: 36 });
    const male = validateResidentId(bornOn('19900315', '129'), { today: TODAY });
    assert.equal(male.valid && male.sex, 'male');
    const zero = validateResidentId(bornOn('19900315', '120'), { today: TODAY });
    assert.equal(zero.valid && zero.sex, 'female');
  });

  it('refuses a province that does not exist, and a city part of 00', () => {
    for (const prefix of ['10', '16', '20', '30', '40', '47', '55', '60', '66', '70', '72', '80', '84', '90', '99']) {
      assert.equal(codeOf(validateResidentId(residentId(`${prefix}0105199001011234`.slice(0, 17)), { today: TODAY })), 'REGION', prefix);
    }
    assert.equal(codeOf(validateResidentId(residentId('11000519900101123'), { today: TODAY })), 'REGION');
    assert.equal(codeOf(validateResidentId(residentId('11010019900101123'), { today: TODAY })), 'OK', 'only the city part is checked for 00');
    // Every province-level code of GB/T 2260, with 71 (Taiwan), 81/82 (Hong Kong, Macao) and 83 (Taiwan residents).
    const provinces = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83'];
    for (const prefix of provinces) {
      assert.equal(codeOf(validateResidentId(residentId(`${prefix}010519900101123`), { today: TODAY })), 'OK', prefix);
    }
  });

  it('refuses anything but 17 digits and a digit or X: letters, 19 characters, X inside, blanks inside', () => {
    const valid = bornOn('19900101');
    for (const id of [`${valid}0`, `A${valid.slice(1)}`, `${valid.slice(0, 5)}X${valid.slice(6)}`, `${valid.slice(0, 9)} ${valid.slice(9)}`, `${valid.slice(0, 17)}Y`]) {
      assert.equal(codeOf(validateResidentId(id, { today: TODAY })), 'FORMAT', id);
    }
    assert.equal(codeOf(validateResidentId(' \t ', { today: TODAY })), 'REQUIRED');
  });

  it('computes every check character, including X and 0', () => {
    assert.equal(residentIdCheckCharacter('11010519491231002'), 'X');
    assert.equal(residentIdCheckCharacter('11010520000229123'), '5');
    for (const first17 of ['11010520261129123', '11010520261128124', '44030820101129124', '11010519000101123', '11010520100228123']) {
      assert.equal(residentIdCheckCharacter(first17), residentId(first17).slice(17), first17);
    }
  });
});

describe('validateCreditCode at its edges', () => {
  it('computes the check character, including 0 (a sum divisible by 31) and Y (the last of the alphabet)', () => {
    assert.equal(creditCodeCheckCharacter('91110000600000014'), '0');
    assert.equal(creditCodeCheckCharacter('91110000600000004'), 'Y');
    assert.equal(creditCodeCheckCharacter('91440300MA5DC1234'), '1');
    assert.deepEqual(validateCreditCode('911100006000000140'), { valid: true, value: '911100006000000140' });
    assert.deepEqual(validateCreditCode('91110000600000004y'), { valid: true, value: '91110000600000004Y' });
  });

  it('refuses 19 characters, a blank-only input and letters outside the alphabet anywhere', () => {
    assert.equal(codeOf(validateCreditCode('91110000600037341L0')), 'FORMAT');
    assert.equal(codeOf(validateCreditCode('091110000600037341L')), 'FORMAT', 'an extra character in front');
    assert.equal(codeOf(validateCreditCode(' - ')), 'REQUIRED');
    for (const letter of ['I', 'O', 'S', 'V', 'Z']) assert.equal(codeOf(validateCreditCode(`9111000060003734${letter}L`)), 'FORMAT', letter);
    assert.equal(codeOf(validateCreditCode('9111000A600037341L')), 'FORMAT', 'the seventh character is in the division code');
    assert.equal(codeOf(validateCreditCode('9A110000600037341L')), 'CHECK_CHARACTER', 'the second character may be a letter');
  });
});

describe('contact fields at their edges', () => {
  it('mobile: only a leading +86 or 0086 is dropped; eleven digits starting 13-19', () => {
    assert.deepEqual(validateMobile('+8613800138000'), { valid: true, value: '13800138000' });
    assert.deepEqual(validateMobile('0086 13800138000'), { valid: true, value: '13800138000' });
    assert.deepEqual(validateMobile('\t138 0013 8000\n'), { valid: true, value: '13800138000' });
    for (const first of ['13', '15', '19']) assert.equal(validateMobile(`${first}800138000`).valid, true, first);
    for (const number of ['11800138000', '10800138000', '1380013800', '138001380001', '23800138000', '138+8600138000', '1380013800x', '86 13800138000']) {
      assert.deepEqual(validateMobile(number), { valid: false, code: 'FORMAT' }, number);
    }
    assert.deepEqual(validateMobile(' - '), { valid: false, code: 'REQUIRED' });
  });

  it('card number: 6 and 20 characters are accepted, 21 and punctuation are not; blanks only are required', () => {
    assert.deepEqual(validateCardNumber('abc123'), { valid: true, value: 'ABC123' });
    assert.deepEqual(validateCardNumber('1234567890 1234567890'), { valid: true, value: '12345678901234567890' });
    assert.deepEqual(validateCardNumber('123456789012345678901'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validateCardNumber('A12345.'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validateCardNumber('\t \n'), { valid: false, code: 'REQUIRED' });
    assert.deepEqual(validateCardNumber('\tA1234567\n8'), { valid: true, value: 'A12345678' });
  });

  it('name: trimmed, inner blanks collapsed, • and . become the middle dot; 2 to 50 characters', () => {
    assert.deepEqual(validatePersonName('  John   Smith '), { valid: true, value: 'John Smith' });
    assert.deepEqual(validatePersonName('阿卜杜•热合曼'), { valid: true, value: '阿卜杜·热合曼' });
    assert.deepEqual(validatePersonName("O'Neil-Smith"), { valid: true, value: "O'Neil-Smith" });
    assert.deepEqual(validatePersonName('Li'), { valid: true, value: 'Li' });
    assert.equal(validatePersonName('张'.repeat(50)).valid, true);
    assert.deepEqual(validatePersonName('张'.repeat(51)), { valid: false, code: 'FORMAT' });
    assert.equal(validatePersonName('A'.repeat(50)).valid, true);
    assert.deepEqual(validatePersonName('A'.repeat(51)), { valid: false, code: 'FORMAT' });
    for (const name of ['L', '·张三', '张三·', '张··三', 'Smith-', '-Smith', 'Zhang三', '张 三', '張三x', "'Neil"]) {
      assert.deepEqual(validatePersonName(name), { valid: false, code: 'FORMAT' }, name);
    }
    assert.equal(validatePersonName('㐀丂').valid, true, 'extension A characters');
    assert.equal(validatePersonName('豈更').valid, true, 'compatibility ideographs');
  });
});
