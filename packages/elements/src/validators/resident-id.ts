import { fail, ok, type Validation } from './result.js';

/**
 * Province-level division codes of GB/T 2260 (the first two digits of every resident ID), including 83
 * (Taiwan residents' mainland IDs) and 81/82 (Hong Kong, Macao). The full six-digit table, with historical
 * codes that people keep for life, changes yearly; portals that need it check it server-side.
 */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Why an ID number is refused. */
export type ResidentIdError = 'REQUIRED' | 'FORMAT' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT' | 'UNDER_AGE';

/** What a valid ID number tells. */
export interface ResidentIdInfo {
  /** YYYYMMDD. */
  birthDate: string;
  sex: 'male' | 'female';
  /** Whole years at the reference date. */
  age: number;
}

/** The check character of the first 17 digits (GB 11643-1999, ISO 7064 MOD 11-2). */
export function residentIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

function ageAt(year: number, month: number, day: number, at: Date): number {
  let age = at.getFullYear() - year;
  if (at.getMonth() + 1 < month || (at.getMonth() + 1 === month && at.getDate() < day)) age--;
  return age;
}

/**
 * Validates an 18-character resident ID number (GB 11643): format, province code, a real birth date between
 * 1900-01-01 and `today`, the check character, and — when `minimumAge` is given — the age at `today`.
 * Lower-case x is accepted and normalised to X.
 */
export function validateResidentId(input: string, options: { today?: Date; minimumAge?: number } = {}): Validation<ResidentIdError, ResidentIdInfo> {
  const id = input.trim().toUpperCase();
  if (!id) return fail('REQUIRED');
  if (!/^\d{17}[\dX]$/.test(id)) return fail('FORMAT');
  if (!PROVINCES.has(id.slice(0, 2)) || id.slice(2, 4) === '00') return fail('REGION');
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const date = new Date(year, month - 1, day);
  const today = options.today ?? new Date();
  // A month or day out of range rolls the date into another month (a day is at most 99, so never into the same
  // month of another year): the month alone tells a real date.
  if (date.getMonth() !== month - 1 || year < 1900 || date > today) {
    return fail('BIRTH_DATE');
  }
  if (residentIdCheckCharacter(id) !== id[17]) return fail('CHECK_DIGIT');
  const age = ageAt(year, month, day, today);
  if (options.minimumAge !== undefined && age < options.minimumAge) return fail('UNDER_AGE');
  return ok(id, { birthDate: id.slice(6, 14), sex: Number(id[16]) % 2 === 1 ? ('male' as const) : ('female' as const), age });
}
