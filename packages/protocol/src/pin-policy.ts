/**
 * The certificate password (证书密码) policy: 6-12 characters, letters and digits both (the seed), refusing
 * simple ones (the seed names 123456) and the holder's birth date. The components check it as the citizen types;
 * the agent checks it again wherever a PIN is set, so a page cannot weaken it.
 */
export type PinPolicyViolation = 'LENGTH' | 'CHARACTERS' | 'COMPOSITION' | 'WEAK' | 'BIRTH_DATE';

export const PIN_MIN_LENGTH = 6;
export const PIN_MAX_LENGTH = 12;

const COMMON = new Set(['abc123', 'abcd1234', 'a123456', 'a1b2c3', 'qwe123', 'qwer1234', 'password1', 'admin123', 'aa123456', 'woaini1314', 'asd123', 'zxc123']);

/** Splits into maximal runs whose steps are all +1, all -1, or all 0 ("1234", "cba", "aaa"). */
function patternRuns(pin: string): string[] {
  const runs: string[] = [];
  let start = 0;
  let step: number | undefined;
  for (let i = 1; i <= pin.length; i++) {
    const d = i < pin.length ? pin.charCodeAt(i) - pin.charCodeAt(i - 1) : NaN;
    const fits = Math.abs(d) <= 1 && (step === undefined || d === step);
    if (fits) {
      step = d;
      continue;
    }
    runs.push(pin.slice(start, i));
    start = i;
    step = undefined;
  }
  return runs;
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
  const runs = patternRuns(lower);
  if (COMMON.has(lower) || runs.length <= 2 || runs.some((run) => run.length >= 5)) return 'WEAK';
  if (birthDate && /^\d{8}$/.test(birthDate) && (lower.includes(birthDate) || lower.includes(birthDate.slice(2)))) {
    return 'BIRTH_DATE';
  }
  return undefined;
}
