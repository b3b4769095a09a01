import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { backend } from '#verify-backend';
import { exactBuffer } from './bytes.js';
import { certificateHash, knownHash } from './certificate-hash.js';
import { summarizeCertificate, validityStatus, type CertificateSummary } from './certificate-summary.js';
import { LruMap } from './lru.js';
import { OID } from './oids.js';
import { isCaCertificate, signsDocuments } from './signer-checks.js';
import type { KeyDescription, VerifyKey } from './verify-backend-types.js';

/**
 * What the fast path needs of a certificate, worked out once per distinct certificate (by the SHA-256 of its
 * encoding) instead of once per signature: the pkijs parse that `isRevoked` and the chain engine receive, the
 * summary, the bytes a SignerInfo is matched against, and the public key. Only what does not depend on the time
 * is kept; the summary's status is computed per call.
 */
export interface CachedCertificate {
  readonly hash: string;
  /** A number no other cached certificate is given in this process (a short key for the chain cache). */
  readonly id: number;
  readonly certificate: pkijs.Certificate;
  /** The encoding the reference path reports as `signerCertificate` (pkijs's own re-encoding). */
  readonly der: Uint8Array;
  /** The issuer Name's encoding as it stands in the certificate. */
  readonly issuer: Uint8Array;
  /** The serial number INTEGER as pkijs compares it (its encoding). */
  readonly serial: Uint8Array;
  /** The subjectKeyIdentifier's octets, when the certificate has one. */
  readonly keyId: Uint8Array | undefined;
  readonly isCa: boolean;
  readonly signsDocuments: boolean;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Undefined when summarising throws (the reference path then throws too, so the fast path defers to it). */
  readonly summary: CertificateSummary | undefined;
  /** The key to verify with once imported; null when the fast path cannot use it exactly as pkijs would. */
  key: VerifyKey | null | undefined;
  /** The import under way. */
  pendingKey: Promise<VerifyKey | undefined> | undefined;
}

/** Distinct certificates kept; see docs/verification.md for the memory this bounds. */
export const CERTIFICATE_CACHE_ENTRIES = 4_096;
/**
 * The encodings the cache keeps add up to at most this. A certificate is parsed and kept before its signature or
 * chain is checked (any CMS may carry any certificates), so the bound must hold for certificates a stranger made
 * large on purpose, not only for the 0.5-2 KiB a CA issues.
 */
export const CERTIFICATE_CACHE_BYTES = 8 * 1024 * 1024;
/** Larger certificates are not cached: the fast path hands their CMS to the reference path, which keeps nothing. */
export const MAX_CACHED_CERTIFICATE_BYTES = 16 * 1024;

const certificates = new LruMap<string, CachedCertificate | 'unparseable'>(CERTIFICATE_CACHE_ENTRIES, CERTIFICATE_CACHE_BYTES, (entry) => (entry === 'unparseable' ? 0 : entry.der.length));

const CURVES: Record<string, { namedCurve: 'P-256' | 'P-384' | 'P-521'; size: number }> = {
  [OID.prime256v1]: { namedCurve: 'P-256', size: 32 },
  '1.3.132.0.34': { namedCurve: 'P-384', size: 48 },
  '1.3.132.0.35': { namedCurve: 'P-521', size: 66 },
};

/** A minimal positive DER INTEGER, as pkijs's JWK conversion of an RSA key reads it without surprises. */
function positiveInteger(value: asn1js.AsnType | undefined): boolean {
  if (!(value instanceof asn1js.Integer)) return false;
  const bytes = value.valueBlock.valueHexView;
  return bytes.length > 0 && !(bytes[0]! & 0x80) && !(bytes[0] === 0 && (bytes.length === 1 || !(bytes[1]! & 0x80)));
}

/**
 * How pkijs would import the key for a SignerInfo: by the key's own algorithm (the signature OID only has to be an
 * accepted one). Undefined for keys whose import pkijs might do differently (compressed or odd points, unusual
 * RSA encodings, other curves and algorithms): those signatures take the reference path.
 */
function keyDescription(spki: pkijs.PublicKeyInfo): KeyDescription | undefined {
  if (spki.subjectPublicKey.valueBlock.unusedBits !== 0) return undefined;
  const bits = spki.subjectPublicKey.valueBlock.valueHexView;
  if (spki.algorithm.algorithmId === OID.rsaEncryption) {
    const parsed = asn1js.fromBER(bits);
    const sequence = parsed.offset === bits.length ? parsed.result : undefined;
    if (!(sequence instanceof asn1js.Sequence) || sequence.valueBlock.value.length !== 2) return undefined;
    return sequence.valueBlock.value.every((part) => positiveInteger(part)) ? { name: 'RSASSA-PKCS1-v1_5' } : undefined;
  }
  const parameters: unknown = spki.algorithm.algorithmParams;
  if (spki.algorithm.algorithmId !== OID.ecPublicKey || !(parameters instanceof asn1js.ObjectIdentifier)) return undefined;
  const curve = CURVES[parameters.valueBlock.toString()];
  return curve && bits.length === 1 + 2 * curve.size && bits[0] === 0x04 ? { name: 'ECDSA', namedCurve: curve.namedCurve } : undefined;
}

function summaryOf(certificate: pkijs.Certificate): CertificateSummary | undefined {
  try {
    return summarizeCertificate(certificate, certificate.notBefore.value);
  } catch {
    return undefined;
  }
}

let nextId = 0;

function describe(hash: string, certificate: pkijs.Certificate): CachedCertificate {
  const ski: unknown = certificate.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier)?.parsedValue;
  return {
    hash,
    id: nextId++,
    certificate,
    der: new Uint8Array(certificate.toSchema().toBER()),
    issuer: new Uint8Array(certificate.issuer.valueBeforeDecode),
    serial: new Uint8Array(certificate.serialNumber.toBER()),
    keyId: ski instanceof asn1js.OctetString ? ski.valueBlock.valueHexView.slice() : undefined,
    isCa: isCaCertificate(certificate),
    signsDocuments: signsDocuments(certificate),
    notBefore: new Date(certificate.notBefore.value.getTime()),
    notAfter: new Date(certificate.notAfter.value.getTime()),
    summary: summaryOf(certificate),
    key: undefined,
    pendingKey: undefined,
  };
}

/**
 * The cached description of the certificate encoded as `der`, parsing it with pkijs on a miss; undefined when
 * pkijs cannot parse it (the reference path then refuses the whole CMS as MALFORMED) or when it is larger than
 * {@link MAX_CACHED_CERTIFICATE_BYTES} (the reference path judges it). A certificate seen before is
 * answered synchronously: an await per certificate is a measurable share of a verification.
 */
export function cachedCertificate(der: Uint8Array): CachedCertificate | undefined | Promise<CachedCertificate | undefined> {
  if (der.length > MAX_CACHED_CERTIFICATE_BYTES) return undefined;
  const hash = knownHash(der);
  const known = hash === undefined ? undefined : certificates.get(hash);
  if (known !== undefined) return known === 'unparseable' ? undefined : known;
  return parsedCertificate(der);
}

async function parsedCertificate(der: Uint8Array): Promise<CachedCertificate | undefined> {
  const hash = await certificateHash(der);
  const known = certificates.get(hash);
  if (known !== undefined) return known === 'unparseable' ? undefined : known;
  let entry: CachedCertificate | 'unparseable';
  try {
    entry = describe(hash, pkijs.Certificate.fromBER(exactBuffer(der)));
  } catch {
    entry = 'unparseable';
  }
  certificates.set(hash, entry);
  return entry === 'unparseable' ? undefined : entry;
}

/** The certificate's key, imported once (undefined: not one the fast path uses); a value once imported. */
export function keyOf(entry: CachedCertificate): VerifyKey | undefined | Promise<VerifyKey | undefined> {
  if (entry.key !== undefined) return entry.key ?? undefined;
  if (!entry.pendingKey) {
    const description = keyDescription(entry.certificate.subjectPublicKeyInfo);
    const spki = new Uint8Array(entry.certificate.subjectPublicKeyInfo.toSchema().toBER());
    entry.pendingKey = (description ? backend.importKey(spki, description) : Promise.resolve(undefined)).then((key) => {
      entry.key = key ?? null;
      return key;
    });
  }
  return entry.pendingKey;
}

/** A fresh copy of the summary with its status at `now` (callers may keep and change what they are given). */
export function summaryAt(summary: CertificateSummary, entry: CachedCertificate, now: Date): CertificateSummary {
  const status = validityStatus(entry.notBefore, entry.notAfter, now);
  return { ...summary, status, ...(summary.keyUsage ? { keyUsage: [...summary.keyUsage] } : {}) };
}

/** The bytes of the encodings the certificate cache keeps now (tests and monitoring). */
export function certificateCacheBytes(): number {
  return certificates.weight;
}

/** Forgets every cached certificate (tests, and a portal that wants the memory back). */
export function clearCertificateCache(): void {
  certificates.clear();
}
