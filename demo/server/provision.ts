import { serialNumberHex, parseCertificate } from '@sicert/pki';
import type { SoftTokenProvider } from '@sicert/agent';
import { subjectSerial } from './applications-api.js';
import type { DemoCa } from './demo-ca.js';
import type { DemoDatabase } from './database.js';

/** The demo certificate's password, shown on the demo page. A real citizen sets their own. */
export const DEMO_PIN = 'Demo2026';

/** Whose the demo certificate is: 张三 on the demo's insured records, so the quick start signs his declarations. */
export const DEMO_HOLDER = { name: '张三', idNumber: '11010519491231002X' } as const;

/**
 * First run: puts a demo certificate, issued by the demo CA, in a software token of its own (as the wizard makes
 * one per holder) so the signer works at once with no USB-Key. Does nothing once the computer holds a certificate.
 */
export async function provisionDemoCertificate(soft: SoftTokenProvider, ca: DemoCa, db: DemoDatabase): Promise<boolean> {
  if ((await soft.listCertificates()).length > 0) return false;
  const tokenId = await soft.createToken('张三 (演示)', DEMO_PIN);
  const { publicKey } = await soft.generateKey(tokenId, DEMO_PIN, 'ECDSA-P256', 'demo');
  const subject = { C: 'CN', ST: '示例省', O: 'sicert 演示', serialNumber: subjectSerial(DEMO_HOLDER.idNumber), CN: '张三 (演示)' };
  const certificate = await ca.issue(subject, publicKey);
  await soft.installCertificate(tokenId, certificate, [ca.certificate]);
  db.recordIssued(serialNumberHex(parseCertificate(certificate)), '张三 (演示)', certificate);
  return true;
}
