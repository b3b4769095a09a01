import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exactBuffer, issueCertificate, issueCrl, webCryptoSigner, type CrlTemplate, type MessageSigner, type NameAttributes } from '@sicert/pki';

/** Policy OID of the demo's personal certificates (an arc reserved for examples; not a real CA policy). */
export const DEMO_POLICY_OID = '1.3.6.1.4.1.55555.1.1';

/**
 * The demo portal's CA: an ECDSA P-256 root kept in the demo's data directory (key PKCS#8, mode 0600).
 * Real deployments use their CA's own issuance; this one exists so integrators see real certificates end to end.
 */
export class DemoCa {
  private constructor(
    readonly certificate: Uint8Array,
    private readonly signer: MessageSigner,
    private readonly crlUrl: string,
  ) {}

  /** Loads the CA from `dir`, creating it on first use. */
  static async open(dir: string, crlUrl: string): Promise<DemoCa> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyPath = join(dir, 'ca-key.p8');
    const certPath = join(dir, 'ca.der');
    if (existsSync(keyPath) && existsSync(certPath)) {
      const key = await crypto.subtle.importKey('pkcs8', exactBuffer(readFileSync(keyPath)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
      return new DemoCa(new Uint8Array(readFileSync(certPath)), webCryptoSigner(key), crlUrl);
    }
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']));
    const now = Date.now();
    const signer = webCryptoSigner(keys.privateKey);
    const certificate = await issueCertificate(
      {
        subject: { C: 'CN', O: 'sicert 演示人社厅 (demo)', CN: 'sicert 演示社保CA (Demo Root CA)' },
        publicKey: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
        notBefore: new Date(now - 86_400_000),
        notAfter: new Date(now + 20 * 365 * 86_400_000),
        keyUsage: ['keyCertSign', 'cRLSign'],
        isCA: true,
      },
      { signer },
    );
    writeFileSync(keyPath, new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
    writeFileSync(certPath, certificate);
    return new DemoCa(certificate, signer, crlUrl);
  }

  /**
   * Issues a signing certificate (digitalSignature + nonRepudiation) valid for `years`. `validity` overrides the
   * window for tests (a certificate that expires in 10 days, one already expired); no HTTP handler passes it.
   */
  issue(subject: NameAttributes, publicKey: Uint8Array, years = 2, validity?: { notBefore: Date; notAfter: Date }): Promise<Uint8Array> {
    const notBefore = validity?.notBefore ?? new Date(Date.now() - 60_000);
    const notAfter = validity?.notAfter ?? new Date(notBefore);
    if (!validity) notAfter.setFullYear(notAfter.getFullYear() + years);
    return issueCertificate(
      { subject, publicKey, notBefore, notAfter, keyUsage: ['digitalSignature', 'nonRepudiation'], crlUrl: this.crlUrl, policies: [DEMO_POLICY_OID] },
      { certificate: this.certificate, signer: this.signer },
    );
  }

  /** Signs a CRL (the root has keyUsage cRLSign); the URL certificates name serves it (see crl-publisher.ts). */
  crl(template: CrlTemplate): Promise<Uint8Array> {
    return issueCrl(template, { certificate: this.certificate, signer: this.signer });
  }
}
