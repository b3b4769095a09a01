/** Outcome of a validator: the normalised value, or a stable code naming what is wrong. */
export type Validation<Code extends string, Extra = object> = ({ valid: true; value: string } & Extra) | { valid: false; code: Code };

export const ok = <Extra extends object>(value: string, extra?: Extra) => ({ valid: true as const, value, ...(extra as Extra) });
export const fail = <Code extends string>(code: Code) => ({ valid: false as const, code });
