import type { Reason } from './reasons.js';

/** Major protocol version; also carried by the WebSocket subprotocol. */
export const PROTOCOL_VERSION = 1;
/** WebSocket subprotocol that every v1 connection negotiates. */
export const SUBPROTOCOL = 'sicert.v1';
/** Path of the WebSocket endpoint on the agent. */
export const WS_PATH = '/v1';
/** Path of the health endpoint on the agent. */
export const HEALTH_PATH = '/v1/health';
/** Port the agent listens on unless configured otherwise. */
export const DEFAULT_PORT = 21_260;

/** Binary values travel as standard base64 strings. */
export type Base64 = string;

/** Where a token lives: a PKCS#11 USB-Key, or the agent's encrypted software token on this computer. */
export type ProviderKind = 'pkcs11' | 'soft';

/** Signature output formats of `sign.data` and `sign.batch`. */
export type SignFormat = 'cms-detached' | 'cms-attached' | 'raw';

/** Key algorithms of protocol v1. */
export type KeyAlgorithm = 'ECDSA-P256' | 'RSA-2048' | 'SM2';

/** PIN state of a token, as far as the token reports it. */
export interface PinState {
  /** The token has been initialised and its user PIN set. */
  initialized: boolean;
  /** The user PIN is locked. */
  locked: boolean;
  /** A wrong PIN has been entered since the last successful login. */
  countLow: boolean;
  /** One more wrong PIN locks the token. */
  finalTry: boolean;
  /** Tries left, when the token tells (software tokens do; most USB-Keys only report the flags above). */
  retriesLeft?: number;
}

/** A token (USB-Key or software token) that the agent can see. */
export interface Token {
  id: string;
  provider: ProviderKind;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  pin: PinState;
  /**
   * The token's storage is damaged (a software-token file that fails its integrity check): it is listed so the
   * citizen can be told, but every operation on it fails with `TOKEN_DAMAGED`. Absent when the token is sound.
   */
  damaged?: boolean;
}

/** Validity status of a certificate at the time it was listed. */
export type CertificateStatus = 'valid' | 'expiring' | 'expired' | 'notYetValid';

/** A certificate on a token, with a summary parsed by the agent. */
export interface CertificateInfo {
  id: string;
  tokenId: string;
  /** The certificate, DER, base64. */
  der: Base64;
  /** Subject distinguished name, RFC 4514 style (`CN=张三,O=…`). */
  subject: string;
  /** Subject common name, for display. */
  subjectCommonName?: string;
  issuer: string;
  /** Issuer common name, for display. */
  issuerCommonName?: string;
  /** Serial number, lower-case hex. */
  serialNumber: string;
  /** ISO 8601. */
  notBefore: string;
  /** ISO 8601. */
  notAfter: string;
  keyAlgorithm: string;
  /** Key usages named as in RFC 5280 (`digitalSignature`, `nonRepudiation`, …). */
  keyUsage?: string[];
  hasPrivateKey: boolean;
  status: CertificateStatus;
  /** Provider of the token, so a page can say "USB-Key" or "this computer". */
  provider?: ProviderKind;
}

export interface AgentInfoResult {
  agentVersion: string;
  protocol: 1;
  providers: string[];
  capabilities: string[];
  algorithms: string[];
}

export interface TokenListResult {
  tokens: Token[];
}

export interface CertListParams {
  tokenId?: string;
}

export interface CertListResult {
  certificates: CertificateInfo[];
}

export interface SignDataParams {
  certId: string;
  pin: string;
  data?: Base64;
  digest?: Base64;
  digestAlgorithm?: 'SHA-256';
  format?: SignFormat;
}

export interface SignDataResult {
  /** DER CMS ContentInfo, or for `raw` the DER-encoded signature value; base64. */
  signature: Base64;
  /** Signer certificate, DER, base64. */
  certificate: Base64;
}

export interface KeyGenerateParams {
  tokenId: string;
  pin: string;
  algorithm: KeyAlgorithm;
  label?: string;
}

export interface KeyGenerateResult {
  /** The key id (CKA_ID, hex), derived from the public key. */
  keyId: string;
  /** SubjectPublicKeyInfo, DER, base64. */
  publicKey: Base64;
}

/** Subject attributes of a request by short name: `CN`, `O`, `OU`, `C`, `ST`, `L`, `serialNumber`, `organizationIdentifier`. */
export type SubjectAttributes = Record<string, string>;

export interface CsrCreateParams {
  tokenId: string;
  keyId: string;
  pin: string;
  subject: SubjectAttributes;
}

export interface CsrCreateResult {
  /** PKCS#10, DER, base64; its signature verified by the agent. */
  csr: Base64;
}

export interface CertInstallParams {
  tokenId: string;
  /** DER, base64. */
  certificate: Base64;
  /** Issuer certificates, DER, base64. */
  chain?: Base64[];
  /**
   * The holder's certificate password. Optional in the v1 shape, but required by this agent (`INVALID_PARAMS`
   * without it): installing decides which certificate a key signs with.
   */
  pin?: string;
}

export interface CertInstallResult {
  certId: string;
}

/** Methods of protocol v1 with their params and results. */
export interface MethodMap {
  'agent.info': { params: Record<string, never> | undefined; result: AgentInfoResult };
  'token.list': { params: Record<string, never> | undefined; result: TokenListResult };
  'cert.list': { params: CertListParams | undefined; result: CertListResult };
  'sign.data': { params: SignDataParams; result: SignDataResult };
  'key.generate': { params: KeyGenerateParams; result: KeyGenerateResult };
  'csr.create': { params: CsrCreateParams; result: CsrCreateResult };
  'cert.install': { params: CertInstallParams; result: CertInstallResult };
}

/** A method name of protocol v1. */
export type Method = keyof MethodMap;
export type ParamsOf<M extends Method> = MethodMap[M]['params'];
export type ResultOf<M extends Method> = MethodMap[M]['result'];

/** Notifications the agent pushes to every connection from an allowed origin. */
export interface NotificationMap {
  'token.added': { token: Token };
  'token.removed': { tokenId: string };
  'token.changed': { token: Token };
}
export type NotificationName = keyof NotificationMap;

export type RpcId = number | string;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RpcId;
  method: string;
  params?: unknown;
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: unknown;
}

export interface RpcErrorData {
  reason: Reason;
  /** PIN tries left, with `PIN_INCORRECT` when the token tells. */
  retriesLeft?: number;
  /** Milliseconds until the next PIN try reaches the token, with `PIN_THROTTLED`. */
  retryAfterMs?: number;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: RpcErrorData;
}

export interface RpcSuccess {
  jsonrpc: '2.0';
  id: RpcId;
  result: unknown;
}

export interface RpcFailure {
  jsonrpc: '2.0';
  id: RpcId | null;
  error: RpcErrorObject;
}

export type RpcResponse = RpcSuccess | RpcFailure;

/** What `GET /v1/health` answers. */
export interface HealthResponse {
  name: 'sicert-agent';
  agentVersion: string;
  protocol: number;
  status: 'ok';
}
