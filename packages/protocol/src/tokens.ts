import { arrayOf, base64, bool, int, object, oneOf, optional, str, type Infer } from './schema.js';

/** Where a token lives: a PKCS#11 USB-Key, or the agent's encrypted software token on this computer. */
export const providerKindSchema = oneOf('pkcs11', 'soft');
/** Where a token lives: a PKCS#11 USB-Key, or the agent's encrypted software token on this computer. */
export type ProviderKind = Infer<typeof providerKindSchema>;

/** Key algorithms of protocol v1. */
export const keyAlgorithmSchema = oneOf('ECDSA-P256', 'RSA-2048', 'SM2');
/** Key algorithms of protocol v1. */
export type KeyAlgorithm = Infer<typeof keyAlgorithmSchema>;

/** Ids of tokens and certificates: opaque, non-empty. */
export const idSchema = str(256, 1);

/** PIN state of a token, as far as the token reports it. */
export const pinStateSchema = object({
  /** The token has been initialised and its user PIN set. */
  initialized: bool,
  /** The user PIN is locked. */
  locked: bool,
  /** A wrong PIN has been entered since the last successful login. */
  countLow: bool,
  /** One more wrong PIN locks the token. */
  finalTry: bool,
  /** Tries left, when the token tells (software tokens do; most USB-Keys only report the flags above). */
  retriesLeft: optional(int),
  /**
   * The token asks for its user PIN to be changed before use (PKCS#11 `CKF_USER_PIN_TO_BE_CHANGED`: a vendor
   * default or a PIN set by the service hall). Absent when the token does not say so.
   */
  mustChange: optional(bool),
  /** The security officer PIN is locked: the hall can no longer reset the user PIN. Absent when unknown. */
  soLocked: optional(bool),
});
/** PIN state of a token, as far as the token reports it. */
export type PinState = Infer<typeof pinStateSchema>;

/** A token (USB-Key or software token) that the agent can see. */
export const tokenSchema = object({
  id: idSchema,
  provider: providerKindSchema,
  label: str(),
  /** PKCS#11 `manufacturerID`, trimmed (`sicert` for the software token). */
  manufacturer: str(256),
  /** PKCS#11 `model`, trimmed. */
  model: str(256),
  /** PKCS#11 `serialNumber`, trimmed. */
  serial: str(256),
  pin: pinStateSchema,
  /**
   * The token's storage is damaged (a software-token file that fails its integrity check): it is listed so the
   * citizen can be told, but every operation on it fails with `TOKEN_DAMAGED`. Absent when the token is sound.
   */
  damaged: optional(bool),
});
/** A token (USB-Key or software token) that the agent can see. */
export type Token = Infer<typeof tokenSchema>;

/** Validity status of a certificate at the time it was listed. */
export const certificateStatusSchema = oneOf('valid', 'expiring', 'expired', 'notYetValid');
/** Validity status of a certificate at the time it was listed. */
export type CertificateStatus = Infer<typeof certificateStatusSchema>;

/** Largest certificate (DER bytes) the protocol carries. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/** A certificate on a token, with a summary parsed by the agent. */
export const certificateInfoSchema = object({
  id: idSchema,
  tokenId: idSchema,
  /** The certificate, DER, base64. */
  der: base64(MAX_CERTIFICATE_BYTES),
  /** Subject distinguished name, RFC 4514 style (`CN=张三,O=…`). */
  subject: str(4096),
  /** Subject common name, for display. */
  subjectCommonName: optional(str(1024)),
  issuer: str(4096),
  /** Issuer common name, for display. */
  issuerCommonName: optional(str(1024)),
  /** Serial number, lower-case hex. */
  serialNumber: str(128),
  /** ISO 8601. */
  notBefore: str(64),
  /** ISO 8601. */
  notAfter: str(64),
  /** `ECDSA-P256`, `RSA-2048`, … (a string, not {@link KeyAlgorithm}: a token may hold certificates of others). */
  keyAlgorithm: str(64),
  /** Key usages named as in RFC 5280 (`digitalSignature`, `nonRepudiation`, …). */
  keyUsage: optional(arrayOf(str(64), 16)),
  hasPrivateKey: bool,
  status: certificateStatusSchema,
  /** Provider of the token, so a page can say "USB-Key" or "this computer". */
  provider: optional(providerKindSchema),
});
/** A certificate on a token, with a summary parsed by the agent. */
export type CertificateInfo = Infer<typeof certificateInfoSchema>;
