/**
 * A tiny schema language: each schema is the runtime check of a protocol value and carries, as a phantom type, the
 * TypeScript type of the values it accepts. The message types are inferred from the schemas ({@link Infer}), so a
 * field cannot be typed without also being checked. Hand-written rather than a library because the checks must
 * never throw on any input (null prototypes, BigInts, 4 MiB strings), must stay linear (no regular-expression
 * backtracking on base64), must name the failing path in their message, and ship in every page's bundle.
 */

/** A check returns nothing when the value is acceptable, or a message naming what is wrong. */
export type Check = (value: unknown, path: string) => string | undefined;

declare const OUTPUT: unique symbol;

/** A {@link Check} that accepts exactly the values of type `T`; `T` is a phantom, never present at run time. */
export interface Schema<T> {
  (value: unknown, path: string): string | undefined;
  /** Type-level only: what a value is once the check passed. */
  readonly [OUTPUT]?: T;
}

/** The type of the values a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Declares what a hand-written check accepts; the one place a check's type is asserted rather than built. */
export const custom = <T>(check: Check): Schema<T> => check;

/**
 * Decoded size of `text` when it is padded base64 (RFC 4648 alphabet, length a multiple of 4, at most two `=` at
 * the end), or -1 when it is not. One pass over the characters: a regular expression with a repeated group
 * backtracks recursively in V8 and overflows the stack on a few MiB, so a request the protocol allows would
 * throw instead of being answered.
 */
export function base64Size(text: string): number {
  const length = text.length;
  if (length % 4 !== 0) return -1;
  // charCodeAt past either end is NaN, so the empty string has no padding without a length check.
  const padding = text.charCodeAt(length - 1) === 0x3d ? (text.charCodeAt(length - 2) === 0x3d ? 2 : 1) : 0;
  for (let i = 0; i < length - padding; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return -1;
  }
  return (length / 4) * 3 - padding;
}

/** True for a plain object value (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of bounded length. */
export const str =
  (max = 1024, min = 0): Schema<string> =>
  (v, p) =>
    typeof v !== 'string'
      ? `${p} must be a string`
      : v.length < min || v.length > max
        ? `${p} must have ${min}-${max} characters`
        : undefined;

/** A non-empty base64 string of at most `maxBytes` decoded bytes. */
export const base64 =
  (maxBytes: number): Schema<string> =>
  (v, p) => {
    if (typeof v !== 'string' || v.length === 0) return `${p} must be non-empty base64`;
    // Size first: a string far over the limit is refused without reading it.
    if (v.length > Math.ceil(maxBytes / 3) * 4) return `${p} is larger than ${maxBytes} bytes`;
    const size = base64Size(v);
    if (size < 0) return `${p} must be non-empty base64`;
    return size > maxBytes ? `${p} is larger than ${maxBytes} bytes` : undefined;
  };

/** One of the listed literals; the type is their union. */
export const oneOf =
  <const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> =>
  (v, p) =>
    values.includes(v as T[number]) ? undefined : `${p} must be one of ${values.join(', ')}`;

/** A boolean. */
export const bool: Schema<boolean> = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);
/** An integer (a JSON number without a fraction). */
export const int: Schema<number> = (v, p) => (Number.isInteger(v) ? undefined : `${p} must be an integer`);

/** Accepts `undefined` or what `schema` accepts; in an {@link object} the field becomes optional. */
export const optional =
  <T>(schema: Schema<T>): Schema<T | undefined> =>
  (v, p) =>
    v === undefined ? undefined : schema(v, p);

/** An array whose every element passes `schema`, with at most `max` elements. */
export const arrayOf =
  <T>(schema: Schema<T>, max = 1000): Schema<T[]> =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    if (v.length > max) return `${p} must have at most ${max} items`;
    for (let i = 0; i < v.length; i++) {
      const error = schema(v[i], `${p}[${i}]`);
      if (error) return error;
    }
    return undefined;
  };

/** Field schemas of an {@link object}. */
export type Shape = Record<string, Schema<unknown>>;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The object type a {@link Shape} describes: a field whose schema accepts `undefined` is optional. */
export type ObjectOf<S extends Shape> = Flatten<
  { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Exclude<Infer<S[K]>, undefined>;
  }
>;

/**
 * An object whose listed fields pass their schemas, then `refine` (rules across fields). Unknown fields are
 * ignored, so a newer peer may add optional fields that an older one does not know yet (protocol rule: add, never
 * rename or remove).
 */
export const object =
  <S extends Shape>(shape: S, refine?: (v: ObjectOf<S>) => string | undefined): Schema<ObjectOf<S>> =>
  (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const key of Object.keys(shape)) {
      const error = shape[key]!(v[key], `${p}.${key}`);
      if (error) return error;
    }
    return refine?.(v as ObjectOf<S>);
  };
