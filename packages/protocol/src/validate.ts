import type { Method, RpcErrorObject, RpcRequest, RpcResponse } from './messages.js';

/** A check returns nothing when the value is acceptable, or a message naming what is wrong. */
export type Check = (value: unknown, path: string) => string | undefined;

/**
 * Decoded size of `text` when it is padded base64 (RFC 4648 alphabet, length a multiple of 4, at most two `=` at
 * the end), or -1 when it is not. One pass over the characters: a regular expression with a repeated group
 * backtracks recursively in V8 and overflows the stack on a few MiB, so a request the protocol allows would
 * throw instead of being answered.
 */
export function base64Size(text: string): number {
  const length = text.length;
  if (length % 4 !== 0) return -1;
  const padding = length >= 1 && text.charCodeAt(length - 1) === 0x3d ? (length >= 2 && text.charCodeAt(length - 2) === 0x3d ? 2 : 1) : 0;
  for (let i = 0; i < length - padding; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return -1;
  }
  return (length / 4) * 3 - padding;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of bounded length. */
export const str =
  (max = 1024, min = 0): Check =>
  (v, p) =>
    typeof v !== 'string'
      ? `${p} must be a string`
      : v.length < min || v.length > max
        ? `${p} must have ${min}-${max} characters`
        : undefined;

/** A non-empty base64 string of at most `maxBytes` decoded bytes. */
export const base64 =
  (maxBytes: number): Check =>
  (v, p) => {
    if (typeof v !== 'string' || v.length === 0) return `${p} must be non-empty base64`;
    // Size first: a string far over the limit is refused without reading it.
    if (v.length > Math.ceil(maxBytes / 3) * 4) return `${p} is larger than ${maxBytes} bytes`;
    const size = base64Size(v);
    if (size < 0) return `${p} must be non-empty base64`;
    return size > maxBytes ? `${p} is larger than ${maxBytes} bytes` : undefined;
  };

/** One of the listed literals. */
export const oneOf =
  (...values: readonly (string | number | boolean)[]): Check =>
  (v, p) =>
    values.includes(v as string) ? undefined : `${p} must be one of ${values.join(', ')}`;

export const bool: Check = (v, p) => (typeof v === 'boolean' ? undefined : `${p} must be a boolean`);
export const int: Check = (v, p) => (Number.isInteger(v) ? undefined : `${p} must be an integer`);

/** Accepts `undefined` or what `check` accepts. */
export const optional =
  (check: Check): Check =>
  (v, p) =>
    v === undefined ? undefined : check(v, p);

/** An array whose every element passes `check`, with at most `max` elements. */
export const arrayOf =
  (check: Check, max = 1000): Check =>
  (v, p) => {
    if (!Array.isArray(v)) return `${p} must be an array`;
    if (v.length > max) return `${p} must have at most ${max} items`;
    for (let i = 0; i < v.length; i++) {
      const error = check(v[i], `${p}[${i}]`);
      if (error) return error;
    }
    return undefined;
  };

/**
 * An object whose listed fields pass their checks. Unknown fields are ignored, so a newer client may add
 * optional fields that an older agent does not know yet (protocol rule: add, never rename or remove).
 */
export const object =
  (shape: Record<string, Check>, refine?: (v: Record<string, unknown>) => string | undefined): Check =>
  (v, p) => {
    if (!isRecord(v)) return `${p} must be an object`;
    for (const [key, check] of Object.entries(shape)) {
      const error = check(v[key], `${p}.${key}`);
      if (error) return error;
    }
    return refine?.(v);
  };

/** Largest payload `sign.data` accepts in one request (decoded bytes). */
export const MAX_SIGN_BYTES = 4 * 1024 * 1024;

const pin = str(64, 1);
const noParams: Check = (v, p) => (v === undefined || isRecord(v) ? undefined : `${p} must be an object`);

const signData = object(
  {
    certId: str(256, 1),
    pin,
    data: optional(base64(MAX_SIGN_BYTES)),
    digest: optional(base64(64)),
    digestAlgorithm: optional(oneOf('SHA-256')),
    format: optional(oneOf('cms-detached', 'cms-attached', 'raw')),
  },
  (v) => {
    if ((v.data === undefined) === (v.digest === undefined)) return 'params must have exactly one of data and digest';
    if (v.digest !== undefined && v.format === 'cms-attached') return 'an attached CMS needs data, not a digest';
    return undefined;
  },
);

/** Subject attribute names a CSR may carry. */
export const SUBJECT_ATTRIBUTES = ['CN', 'O', 'OU', 'C', 'ST', 'L', 'serialNumber', 'organizationIdentifier', 'SN', 'GN'];

const subject: Check = (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${p} must be an object`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (!entries.some(([k]) => k === 'CN')) return `${p}.CN is required`;
  for (const [key, value] of entries) {
    if (!SUBJECT_ATTRIBUTES.includes(key)) return `${p}.${key} is not a supported attribute`;
    const error = str(key === 'C' ? 2 : 128, key === 'C' ? 2 : 1)(value, `${p}.${key}`);
    if (error) return error;
  }
  return undefined;
};
const tokenId = str(256, 1);
const keyId = (v: unknown, p: string) => (typeof v === 'string' && /^[0-9a-f]{2,128}$/.test(v) ? undefined : `${p} must be lower-case hex`);

/** Params checks of every method of protocol v1. */
export const paramsChecks: Record<Method, Check> = {
  'agent.info': noParams,
  'token.list': noParams,
  'cert.list': (v, p) => (v === undefined ? undefined : object({ tokenId: optional(str(256, 1)) })(v, p)),
  'sign.data': signData,
  'key.generate': object({ tokenId, pin, algorithm: oneOf('ECDSA-P256', 'RSA-2048', 'SM2'), label: optional(str(64)) }),
  'csr.create': object({ tokenId, keyId, pin, subject }),
  'cert.install': object({ tokenId, certificate: base64(64 * 1024), chain: optional(arrayOf(base64(64 * 1024), 8)), pin: optional(pin) }),
};

/** True when `method` is a method of protocol v1. */
export function isMethod(method: string): method is Method {
  return Object.prototype.hasOwnProperty.call(paramsChecks, method);
}

/** Checks a method's params; returns a message naming the first problem, or undefined. */
export function checkParams(method: Method, params: unknown): string | undefined {
  return paramsChecks[method](params, 'params');
}

/** Checks the JSON-RPC 2.0 request envelope (not the params). */
export function checkRequest(value: unknown): value is RpcRequest {
  return (
    isRecord(value) &&
    value.jsonrpc === '2.0' &&
    typeof value.method === 'string' &&
    (typeof value.id === 'string' || Number.isInteger(value.id))
  );
}

function isErrorObject(value: unknown): value is RpcErrorObject {
  return isRecord(value) && Number.isInteger(value.code) && typeof value.message === 'string';
}

/** Checks a JSON-RPC 2.0 response envelope received by the client. */
export function checkResponse(value: unknown): value is RpcResponse {
  if (!isRecord(value) || value.jsonrpc !== '2.0' || !('id' in value)) return false;
  return 'result' in value ? value.id !== null : isErrorObject(value.error);
}

const tokenCheck = object({
  id: str(256, 1),
  provider: oneOf('pkcs11', 'soft'),
  label: str(),
  pin: object({ initialized: bool, locked: bool, countLow: bool, finalTry: bool, retriesLeft: optional(int) }),
});

const certCheck = object({
  id: str(256, 1),
  tokenId: str(256, 1),
  der: base64(64 * 1024),
  subject: str(4096),
  issuer: str(4096),
  serialNumber: str(128),
  notBefore: str(64),
  notAfter: str(64),
  hasPrivateKey: bool,
  status: oneOf('valid', 'expiring', 'expired', 'notYetValid'),
});

/** Result checks the client applies before it hands a result to the caller. */
export const resultChecks: Record<Method, Check> = {
  'agent.info': object({ agentVersion: str(64, 1), protocol: int, providers: arrayOf(str()), capabilities: arrayOf(str()) }),
  'token.list': object({ tokens: arrayOf(tokenCheck) }),
  'cert.list': object({ certificates: arrayOf(certCheck) }),
  'sign.data': object({ signature: base64(MAX_SIGN_BYTES * 2), certificate: base64(64 * 1024) }),
  'key.generate': object({ keyId: str(128, 2), publicKey: base64(4096) }),
  'csr.create': object({ csr: base64(16 * 1024) }),
  'cert.install': object({ certId: str(300, 1) }),
};
