// OpenSSL as the independent verifier: pkijs accepts some encodings that other verifiers reject, so every
// certificate and CMS that sicert produces in a test is checked by OpenSSL too.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function pem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function withFiles<T>(files: Record<string, string | Uint8Array>, run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'sicert-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(args: string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** `openssl verify` of a certificate against a root. */
export function opensslVerifyCertificate(certificate: Uint8Array, root: Uint8Array): { ok: boolean; output: string } {
  return withFiles({ 'root.pem': pem('CERTIFICATE', root), 'cert.pem': pem('CERTIFICATE', certificate) }, (dir) =>
    run(['verify', '-CAfile', 'root.pem', 'cert.pem'], dir),
  );
}

/**
 * `openssl cms -verify` of a DER CMS. Detached when `content` is given. `-purpose any` because the demo
 * certificates are for signing, not S/MIME email protection.
 */
export function opensslVerifyCms(cms: Uint8Array, root: Uint8Array, content?: Uint8Array): { ok: boolean; output: string } {
  const files: Record<string, string | Uint8Array> = { 'root.pem': pem('CERTIFICATE', root), 'sig.der': cms };
  if (content) files['content.bin'] = content;
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.der', '-CAfile', 'root.pem', '-purpose', 'any', '-out', 'out.bin'];
  if (content) args.push('-content', 'content.bin');
  return withFiles(files, (dir) => run(args, dir));
}

/** `openssl dgst -verify` of a raw signature (DER ECDSA or PKCS#1 v1.5) over `data` with SHA-256. */
export function opensslVerifyRaw(signature: Uint8Array, certificate: Uint8Array, data: Uint8Array): { ok: boolean; output: string } {
  return withFiles({ 'cert.pem': pem('CERTIFICATE', certificate), 'sig.bin': signature, 'data.bin': data }, (dir) => {
    const key = run(['x509', '-in', 'cert.pem', '-pubkey', '-noout', '-out', 'pub.pem'], dir);
    if (!key.ok) return key;
    return run(['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.bin', 'data.bin'], dir);
  });
}

/** The text dump of a certificate, for asserting extensions. */
export function opensslCertificateText(certificate: Uint8Array): string {
  return withFiles({ 'cert.pem': pem('CERTIFICATE', certificate) }, (dir) => run(['x509', '-in', 'cert.pem', '-noout', '-text'], dir).output);
}

/** `openssl req -verify` of a DER PKCS#10 request; also returns its subject line. */
export function opensslVerifyRequest(csr: Uint8Array): { ok: boolean; output: string } {
  return withFiles({ 'req.der': csr }, (dir) => run(['req', '-inform', 'DER', '-in', 'req.der', '-verify', '-noout', '-subject', '-nameopt', 'utf8,sep_comma_plus'], dir));
}

/** `openssl crl -verify` of a DER CRL against its issuer; also returns the text dump (`-text`). */
export function opensslVerifyCrl(crl: Uint8Array, issuer: Uint8Array): { ok: boolean; output: string } {
  return withFiles({ 'issuer.pem': pem('CERTIFICATE', issuer), 'crl.der': crl }, (dir) => {
    const result = run(['crl', '-inform', 'DER', '-in', 'crl.der', '-CAfile', 'issuer.pem', '-verify', '-noout', '-text'], dir);
    // OpenSSL 3 prints "verify OK" on success and exits 0 even for some failures: require the words.
    return { ok: result.ok && /verify OK/.test(result.output), output: result.output };
  });
}

/** `openssl verify -crl_check` of a certificate against a root and the root's CRL (DER). */
export function opensslVerifyWithCrl(certificate: Uint8Array, root: Uint8Array, crl: Uint8Array): { ok: boolean; output: string } {
  return withFiles({ 'root.pem': pem('CERTIFICATE', root), 'cert.pem': pem('CERTIFICATE', certificate), 'crl.pem': pem('X509 CRL', crl) }, (dir) =>
    run(['verify', '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'crl.pem', 'cert.pem'], dir),
  );
}
