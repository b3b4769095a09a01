import { serialNumberHex, parseCertificate } from '@sicert/pki';
import type { SoftTokenProvider } from '@sicert/agent';
import { subjectSerial } from './applications-api.js';
import type { DemoCa } from './demo-ca.js';
import type { CertificatesStore } from './certificates-store.js';

/** The demo certificate's password, shown on the demo page. A real citizen sets their own. */
export const DEMO_PIN = 'Demo2026';

/** Whose the demo certificate is: 张三 on the demo's insured records, so the quick start signs his declarations. */
export const DEMO_HOLDER = { name: '张三', idNumber: '11010519491231002X' } as const;

/**
 * First run: puts a demo certificate, issued by the demo CA, in a software token of its own (as the wizard makes
 * one per holder) so the signer works at once with no USB-Key. Does nothing once the computer holds a certificate.
 */
export async function provisionDemoCertificate(soft: SoftTokenProvider, ca: DemoCa, certificates: CertificatesStore): Promise<boolean> {
  if ((await soft.listCertificates()).length > 0) return false;
  const tokenId = await soft.createToken('张三 (演示)', DEMO_PIN);
  const { publicKey } = await soft.generateKey(tokenId, DEMO_PIN, 'ECDSA-P256', 'demo');
  const subject = { C: 'CN', ST: '示例省', O: 'sicert 演示', serialNumber: subjectSerial(DEMO_HOLDER.idNumber), CN: '张三 (演示)' };
  const certificate = await ca.issue(subject, publicKey);
  await soft.installCertificate(tokenId, certificate, [ca.certificate]);
  // 张三 holds it and may act on it: report it lost, renew it in its last month.
  certificates.record({ serial: serialNumberHex(parseCertificate(certificate)), subject: '张三 (演示)', der: certificate, holder: DEMO_HOLDER.idNumber, owner: DEMO_HOLDER.idNumber, applicationId: null });
  return true;
}
