import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids.js';
import { publicKeyAlgorithm } from './public-key.js';
import type { SignatureKeyAlgorithm } from './signer.js';

/** The AlgorithmIdentifier of a SHA-256 signature by `algorithm`. */
export function signatureAlgorithmIdentifier(algorithm: SignatureKeyAlgorithm): pkijs.AlgorithmIdentifier {
  return algorithm === 'ECDSA-P256'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
}

/** The AlgorithmIdentifier of SHA-256 (parameters absent, as RFC 5754 prefers). */
export function sha256AlgorithmIdentifier(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
}

/**
 * Key algorithm name of a parsed SubjectPublicKeyInfo, for display and for choosing a mechanism; the same name
 * {@link publicKeyAlgorithm} gives its DER.
 */
export function keyAlgorithmOf(spki: pkijs.PublicKeyInfo): string {
  return publicKeyAlgorithm(new Uint8Array(spki.toSchema().toBER()));
}
