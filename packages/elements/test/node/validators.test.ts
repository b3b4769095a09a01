// The validators are pure functions: tested in Node. Vectors were computed with an independent
// implementation (Python) of GB 11643 and GB 32100, and include the 'X' check characters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCardNumber, validateCreditCode, validateMobile, validatePersonName, validateResidentId } from '../../src/validators/index.js';

const TODAY = new Date(2026, 10, 29);

describe('validateResidentId', () => {
  it('accepts valid numbers, including check character X and a lower-case x', () => {
    for (const id of ['11010519491231002X', '360426199101010071', '650102190001019870']) assert.equal(validateResidentId(id, { today: TODAY }).valid, true, id);
    const lower = validateResidentId(' 11010519491231002x ', { today: TODAY });
    assert.deepEqual(lower, { valid: true, value: '11010519491231002X', birthDate: '19491231', sex: 'female', age: 76 });
    const male = validateResidentId('360426199101010071', { today: TODAY });
    assert.equal(male.valid && male.sex, 'male');
  });
  it('names what is wrong', () => {
    const code = (id: string, minimumAge?: number) => {
      const r = validateResidentId(id, minimumAge === undefined ? { today: TODAY } : { today: TODAY, minimumAge });
      return r.valid ? 'OK' : r.code;
    };
    assert.equal(code(''), 'REQUIRED');
    assert.equal(code('11010519491231002'), 'FORMAT');
    assert.equal(code('1101051949123100XX'), 'FORMAT');
    assert.equal(code('99010519491231002X'), 'REGION');
    assert.equal(code('11010520100229000X'), 'BIRTH_DATE'); // 2010 is not a leap year
    assert.equal(code('110105189912310020'), 'BIRTH_DATE'); // before 1900
    assert.equal(code('110105203001010000'), 'BIRTH_DATE'); // in the future
    assert.equal(code('110105194912310021'), 'CHECK_DIGIT'); // should be X
    assert.equal(code('36042619910101007X'), 'CHECK_DIGIT'); // should be 1
  });
  it('refuses applicants under 16 on the application date, and accepts them on their 16th birthday', () => {
    // The check character is computed here independently of the code under test.
    const born = (yyyymmdd: string) => {
      const first17 = `440308${yyyymmdd}123`;
      const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      let sum = 0;
      for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!;
      return first17 + '10X98765432'[sum % 11]!;
    };
    // born 2010-11-30: 15 on 2026-11-29
    const under = validateResidentId(born('20101130'), { today: TODAY, minimumAge: 16 });
    assert.deepEqual(under, { valid: false, code: 'UNDER_AGE' });
    const birthday = validateResidentId(born('20101129'), { today: TODAY, minimumAge: 16 });
    assert.equal(birthday.valid && birthday.age, 16);
  });
});

describe('validateCreditCode', () => {
  it('accepts valid codes, letters in the authority prefix and an X check character', () => {
    for (const c of ['91110000600037341L', '91440300MA5DC12341', 'Y1110000MB1234567M', '12100000400000123X']) assert.equal(validateCreditCode(c).valid, true, c);
    assert.deepEqual(validateCreditCode('9111 0000-6000 3734 1l'), { valid: true, value: '91110000600037341L' });
  });
  it('names what is wrong', () => {
    const code = (c: string) => {
      const r = validateCreditCode(c);
      return r.valid ? 'OK' : r.code;
    };
    assert.equal(code(''), 'REQUIRED');
    assert.equal(code('91110000600037341'), 'FORMAT');
    assert.equal(code('9111000060003734IL'), 'FORMAT'); // I is not in the alphabet
    assert.equal(code('91AB0000600037341L'), 'FORMAT'); // division code must be digits
    assert.equal(code('91110000600037341N'), 'CHECK_CHARACTER');
    assert.equal(code('12100000400000123Y'), 'CHECK_CHARACTER');
  });
});

describe('validateMobile, validateCardNumber, validatePersonName', () => {
  it('mobile: normalises +86, spaces and hyphens; refuses landlines and 12-prefixes', () => {
    assert.deepEqual(validateMobile('+86 138-0013-8000'), { valid: true, value: '13800138000' });
    assert.equal(validateMobile('008619912345678').valid, true);
    assert.deepEqual(validateMobile('12800138000'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validateMobile('010-88886666'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validateMobile(''), { valid: false, code: 'REQUIRED' });
  });
  it('card number: letters and digits, 6-20', () => {
    assert.deepEqual(validateCardNumber('a1234567 8'), { valid: true, value: 'A12345678' });
    assert.deepEqual(validateCardNumber('12345'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validateCardNumber('A1234-5678'), { valid: false, code: 'FORMAT' });
  });
  it('name: Chinese with a middle dot, or Latin', () => {
    assert.equal(validatePersonName('张三').valid, true);
    assert.deepEqual(validatePersonName('阿卜杜.热合曼'), { valid: true, value: '阿卜杜·热合曼' });
    assert.equal(validatePersonName('John Smith').valid, true);
    assert.deepEqual(validatePersonName('张'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validatePersonName('张三3'), { valid: false, code: 'FORMAT' });
    assert.deepEqual(validatePersonName('  '), { valid: false, code: 'REQUIRED' });
  });
});
