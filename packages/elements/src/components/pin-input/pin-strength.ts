import { checkPinPolicy } from '@sicert/protocol';

/** How far a new password meets the policy: nothing typed, refused, acceptable, or acceptable and long. */
export type PinStrength = 'empty' | 'refused' | 'ok' | 'strong';

/** An acceptable password this long counts as strong: each character past the policy's minimum of 6 multiplies the guesses. */
const STRONG_LENGTH = 10;

/** The meter's reading of `pin` against `checkPinPolicy` (the policy the agent enforces again). */
export function pinStrength(pin: string, birthDate?: string): PinStrength {
  if (!pin) return 'empty';
  if (checkPinPolicy(pin, birthDate)) return 'refused';
  return pin.length >= STRONG_LENGTH ? 'strong' : 'ok';
}
