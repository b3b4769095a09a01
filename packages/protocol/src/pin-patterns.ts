/**
 * The shapes a guesser tries first, whatever the keyboard: runs of characters ("1234", "cba", "aaa"), a short part
 * repeated ("a1a1a1", "abcabc"), and two patterns interleaved ("a1b2c3d4"). Callers pass the password in lower
 * case, so that "Aa1Aa1" is the repeat it looks like.
 */

/** Splits into maximal runs whose steps are all +1, all -1, or all 0 ("1234", "cba", "aaa"). */
export function patternRuns(pin: string): string[] {
  const runs: string[] = [];
  let start = 0;
  let step: number | undefined;
  for (let i = 1; i <= pin.length; i++) {
    // Past the end charCodeAt gives NaN, which fits no run: the last run ends there.
    const d = pin.charCodeAt(i) - pin.charCodeAt(i - 1);
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

/** Whether the whole of `part` is one run ("123", "zyx", "kkk"). */
export function isRun(part: string): boolean {
  return patternRuns(part).length === 1;
}

/**
 * Whether the password is mostly one short part repeated: a stretch of it that holds some part at least twice over
 * ("a1a1a1", "abcabc", "12121": it may end part-way through the part) makes up at least three quarters of it. So
 * "a123123" (a + 123123) and "abcabc12" are refused; "ab1010" (1010 is two thirds of it) is not.
 */
export function isRepeatedUnit(pin: string): boolean {
  const n = pin.length;
  // A stretch of three quarters of the password starts in its first quarter.
  for (let start = 0; 4 * start <= n; start++) {
    for (let q = 1; start + 2 * q <= n; q++) {
      let end = start + q;
      // Past the end pin[end] is undefined, which ends the stretch.
      while (pin[end] === pin[end - q]) end++;
      const stretch = end - start;
      if (stretch >= 2 * q && 4 * stretch >= 3 * n) return true;
    }
  }
  return false;
}

/**
 * Whether the characters at even places and those at odd places each form a pattern that `isPattern` names:
 * "a1b2c3d4" is abcd and 1234 interleaved, "1q2w3e4r" is 1234 and qwer. Each half has at least 3 characters, since a
 * password has at least 6.
 */
export function interleaves(pin: string, isPattern: (half: string) => boolean): boolean {
  const chars = Array.from(pin);
  const even = chars.filter((_, i) => i % 2 === 0).join('');
  const odd = chars.filter((_, i) => i % 2 === 1).join('');
  return isPattern(even) && isPattern(odd);
}
