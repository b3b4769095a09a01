import { str, type Schema } from './schema.js';

/**
 * Characters a name shown to a citizen must not hold: controls (C0, DEL, C1: NUL, tab, newline, escape), format
 * characters (bidi overrides and isolates such as U+202E, zero-width spaces and joiners, soft hyphen), line and
 * paragraph separators, and lone surrogates. Each either draws nothing or reorders what is drawn around it, so
 * "\u202e张三" would be listed as a different-looking name than the one stored, and NUL cuts the name short in C
 * code (a USB-Key's label). Private-use and not-yet-assigned code points are kept: rare characters of Chinese
 * names (生僻字) are encoded in the private-use area by some systems, or assigned in a newer Unicode version than
 * the browser's or the agent's.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** True when `text` holds a control, bidi, zero-width or other invisible character (see the rule above). */
export function hasInvisibleCharacters(text: string): boolean {
  return INVISIBLE.test(text);
}

/**
 * A name shown to people (a software token's holder, a USB-Key's label): `min`-`max` characters, not only spaces,
 * and no invisible characters. The agent checks it for every request and a page can check the same before it
 * asks, so both refuse the same names.
 */
export const labelSchema =
  (max: number, min = 1): Schema<string> =>
  (v, p) => {
    const problem = str(max, min)(v, p);
    if (problem) return problem;
    const text = v as string;
    if (text.length > 0 && text.trim() === '') return `${p} must not be only spaces`;
    return hasInvisibleCharacters(text) ? `${p} must not contain control, bidi or other invisible characters` : undefined;
  };
