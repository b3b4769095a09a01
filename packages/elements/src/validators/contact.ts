import { fail, ok, type Validation } from './result.js';

/** Why a mobile number is refused. */
export type MobileError = 'REQUIRED' | 'FORMAT';

/** Validates a mainland mobile number; spaces, hyphens and a +86/0086 prefix are dropped. */
export function validateMobile(input: string): Validation<MobileError> {
  let number = input.replace(/[\s-]/g, '');
  if (!number) return fail('REQUIRED');
  number = number.replace(/^(?:\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(number) ? ok(number) : fail('FORMAT');
}

/** Why a social-security card number is refused. */
export type CardNumberError = 'REQUIRED' | 'FORMAT';

/**
 * Validates a social-security card number (社保卡卡号). Issuers assign it and change it on reissue, so only its
 * form is checked: 6-20 letters and digits (typically 9).
 */
export function validateCardNumber(input: string): Validation<CardNumberError> {
  const number = input.replace(/\s/g, '').toUpperCase();
  if (!number) return fail('REQUIRED');
  return /^[A-Z0-9]{6,20}$/.test(number) ? ok(number) : fail('FORMAT');
}

/** Why a name is refused. */
export type NameError = 'REQUIRED' | 'FORMAT';

/**
 * Validates a person's name as it stands on the ID card: Chinese characters with an optional middle dot
 * (minority names, 阿卜杜·热合曼), or a Latin name for foreign permanent residents; 2-50 characters.
 */
export function validatePersonName(input: string): Validation<NameError> {
  const name = input.trim().replace(/\s+/g, ' ').replace(/[.•]/g, '·');
  if (!name) return fail('REQUIRED');
  const chinese = /^[\u3400-\u9fff\uf900-\ufaff]+(?:·[\u3400-\u9fff\uf900-\ufaff]+)*$/u;
  const latin = /^[A-Za-z][A-Za-z' -]*[A-Za-z]$/;
  return name.length >= 2 && name.length <= 50 && (chinese.test(name) || latin.test(name)) ? ok(name) : fail('FORMAT');
}
