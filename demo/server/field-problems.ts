import type { Response } from 'express';
import type { NameError, ResidentIdError } from '@sicert/elements/validators';
import type { ErrorDetail } from './api-errors.js';

/**
 * What is wrong with a name or an ID number typed at the counter, zh-CN then English, per validator code of
 * `@sicert/elements/validators`: the field and the reason, so staff know what to look at on the card.
 */
const FIELD_PROBLEMS = {
  name: {
    REQUIRED: ['请填写姓名。', 'Enter the name.'],
    FORMAT: ['姓名格式不正确：须与身份证上一致（2-50个汉字，少数民族姓名可含“·”；外国人为拉丁字母）。', 'The name is malformed: type it as on the ID card (2-50 Chinese characters, with “·” in some minority names; Latin letters for foreigners).'],
  },
  idNumber: {
    REQUIRED: ['请填写身份证号。', 'Enter the ID number.'],
    FORMAT: ['身份证号格式不正确：须为18位，前17位是数字，最后一位是数字或X。', 'The ID number is malformed: 18 characters, 17 digits and a last digit or X.'],
    REGION: ['身份证号前6位的地区码不正确，请核对。', 'The region code (the first 6 digits) of the ID number is wrong; check it.'],
    BIRTH_DATE: ['身份证号第7-14位的出生日期不正确，请核对。', 'The birth date (digits 7-14) of the ID number is wrong; check it.'],
    CHECK_DIGIT: ['身份证号校验位不正确：请核对最后一位（可能是X）和前面各位。', 'The check character of the ID number is wrong: check the last character (it may be X) and the others.'],
    UNDER_AGE: ['申请人须年满16周岁。', 'The applicant must be at least 16.'],
  },
} as const satisfies { name: Record<NameError, ErrorDetail>; idNumber: Record<ResidentIdError, ErrorDetail> };

type Field = keyof typeof FIELD_PROBLEMS;

/**
 * `422 INVALID_FIELD` for `field`, with the validator's code as `reason` and its message in both languages in place
 * of the general "信息格式不正确。": `{ error, field, reason, message, messageEn }`.
 */
export function sendInvalidField<F extends Field>(res: Response, field: F, reason: keyof (typeof FIELD_PROBLEMS)[F]): void {
  const [message, messageEn] = FIELD_PROBLEMS[field][reason] as ErrorDetail;
  res.status(422).json({ error: 'INVALID_FIELD', field, reason, message, messageEn });
}
