import { arrayOf, base64, custom, isRecord, object, oneOf, optional, str, type Infer, type Schema } from './schema.js';
import { labelSchema } from './labels.js';
import { isReason, type Reason } from './reasons.js';
import { certificateInfoSchema, idSchema, keyAlgorithmSchema, MAX_CERTIFICATE_BYTES, tokenSchema } from './tokens.js';

/** Largest payload `sign.data` accepts in one request (decoded bytes). */
export const MAX_SIGN_BYTES = 4 * 1024 * 1024;

/** Signature output formats of `sign.data` and `sign.batch`. */
export const signFormatSchema = oneOf('cms-detached', 'cms-attached', 'raw');
/** Signature output formats of `sign.data` and `sign.batch`. */
export type SignFormat = Infer<typeof signFormatSchema>;

/** Subject attribute names a CSR may carry. */
export const SUBJECT_ATTRIBUTES = ['CN', 'O', 'OU', 'C', 'ST', 'L', 'serialNumber', 'organizationIdentifier', 'SN', 'GN'];

/** Subject attributes of a request by short name: `CN`, `O`, `OU`, `C`, `ST`, `L`, `serialNumber`, `organizationIdentifier`. */
export type SubjectAttributes = Record<string, string>;

const subject = custom<SubjectAttributes>((v, p) => {
  if (!isRecord(v)) return `${p} must be an object`;
  const entries = Object.entries(v);
  if (!entries.some(([k]) => k === 'CN')) return `${p}.CN is required`;
  for (const [key, value] of entries) {
    if (!SUBJECT_ATTRIBUTES.includes(key)) return `${p}.${key} is not a supported attribute`;
    const error = str(key === 'C' ? 2 : 128, key === 'C' ? 2 : 1)(value, `${p}.${key}`);
    if (error) return error;
  }
  return undefined;
});

const pin = str(64, 1);
const keyId = custom<string>((v, p) => (typeof v === 'string' && /^[0-9a-f]{2,128}$/.test(v) ? undefined : `${p} must be lower-case hex`));
/** Results without fields: an object, whose fields a newer agent may add. */
const noResult = custom<Record<string, never>>((v, p) => (isRecord(v) ? undefined : `${p} must be an object`));
/** Methods without params take none, or an empty object (fields a newer page adds are ignored). */
const noParams = custom<Record<string, never> | undefined>((v, p) => (v === undefined || isRecord(v) ? undefined : `${p} must be an object`));

/** Params of `sign.data`: exactly one of `data` and `digest`; an attached CMS needs the data. */
export const signDataParamsSchema = object(
  {
    certId: idSchema,
    pin,
    /** The data to sign, base64, at most {@link MAX_SIGN_BYTES}. */
    data: optional(base64(MAX_SIGN_BYTES)),
    /** A SHA-256 digest computed by the page, base64. */
    digest: optional(base64(64)),
    digestAlgorithm: optional(oneOf('SHA-256')),
    format: optional(signFormatSchema),
  },
  (v) => {
    if ((v.data === undefined) === (v.digest === undefined)) return 'params must have exactly one of data and digest';
    if (v.digest !== undefined && v.format === 'cms-attached') return 'an attached CMS needs data, not a digest';
    return undefined;
  },
);

/** Most items one `sign.batch` takes. */
export const MAX_BATCH_ITEMS = 1000;

/**
 * One item of `sign.batch`. Its shape is checked with the request (a malformed item fails the batch as
 * `INVALID_PARAMS`); its rules (exactly one of `data` and `digest`, a 32-byte digest, data for an attached CMS) are
 * checked per item, so an item that breaks one fails alone with `INVALID_PARAMS` in its place of the result.
 */
export const signBatchItemSchema = object({
  /** The data to sign, base64. */
  data: optional(base64(MAX_SIGN_BYTES)),
  /** A SHA-256 digest computed by the page, base64. */
  digest: optional(base64(64)),
  digestAlgorithm: optional(oneOf('SHA-256')),
});
/** One item of `sign.batch`. */
export type SignBatchItem = Infer<typeof signBatchItemSchema>;

/** One place of `sign.batch`'s result: the item's signature, or why this item alone was not signed. */
export const signBatchOutcomeSchema = custom<{ signature: string } | { error: { reason: Reason; message: string } }>((v, p) => {
  if (!isRecord(v)) return `${p} must be an object`;
  if ('signature' in v) return base64(MAX_SIGN_BYTES * 2)(v.signature, `${p}.signature`);
  if (!isRecord(v.error)) return `${p} must have a signature or an error`;
  if (!isReason(v.error.reason)) return `${p}.error.reason must be a reason of protocol v1`;
  return str(1024)(v.error.message, `${p}.error.message`);
});
/** One place of `sign.batch`'s result. */
export type SignBatchOutcome = Infer<typeof signBatchOutcomeSchema>;

/** Params schema of every method of protocol v1. */
export const paramsSchemas = {
  'agent.info': noParams,
  'token.list': noParams,
  'cert.list': optional(object({ tokenId: optional(idSchema) })),
  'sign.data': signDataParamsSchema,
  /**
   * Many items under one PIN, one login and one consent: 1-{@link MAX_BATCH_ITEMS} items, all in one `format`. The
   * whole request is bounded by the agent's message size (8 MiB by default), so large documents go as digests.
   */
  'sign.batch': object({
    certId: idSchema,
    pin,
    items: custom<SignBatchItem[]>((v, p) => (Array.isArray(v) && v.length === 0 ? `${p} must have at least 1 item` : arrayOf(signBatchItemSchema, MAX_BATCH_ITEMS)(v, p))),
    format: optional(signFormatSchema),
  }),
  'key.generate': object({ tokenId: idSchema, pin, algorithm: keyAlgorithmSchema, label: optional(str(64)) }),
  'csr.create': object({ tokenId: idSchema, keyId, pin, subject }),
  'cert.install': object({
    tokenId: idSchema,
    /** DER, base64. */
    certificate: base64(MAX_CERTIFICATE_BYTES),
    /** Issuer certificates, DER, base64. */
    chain: optional(arrayOf(base64(MAX_CERTIFICATE_BYTES), 8)),
    /**
     * The holder's certificate password. Optional in the v1 shape, but required by this agent (`INVALID_PARAMS`
     * without it): installing decides which certificate a key signs with.
     */
    pin: optional(pin),
  }),
  /**
   * A new software token for one holder, with its own password and retry counter (the PIN policy applies). The
   * label is the holder's name: no invisible characters, not only spaces (`labelSchema`).
   */
  'token.create': object({ provider: oneOf('soft'), label: labelSchema(64), pin }),
  /** Changes the user PIN: `oldPin` proves the holder, `newPin` must meet the PIN policy. */
  'pin.change': object({ tokenId: idSchema, oldPin: pin, newPin: pin }),
  /** Sets a new user PIN with the security officer's PIN (the service hall's reset of a locked USB-Key). */
  'pin.unblock': object({ tokenId: idSchema, soPin: pin, newPin: pin }),
  /** Deletes a key pair that has no certificate (an abandoned, withdrawn or rejected application's key). */
  'key.delete': object({ tokenId: idSchema, keyId, pin }),
  /**
   * Hall mode only (the agent serves it when started with `hallMode`): initialises a blank USB-Key (`C_InitToken`)
   * with the hall's SO PIN and a label (at most 32 bytes of UTF-8, no invisible characters), and sets the holder's PIN (`C_InitPIN`; the PIN
   * policy applies). The token's id changes with its label: the result names it.
   */
  'token.init': object({ tokenId: idSchema, soPin: pin, label: labelSchema(32), pin }),
} satisfies Record<string, Schema<unknown>>;

/** Result schema of every method of protocol v1; the client checks each result against it. */
export const resultSchemas = {
  'agent.info': object({
    agentVersion: str(64, 1),
    protocol: oneOf(1),
    /** `pkcs11`, `soft`. */
    providers: arrayOf(str(64)),
    /** Methods and options this agent serves (`sign.format.raw`, …): pages check the ones they need. */
    capabilities: arrayOf(str(64)),
    /** Key algorithms this agent can generate and sign with (`ECDSA-P256`, `RSA-2048`). */
    algorithms: arrayOf(str(64)),
  }),
  'token.list': object({ tokens: arrayOf(tokenSchema) }),
  'cert.list': object({ certificates: arrayOf(certificateInfoSchema) }),
  'sign.data': object({
    /** DER CMS ContentInfo, or for `raw` the DER-encoded signature value; base64. */
    signature: base64(MAX_SIGN_BYTES * 2),
    /** Signer certificate, DER, base64. */
    certificate: base64(MAX_CERTIFICATE_BYTES),
  }),
  'sign.batch': object({
    /** One outcome per item, in the items' order. */
    signatures: arrayOf(signBatchOutcomeSchema, MAX_BATCH_ITEMS),
    /** Signer certificate, DER, base64. */
    certificate: base64(MAX_CERTIFICATE_BYTES),
  }),
  'key.generate': object({
    /** The key id (CKA_ID, hex), derived from the public key. */
    keyId: str(128, 2),
    /** SubjectPublicKeyInfo, DER, base64. */
    publicKey: base64(4096),
  }),
  'csr.create': object({
    /** PKCS#10, DER, base64; its signature verified by the agent. */
    csr: base64(16 * 1024),
  }),
  'cert.install': object({ certId: str(300, 1) }),
  'token.create': object({ tokenId: idSchema }),
  'pin.change': noResult,
  'pin.unblock': noResult,
  'key.delete': noResult,
  'token.init': object({ tokenId: idSchema }),
} satisfies Record<keyof typeof paramsSchemas, Schema<unknown>>;

/** A method name of protocol v1. */
export type Method = keyof typeof paramsSchemas;
/** Params of a method, inferred from its schema. */
export type ParamsOf<M extends Method> = Infer<(typeof paramsSchemas)[M]>;
/** Result of a method, inferred from its schema. */
export type ResultOf<M extends Method> = Infer<(typeof resultSchemas)[M]>;
/** Methods of protocol v1 with their params and results. */
export type MethodMap = { [M in Method]: { params: ParamsOf<M>; result: ResultOf<M> } };

export type AgentInfoResult = ResultOf<'agent.info'>;
export type TokenListResult = ResultOf<'token.list'>;
export type CertListParams = Exclude<ParamsOf<'cert.list'>, undefined>;
export type CertListResult = ResultOf<'cert.list'>;
export type SignDataParams = ParamsOf<'sign.data'>;
export type SignDataResult = ResultOf<'sign.data'>;
export type SignBatchParams = ParamsOf<'sign.batch'>;
export type SignBatchResult = ResultOf<'sign.batch'>;
export type KeyGenerateParams = ParamsOf<'key.generate'>;
export type KeyGenerateResult = ResultOf<'key.generate'>;
export type CsrCreateParams = ParamsOf<'csr.create'>;
export type CsrCreateResult = ResultOf<'csr.create'>;
export type CertInstallParams = ParamsOf<'cert.install'>;
export type CertInstallResult = ResultOf<'cert.install'>;
export type TokenCreateParams = ParamsOf<'token.create'>;
export type TokenCreateResult = ResultOf<'token.create'>;
export type PinChangeParams = ParamsOf<'pin.change'>;
export type PinUnblockParams = ParamsOf<'pin.unblock'>;
export type TokenInitParams = ParamsOf<'token.init'>;
export type KeyDeleteParams = ParamsOf<'key.delete'>;

/** Params checks of every method of protocol v1 (the schemas, seen as plain checks). */
export const paramsChecks: Record<Method, Schema<unknown>> = paramsSchemas;
/** Result checks the client applies before it hands a result to the caller. */
export const resultChecks: Record<Method, Schema<unknown>> = resultSchemas;
