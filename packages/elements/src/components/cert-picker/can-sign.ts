import type { CertificateInfo } from '@sicert/protocol';
import type { CertificateRecord } from '../../backend/types.js';

/**
 * True when the certificate can sign now: it has its private key, is within its validity, and — when the portal was
 * asked (`record`) — is not revoked, for whatever reason (a loss report, or replaced by its renewal).
 */
export function canSign(cert: CertificateInfo, record?: CertificateRecord): boolean {
  return cert.hasPrivateKey && (cert.status === 'valid' || cert.status === 'expiring') && record?.status !== 'revoked';
}
