import type { CertificateInfo } from '@sicert/protocol';
import type { PortalBackend } from '../../backend/portal-backend.js';
import type { CertificateRecord } from '../../backend/types.js';
import { canSign } from '../cert-picker/can-sign.js';

/** What the signer needs of the portal's backend: the status card's `backend` serves. */
export type CertificateStatusSource = Pick<PortalBackend, 'certificateStatus'>;

/**
 * What the portal says of each certificate, by serial number. A certificate it could not be asked about is left out:
 * its dates alone then decide, as without a backend — the portal still verifies whatever is signed.
 */
export async function lookUpRecords(source: CertificateStatusSource, certificates: readonly CertificateInfo[]): Promise<Record<string, CertificateRecord>> {
  const serials = [...new Set(certificates.map((c) => c.serialNumber))];
  const answers = await Promise.all(
    serials.map((serial) =>
      source.certificateStatus(serial).then(
        (record): [string, CertificateRecord] => [serial, record],
        () => undefined,
      ),
    ),
  );
  return Object.fromEntries(answers.filter((answer) => answer !== undefined));
}

/**
 * The certificate to preselect: one that can sign, preferring one the portal does not say is someone else's (`mine`),
 * then one it holds good, then one not about to expire, then the agent's order. A revoked or superseded certificate is
 * never chosen, so a renewed certificate listed after the one it replaced is still the one offered; another person's
 * certificate on a shared computer is chosen only when nothing else can sign (the portal would refuse it).
 */
export function preferredCertificate(certificates: readonly CertificateInfo[], records: Readonly<Record<string, CertificateRecord>>): CertificateInfo | undefined {
  const score = (cert: CertificateInfo) => {
    const record = records[cert.serialNumber];
    return (record?.mine === false ? 0 : 4) + (record?.status === 'good' ? 2 : 0) + (cert.status === 'valid' ? 1 : 0);
  };
  let best: CertificateInfo | undefined;
  for (const cert of certificates) if (canSign(cert, records[cert.serialNumber]) && (!best || score(cert) > score(best))) best = cert;
  return best;
}
