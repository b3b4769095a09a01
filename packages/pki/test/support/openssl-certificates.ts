// Certificates made by OpenSSL rather than by sicert's own issuer: other string types, a multi-valued RDN, a
// GeneralizedTime validity, other curves. The light certificate reader must read them as pkijs does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What to ask `openssl req -x509` for. */
export interface OpensslCertificatePlan {
  name: string;
  /** `-newkey` argument: `ec:<curve>` is given as `-newkey ec -pkeyopt ec_paramgen_curve:<curve>`. */
  key: string;
  subject: string;
  days: number;
  /** Extra arguments (`-multivalue-rdn`, `-utf8`, `-set_serial`, …). */
  args?: string[];
}

export const OPENSSL_PLANS: OpensslCertificatePlan[] = [
  { name: 'P-256, PrintableString names, one year', key: 'ec:P-256', subject: '/C=CN/O=Acme/CN=Zhang San', days: 365 },
  { name: 'RSA-2048, UTF8 Chinese names, serial with the high bit', key: 'rsa:2048', subject: '/C=CN/O=测试单位/CN=张三', days: 30, args: ['-utf8', '-set_serial', '0x80a1b2c3d4e5f6'] },
  { name: 'P-384, notAfter after 2049 (GeneralizedTime)', key: 'ec:P-384', subject: '/CN=Far Future', days: 40000 },
  { name: 'SM2 curve, no common name', key: 'ec:SM2', subject: '/C=CN/O=No Common Name', days: 10 },
  { name: 'multi-valued RDN and an IA5String e-mail address', key: 'ec:P-256', subject: '/C=CN/O=Org+CN=Multi/emailAddress=a@b.cn', days: 10, args: ['-multivalue-rdn'] },
  { name: 'RSA-3072, two common names (the first counts), serial 0', key: 'rsa:3072', subject: '/CN=First/CN=Second', days: 1, args: ['-set_serial', '0'] },
];

/** A self-signed DER certificate made by `openssl req -x509`. */
export function opensslCertificate(plan: OpensslCertificatePlan): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'sicert-openssl-cert-'));
  try {
    const [type, parameter] = plan.key.split(':') as [string, string];
    const key = type === 'ec' ? ['-newkey', 'ec', '-pkeyopt', `ec_paramgen_curve:${parameter}`] : ['-newkey', plan.key];
    const args = ['req', '-x509', ...key, '-nodes', '-keyout', join(dir, 'key.pem'), '-subj', plan.subject, '-days', String(plan.days), '-outform', 'DER', '-out', join(dir, 'cert.der'), ...(plan.args ?? [])];
    const result = spawnSync('openssl', args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
    return new Uint8Array(readFileSync(join(dir, 'cert.der')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
