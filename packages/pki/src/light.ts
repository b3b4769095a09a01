/**
 * `@sicert/pki/light`: what a key store and a signer need on their hot paths, without pkijs or asn1js anywhere
 * in this module's graph (the agent starts, lists keys and signs without loading them). Bytes, SHA-256, the ECDSA
 * signature encoding, public keys and key ids, a certificate's fields, and CMS SignedData built from pre-encoded
 * parts. `test/light-graph.test.ts` fails if anything here comes to import pkijs or asn1js.
 */
export * from './bytes.js';
export * from './ecdsa-signature.js';
export * from './oids.js';
export * from './signer.js';
export { ecPublicKeyInfo, keyIdOf, publicKeyAlgorithm, rsaPublicKeyInfo } from './public-key.js';
export { certificateFields, certificateParts, type CertificateFields, type CertificateParts } from './certificate-fields.js';
export { DerError } from './der-reader.js';
export * from './cms-sign.js';
