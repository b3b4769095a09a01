/**
 * The certificate password (证书密码) policy: 6-12 characters, letters and digits both (the seed), refusing
 * simple ones (the seed names 123456: sequences, repeats, keyboard walks, common passwords) and the holder's birth
 * date. The components check it as the citizen types; the agent checks it again wherever a PIN is set, so a page
 * cannot weaken it. The agent does not know the holder's birth date: that rule is the page's alone.
 */
import { isKeyboardWalk, isWalk } from './pin-keyboard.js';
import { interleaves, isRepeatedUnit, isRun, patternRuns } from './pin-patterns.js';

/**
 * What is wrong with a new password. `WEAK`: a sequence or a run ("123456", "abc123", "aaa111", "a1b2c3d4") or a
 * common password; `REPEATED`: mostly one short part repeated ("a1a1a1", "Aa1Aa1", "abcabc1", "a123123");
 * `KEYBOARD`: a keyboard walk ("qwerty1", "1qaz2wsx", "zxcvbn1", "1q2w3e4r").
 */
export type PinPolicyViolation = 'LENGTH' | 'CHARACTERS' | 'COMPOSITION' | 'WEAK' | 'REPEATED' | 'KEYBOARD' | 'BIRTH_DATE';

export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

/**
 * Common passwords that are no pattern, each refused as it is: a pattern ("abc123", "qwe123", "a1b2c3") needs no
 * place here. 5201314 and 520 read 我爱你一生一世 and 我爱你; woaini is 我爱你 in pinyin.
 */
const COMMON = new Set(['password1', 'admin123', 'iloveyou1', 'woaini1314', 'woaini520', 'a5201314', '5201314a']);

/**
 * Which simple shape `lower` (the password in lower case) has, if any. Repeats are named before interleaved runs:
 * "a1a1a1" interleaves "aaa" and "111", but "a repeated part" tells the citizen better what to avoid.
 */
function simpleShape(lower: string): PinPolicyViolation | undefined {
  const runs = patternRuns(lower);
  if (COMMON.has(lower) || runs.length <= 2 || runs.some((run) => run.length >= 5)) return 'WEAK';
  if (isRepeatedUnit(lower)) return 'REPEATED';
  if (interleaves(lower, isRun)) return 'WEAK';
  if (isKeyboardWalk(lower) || interleaves(lower, isWalk)) return 'KEYBOARD';
  return undefined;
}

/**
 * Checks a PIN against the policy. `birthDate` (YYYYMMDD, from the resident ID) adds the birth-date rule.
 * Returns the first violation, or undefined when the PIN is acceptable.
 */
export function checkPinPolicy(pin: string, birthDate?: string): PinPolicyViolation | undefined {
  if (pin.length < PIN_MIN_LENGTH || pin.length > PIN_MAX_LENGTH) return 'LENGTH';
  if (!/^[A-Za-z0-9]+$/.test(pin)) return 'CHARACTERS';
  if (!/[A-Za-z]/.test(pin) || !/\d/.test(pin)) return 'COMPOSITION';
  const lower = pin.toLowerCase();
  const shape = simpleShape(lower);
  if (shape) return shape;
  if (birthDate && /^\d{8}$/.test(birthDate) && (lower.includes(birthDate) || lower.includes(birthDate.slice(2)))) {
    return 'BIRTH_DATE';
  }
  return undefined;
}
