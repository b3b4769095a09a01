import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ecdsaRawToDer } from './ecdsa-signature.js';
import { exactBuffer, sha256 } from './bytes.js';
import { OID } from './oids.js';

/** Key algorithms sicert signs with. */
export type SignatureKeyAlgorithm = 'ECDSA-P256' | 'RSA-2048';

/**
 * Signs a SHA-256 digest with a private key that may live anywhere: on a USB-Key through PKCS#11, in the
 * software token, or in the demo CA's WebCrypto key. Returns the signature as X.509 and CMS carry it:
 * DER `SEQUENCE { r, s }` for ECDSA, PKCS#1 v1.5 bytes for RSA.
 */
export interface DigestSigner {
  readonly algorithm: SignatureKeyAlgorithm;
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
}

/** Signs whole messages; what certificate and CMS builders need. */
export interface MessageSigner {
  readonly algorithm: SignatureKeyAlgorithm;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A message signer that hashes with SHA-256 and hands the digest to `signer`. */
export function messageSigner(signer: DigestSigner): MessageSigner {
  return {
    algorithm: signer.algorithm,
    sign: async (message) => signer.signDigest(await sha256(message)),
  };
}

/** A message signer over a WebCrypto private key (ECDSA P-256 or RSASSA-PKCS1-v1_5 with SHA-256). */
export function webCryptoSigner(privateKey: CryptoKey): MessageSigner {
  const ecdsa = privateKey.algorithm.name === 'ECDSA';
  return {
    algorithm: ecdsa ? 'ECDSA-P256' : 'RSA-2048',
    async sign(message) {
      const algorithm = ecdsa ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
      const signature = new Uint8Array(await crypto.subtle.sign(algorithm, privateKey, exactBuffer(message)));
      return ecdsa ? ecdsaRawToDer(signature) : signature;
    },
  };
}

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

/** Key algorithm name of a SubjectPublicKeyInfo, for display and for choosing a mechanism. */
export function keyAlgorithmOf(spki: pkijs.PublicKeyInfo): string {
  const id = spki.algorithm.algorithmId;
  if (id === OID.rsaEncryption) {
    const bits = rsaModulusBits(spki);
    return `RSA-${bits}`;
  }
  if (id === OID.ecPublicKey) {
    const params = spki.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined;
    const curve = params?.valueBlock.toString();
    if (curve === OID.prime256v1) return 'ECDSA-P256';
    if (curve === OID.sm2Curve) return 'SM2';
    return `EC-${curve ?? 'unknown'}`;
  }
  return id;
}

function rsaModulusBits(spki: pkijs.PublicKeyInfo): number {
  const parsed = asn1js.fromBER(spki.subjectPublicKey.valueBlock.valueHexView);
  const modulus = (parsed.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Integer;
  let bytes = modulus.valueBlock.valueHexView;
  while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
  return bytes.length * 8;
}
