import { toBase64 } from './bytes.js';
import { parseCertificate, serialNumberHex } from './certificate-summary.js';
import type { SignedDataVerification } from './verify-options.js';
import type { VerifyManyOptions } from './verify-many-types.js';

type IsRevoked = NonNullable<VerifyManyOptions['isRevoked']>;

/**
 * `isRevoked` for the verdicts that are otherwise valid, in the calling thread (a function cannot cross into a
 * worker, and the revocation store is the caller's). REVOKED is `verifySignedData`'s last check, so a signature
 * the workers found valid is exactly one the single call would have asked about. Each distinct signer certificate
 * is parsed and asked about once per call, whatever the number of its signatures.
 */
export async function applyRevocation(results: SignedDataVerification[], isRevoked: IsRevoked): Promise<SignedDataVerification[]> {
  const answers = new Map<string, Promise<boolean>>();
  const revoked = await Promise.all(
    results.map((result) => {
      if (!result.valid || !result.signerCertificate) return Promise.resolve(false);
      const key = toBase64(result.signerCertificate);
      let answer = answers.get(key);
      if (!answer) {
        const certificate = parseCertificate(result.signerCertificate);
        answer = Promise.resolve(isRevoked(serialNumberHex(certificate), certificate));
        answers.set(key, answer);
      }
      return answer;
    }),
  );
  return results.map((result, index) => (revoked[index] ? { ...result, valid: false, problem: 'REVOKED', message: 'the signer certificate is revoked' } : result));
}
