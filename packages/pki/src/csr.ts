import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from './bytes.js';
import { buildName, formatName, type NameAttributes } from './names.js';
import { keyAlgorithmOf, signatureAlgorithmIdentifier } from './algorithm-identifiers.js';
import type { MessageSigner } from './signer.js';

/**
 * Builds a PKCS#10 certification request for `subject` and the public key `publicKey` (DER SPKI), signed by
 * `signer` (the token's private key), and verifies the signature before returning the DER.
 */
export async function createCertificationRequest(subject: NameAttributes, publicKey: Uint8Array, signer: MessageSigner): Promise<Uint8Array<ArrayBuffer>> {
  const request = new pkijs.CertificationRequest();
  request.version = 0;
  request.subject = buildName(subject);
  request.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(exactBuffer(publicKey));
  request.attributes = [];
  request.signatureAlgorithm = signatureAlgorithmIdentifier(signer.algorithm);
  // pkijs keeps encodeTBS protected on requests (public on certificates); the TBS is what the token signs.
  const tbs = new Uint8Array((request as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER());
  request.tbsView = tbs;
  request.signatureValue = new asn1js.BitString({ valueHex: exactBuffer(await signer.sign(tbs)) });
  const der = new Uint8Array(request.toSchema().toBER());
  if (!(await verifyCertificationRequest(der))) throw new Error('the token produced a CSR whose signature does not verify');
  return der;
}

/** The parsed request: its subject and public key, after checking its self-signature. */
export interface CertificationRequestInfo {
  subject: string;
  publicKey: Uint8Array;
  /** The key's algorithm as {@link keyAlgorithmOf} names it (`ECDSA-P256`, `RSA-2048`, `SM2`, …). */
  keyAlgorithm: string;
}

/** Verifies a DER PKCS#10 request's signature; returns false when it does not verify or does not parse. */
export async function verifyCertificationRequest(der: Uint8Array): Promise<boolean> {
  try {
    return await pkijs.CertificationRequest.fromBER(exactBuffer(der)).verify();
  } catch {
    return false;
  }
}

/** Parses a DER PKCS#10 request after verifying it; throws when it does not verify. */
export async function readCertificationRequest(der: Uint8Array): Promise<CertificationRequestInfo> {
  if (!(await verifyCertificationRequest(der))) throw new Error('the certification request does not verify');
  const request = pkijs.CertificationRequest.fromBER(exactBuffer(der));
  return {
    subject: formatName(request.subject),
    publicKey: new Uint8Array(request.subjectPublicKeyInfo.toSchema().toBER()),
    keyAlgorithm: keyAlgorithmOf(request.subjectPublicKeyInfo),
  };
}
