import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';
import { parseCertificate } from './certificate-summary.js';
import { crlReasonName, type CrlReason } from './crl-reasons.js';
import { formatName } from './names.js';
import { OID } from './oids.js';
import { serialHexOf } from './serial-number.js';

/** A revoked certificate as a CRL lists it. */
export interface CrlEntry {
  /** Lower-case hex without leading zero bytes, as `serialNumberHex` gives a certificate's. */
  serialNumber: string;
  revocationDate: Date;
  /** `unspecified` when the entry has no reasonCode (or one RFC 5280 does not define). */
  reason: CrlReason;
}

/** What a CRL says. */
export interface CrlInfo {
  /** RFC 4514 string of the issuer name. */
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** The CRLNumber extension, when present. */
  crlNumber?: bigint;
  revoked: CrlEntry[];
}

function extensionValue(extensions: pkijs.Extensions | undefined, id: string): asn1js.AsnType | undefined {
  const found = extensions?.extensions.find((e) => e.extnID === id);
  if (!found) return undefined;
  const parsed = asn1js.fromBER(found.extnValue.valueBlock.valueHexView);
  return parsed.offset === -1 ? undefined : parsed.result;
}

function parse(der: Uint8Array): pkijs.CertificateRevocationList {
  return pkijs.CertificateRevocationList.fromBER(exactBuffer(der));
}

function info(crl: pkijs.CertificateRevocationList): CrlInfo {
  const number = extensionValue(crl.crlExtensions, OID.cRLNumber);
  const revoked = (crl.revokedCertificates ?? []).map((entry): CrlEntry => {
    const code = extensionValue(entry.crlEntryExtensions, OID.cRLReason);
    const reason = code instanceof asn1js.Enumerated ? crlReasonName(code.valueBlock.valueDec) : undefined;
    return { serialNumber: serialHexOf(entry.userCertificate), revocationDate: entry.revocationDate.value, reason: reason ?? 'unspecified' };
  });
  return {
    issuer: formatName(crl.issuer),
    thisUpdate: crl.thisUpdate.value,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.value } : {}),
    ...(number instanceof asn1js.Integer ? { crlNumber: number.toBigInt() } : {}),
    revoked,
  };
}

/**
 * Reads a DER CRL without checking it: who issued it, when, its number, and the revoked serials with reasons.
 * Throws on anything that is not a CRL. Use {@link verifyCrl} for a CRL from the network.
 */
export function parseCrl(der: Uint8Array): CrlInfo {
  return info(parse(der));
}

/**
 * Why {@link verifyCrl} refused a CRL: `MALFORMED` (not a CRL), `WRONG_ISSUER` (another issuer name than the CA
 * certificate's subject), `SIGNATURE_INVALID` (not signed by that CA's key, or a critical extension sicert does not
 * know), `NOT_YET_VALID` (thisUpdate after `now`) or `STALE` (nextUpdate passed, or absent: nobody can tell how old
 * it is).
 */
export type CrlProblem = 'MALFORMED' | 'WRONG_ISSUER' | 'SIGNATURE_INVALID' | 'NOT_YET_VALID' | 'STALE';

/** Outcome of {@link verifyCrl}: the CRL's contents when it holds. */
export type CrlVerification = { valid: true; crl: CrlInfo } | { valid: false; problem: CrlProblem };

/**
 * Checks a DER CRL before its list is trusted: issued and signed by `issuerCertificate` (DER), and current at `now`
 * (default: the clock). A stale CRL is refused rather than read as "nothing revoked since".
 */
export async function verifyCrl(der: Uint8Array, issuerCertificate: Uint8Array, now: Date = new Date()): Promise<CrlVerification> {
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = parse(der);
  } catch {
    return { valid: false, problem: 'MALFORMED' };
  }
  const issuer = parseCertificate(issuerCertificate);
  if (!crl.issuer.isEqual(issuer.subject)) return { valid: false, problem: 'WRONG_ISSUER' };
  // pkijs throws on a signature algorithm it does not know: that CRL is not signed in any way sicert can check.
  // (Typed boolean so that the catch cannot answer anything else.)
  const signed: boolean = await crl.verify({ issuerCertificate: issuer }).catch(() => false);
  if (!signed) return { valid: false, problem: 'SIGNATURE_INVALID' };
  if (crl.thisUpdate.value > now) return { valid: false, problem: 'NOT_YET_VALID' };
  if (!crl.nextUpdate || crl.nextUpdate.value < now) return { valid: false, problem: 'STALE' };
  return { valid: true, crl: info(crl) };
}
