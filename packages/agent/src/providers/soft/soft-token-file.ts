import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { syncDirectory, writeFileDurably } from '../../durable-file.js';
import { dirname } from 'node:path';
import type { SignatureKeyAlgorithm } from '@sicert/pki/light';
import { KDF, type Sealed } from './sealed-box.js';
import { isTokenId } from './soft-token-directory.js';

/** Software-token PIN tries before it locks, like a USB-Key. */
export const SOFT_TOKEN_MAX_TRIES = 10;

export interface KeyRecord {
  id: string;
  algorithm: SignatureKeyAlgorithm;
  /** SubjectPublicKeyInfo, DER, base64. */
  publicKey: string;
  /** PKCS#8, encrypted under the token's data key. */
  privateKey: Sealed;
  label?: string;
}

export interface CertificateRecord {
  /** The key id this certificate belongs to (= CKA_ID on a USB-Key). */
  keyId: string;
  der: string;
  chain?: string[];
}

/** The token file. Everything secret in it is sealed with AES-256-GCM. */
export interface TokenFile {
  format: 'sicert-soft-token';
  version: 1;
  label: string;
  serial: string;
  kdf: typeof KDF & { salt: string };
  /** The data key, sealed under the key derived from the user PIN. */
  dataKey: Sealed;
  failedTries: number;
  keys: KeyRecord[];
  certificates: CertificateRecord[];
  /**
   * The password is still the one several tokens shared: set on the tokens split out of a single store (whoever
   * knew its password can open them), cleared by a password change. Shown as `pin.mustChange`.
   */
  mustChange?: boolean;
  /**
   * When `token.create` made the token (ISO 8601). An empty token is removed once it is old enough; files made
   * before this field (split from the single store, or by an earlier version) go by their modification time.
   */
  created?: string;
}

/** What reading the token file found: nothing, a sound token, or damage (described for the log). */
export type ReadResult = { file: TokenFile | undefined; damage?: undefined } | { file?: undefined; damage: string };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in bytes of a base64 field, or -1 when it is not canonical base64. */
function bytes(value: unknown): number {
  return typeof value === 'string' && BASE64.test(value) ? Buffer.from(value, 'base64').length : -1;
}

function checkSealed(value: unknown, where: string, dataBytes?: number): string | undefined {
  if (!isRecord(value)) return `${where} is missing`;
  if (bytes(value.iv) !== 12) return `${where}.iv is not a 12-byte nonce`;
  if (bytes(value.tag) !== 16) return `${where}.tag is not a 16-byte tag`;
  const length = bytes(value.data);
  if (dataBytes === undefined ? length <= 0 : length !== dataBytes) return `${where}.data has the wrong length`;
  return undefined;
}

/**
 * Structural check of a parsed token file, before any PIN is tried: a damaged blob must never be mistaken for a
 * wrong PIN (which would count down to a lock). Returns what is wrong, or undefined.
 */
export function checkTokenFile(f: unknown): string | undefined {
  if (!isRecord(f) || f.format !== 'sicert-soft-token' || f.version !== 1) return 'not a sicert soft token (format 1)';
  if (typeof f.label !== 'string' || typeof f.serial !== 'string') return 'label or serial is missing';
  const kdf = f.kdf;
  if (!isRecord(kdf) || kdf.name !== KDF.name || kdf.N !== KDF.N || kdf.r !== KDF.r || kdf.p !== KDF.p || bytes(kdf.salt) < 16) return 'the key derivation parameters are damaged';
  const sealedKey = checkSealed(f.dataKey, 'dataKey', 32);
  if (sealedKey) return sealedKey;
  if (!Number.isInteger(f.failedTries) || (f.failedTries as number) < 0 || (f.failedTries as number) > SOFT_TOKEN_MAX_TRIES) return 'the PIN try counter is damaged';
  if (!Array.isArray(f.keys) || !Array.isArray(f.certificates)) return 'the key or certificate list is damaged';
  if (f.mustChange !== undefined && typeof f.mustChange !== 'boolean') return 'the password-change flag is damaged';
  if (f.created !== undefined && (typeof f.created !== 'string' || Number.isNaN(Date.parse(f.created)))) return 'the creation time is damaged';
  for (const [i, k] of f.keys.entries()) {
    if (!isRecord(k) || typeof k.id !== 'string' || !/^[0-9a-f]+$/.test(k.id) || (k.algorithm !== 'ECDSA-P256' && k.algorithm !== 'RSA-2048') || bytes(k.publicKey) <= 0) return `key ${i} is damaged`;
    const sealed = checkSealed(k.privateKey, `keys[${i}].privateKey`);
    if (sealed) return sealed;
  }
  for (const [i, c] of f.certificates.entries()) {
    if (!isRecord(c) || typeof c.keyId !== 'string' || bytes(c.der) <= 0) return `certificate ${i} is damaged`;
    if (c.chain !== undefined && (!Array.isArray(c.chain) || c.chain.some((d) => bytes(d) <= 0))) return `the chain of certificate ${i} is damaged`;
  }
  return undefined;
}

/** SHA-256 over the file's content without its checksum, in the order it was written. */
function checksumOf(content: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}

/**
 * Reads and checks the token file of token `id` (omitted for the single store of earlier versions). An absent
 * file is an uninitialised token. Every file is checked for its structure, and its checksum must match where it
 * has one. A per-holder token's file (`soft-<serial>.json`) was always written with a checksum and its serial:
 * one without a checksum was edited, and one whose serial is not its name's was copied or renamed over another
 * token's (each copy would count its own tries). Only the single store, written before checksums, may lack one.
 */
export function readTokenFile(path: string, id?: string): ReadResult {
  if (!existsSync(path)) return { file: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { damage: code ? `cannot be read (${code})` : 'is not valid JSON (truncated or overwritten)' };
  }
  if (!isRecord(parsed)) return { damage: 'is not a JSON object' };
  const { checksum, ...content } = parsed;
  const holder = id !== undefined && isTokenId(id);
  if (checksum === undefined && holder) return { damage: 'has no checksum, which every token file of this kind is written with (edited by hand or by another program)' };
  if (checksum !== undefined && checksum !== checksumOf(content)) return { damage: 'fails its checksum (some bytes changed)' };
  const problem = checkTokenFile(content);
  if (problem) return { damage: problem };
  const file = content as unknown as TokenFile;
  if (holder && id !== `soft-${file.serial}`) return { damage: `belongs to another token: its serial is ${file.serial}, not the one its name gives (copied or renamed over this token's file)` };
  return { file };
}

/**
 * Writes the token file atomically and durably: a uniquely named temporary file (mode 0600) is written and
 * flushed, renamed over the old one, and the directory is flushed where the platform allows, so a crash or power
 * loss leaves the old file or the new one, never a mix or an empty file.
 */
export function writeTokenFile(path: string, file: TokenFile): void {
  const content = file as unknown as Record<string, unknown>;
  writeFileDurably(path, JSON.stringify({ ...content, checksum: checksumOf(content) }, null, 2));
}

/** Removes a token file durably (the directory is flushed), so a power loss cannot bring it back. */
export function removeTokenFile(path: string): void {
  rmSync(path, { force: true });
  syncDirectory(dirname(path));
}

