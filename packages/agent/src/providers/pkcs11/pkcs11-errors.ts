import { AgentError, Reason } from '@sicert/protocol';

// PKCS#11 return values the agent tells apart (PKCS#11 v2.40 §3.6).
export const CKR = {
  SLOT_ID_INVALID: 0x03,
  DEVICE_ERROR: 0x30,
  DEVICE_MEMORY: 0x31,
  DEVICE_REMOVED: 0x32,
  KEY_HANDLE_INVALID: 0x60,
  MECHANISM_INVALID: 0x70,
  PIN_INCORRECT: 0xa0,
  PIN_INVALID: 0xa1,
  PIN_LEN_RANGE: 0xa2,
  PIN_LOCKED: 0xa4,
  SESSION_CLOSED: 0xb0,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
  USER_ALREADY_LOGGED_IN: 0x100,
  USER_NOT_LOGGED_IN: 0x101,
  CRYPTOKI_ALREADY_INITIALIZED: 0x191,
} as const;

/**
 * The CK_RV of a pkcs11js error, if it is one. pkcs11js 2.1 throws C_FindObjects failures unwrapped, without
 * `code`: their message (`CKR_DEVICE_REMOVED:50`) still carries it.
 */
export function ckrOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && code !== 0) return code;
  const match = error instanceof Error ? /\bCKR_\w+:(\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : typeof code === 'number' ? code : undefined;
}

/**
 * Maps a PKCS#11 failure to an AgentError. The PIN never reaches this function, so it cannot leak into the
 * message; the message names the CKR for the agent's log.
 */
export function toAgentError(error: unknown, operation: string): AgentError {
  if (error instanceof AgentError) return error;
  const rv = ckrOf(error);
  const name = error instanceof Error ? error.message.split(/[\s:]/)[0] : String(error);
  switch (rv) {
    case CKR.PIN_INCORRECT:
    case CKR.PIN_INVALID:
    case CKR.PIN_LEN_RANGE:
      return new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect');
    case CKR.PIN_LOCKED:
      return new AgentError(Reason.PIN_LOCKED, 'the PIN is locked');
    case CKR.TOKEN_NOT_PRESENT:
    case CKR.DEVICE_REMOVED:
    case CKR.SESSION_HANDLE_INVALID:
    case CKR.SESSION_CLOSED:
    case CKR.SLOT_ID_INVALID:
      return new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed');
    case CKR.DEVICE_ERROR:
    case CKR.DEVICE_MEMORY:
      return new AgentError(Reason.TOKEN_ERROR, `the USB-Key reported a fault during ${operation} (${name ?? 'device error'})`);
    case CKR.MECHANISM_INVALID:
      return new AgentError(Reason.UNSUPPORTED_ALGORITHM, `the USB-Key does not support this algorithm (${operation})`);
    default:
      return new AgentError(Reason.INTERNAL, `${operation} failed: ${name ?? 'unknown error'}`, { cause: error });
  }
}
