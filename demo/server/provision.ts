import { nameAttribute, OID, parseCertificate, serialNumberHex } from '@sicert/pki';
import type { SoftTokenProvider } from '@sicert/agent';
import { subjectSerial } from './applications-api.js';
import type { DemoCa } from './demo-ca.js';
import type { CertificatesStore } from './certificates-store.js';

/**
 * The demo certificates' initial password, shown on the demo pages as such: a citizen may change it on the status
 * page, and a real citizen sets their own.
 */
export const DEMO_PIN = 'Demo2026';

/** Whose the demo certificate is: 张三 on the demo's insured records, so the quick start signs his declarations. */
export const DEMO_HOLDER = { name: '张三', idNumber: '11010519491231002X' } as const;

/** Whose the second demo certificate is: 陈明, whose certificate is in its last month, so renewal can be tried at once. */
export const RENEWAL_HOLDER = { name: '陈明', idNumber: '310104198506120035' } as const;

/** How many days the second demo certificate has left when it is made. */
export const RENEWAL_DAYS_LEFT = 20;

const DAY_MS = 86_400_000;

/** One certificate the demo puts on this computer: whose, and, for one near its end, how many days it has left. */
interface DemoCertificate {
  holder: { name: string; idNumber: string };
  daysLeft?: number;
}

const DEMO_CERTIFICATES: readonly DemoCertificate[] = [{ holder: DEMO_HOLDER }, { holder: RENEWAL_HOLDER, daysLeft: RENEWAL_DAYS_LEFT }];

/** The label of a demo person's software token and the CN of their demo certificate: `张三 (演示)`. */
export const demoLabel = (holder: { name: string }): string => `${holder.name} (演示)`;

/** The validity of a certificate issued `years` before `daysLeft` from now: a real one, late in its life. */
function endingIn(daysLeft: number, years: number): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(Date.now() + daysLeft * DAY_MS);
  const notBefore = new Date(notAfter);
  notBefore.setFullYear(notBefore.getFullYear() - years);
  return { notBefore, notAfter };
}

/**
 * Puts each demo person's certificate, issued by the demo CA, in a software token of its own (as the wizard makes one
 * per holder), with the password {@link DEMO_PIN}: 张三's, valid for two years, so the signer works at once with no
 * USB-Key; and 陈明's, which expires in {@link RENEWAL_DAYS_LEFT} days, so renewal works at once. A person who already
 * has a certificate on this computer (an earlier start, or one they applied for) gets none: the first start provisions
 * both, and a data directory from before the second one gains it at its next start. Answers the labels it provisioned.
 */
export async function provisionDemoCertificate(soft: SoftTokenProvider, ca: DemoCa, certificates: CertificatesStore): Promise<string[]> {
  const held = new Set((await soft.listCertificates()).map((c) => nameAttribute(parseCertificate(c.der).subject, OID.serialNumber)));
  const provisioned: string[] = [];
  for (const { holder, daysLeft } of DEMO_CERTIFICATES) {
    const serialNumber = subjectSerial(holder.idNumber);
    if (held.has(serialNumber)) continue;
    const label = demoLabel(holder);
    const tokenId = await soft.createToken(label, DEMO_PIN);
    const { publicKey } = await soft.generateKey(tokenId, DEMO_PIN, 'ECDSA-P256', 'demo');
    const subject = { C: 'CN', ST: '示例省', O: 'sicert 演示', serialNumber, CN: label };
    const certificate = await ca.issue(subject, publicKey, 2, daysLeft === undefined ? undefined : endingIn(daysLeft, 2));
    await soft.installCertificate(tokenId, certificate, [ca.certificate]);
    // The holder owns it and may act on it: report it lost, renew it in its last month.
    await certificates.record({ serial: serialNumberHex(parseCertificate(certificate)), subject: label, der: certificate, holder: holder.idNumber, owner: holder.idNumber, applicationId: null });
    provisioned.push(label);
  }
  return provisioned;
}
