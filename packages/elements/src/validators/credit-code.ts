import { fail, ok, type Validation } from './result.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Why a Unified Social Credit Code is refused. */
export type CreditCodeError = 'REQUIRED' | 'FORMAT' | 'CHECK_CHARACTER';

/** The check character of the first 17 characters (GB 32100-2015, MOD 31). */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a Unified Social Credit Code (统一社会信用代码, GB 32100): 18 characters from the 31-character
 * alphabet (no I, O, S, V, Z), digits in the administrative-division part, and the check character. Spaces and
 * hyphens are dropped; the registration-authority prefix may be a letter.
 */
export function validateCreditCode(input: string): Validation<CreditCodeError> {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (!code) return fail('REQUIRED');
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return fail('FORMAT');
  if (creditCodeCheckCharacter(code) !== code[17]) return fail('CHECK_CHARACTER');
  return ok(code);
}
