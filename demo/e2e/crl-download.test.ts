// OpenSSL as a relying party would use it against the running demo: `openssl verify -crl_check -crl_download`
// fetches the CRL from the URL the certificate names (the portal's /crl, asked for with `Host: 127.0.0.1`, no port)
// and tells the demo's good certificate from one reported lost.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCertificate, serialNumberHex } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { DEMO_HOLDER, RENEWAL_HOLDER } from '../server/provision.js';
import { session } from '../test/support/portal.js';

const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

describe('openssl verify -crl_check -crl_download against the demo', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-crl-download-'));
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: true });
    writeFileSync(join(dataDir, 'ca.pem'), pem(demo.ca.certificate));
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The demo certificate of `holder` on this computer, as a PEM file for OpenSSL, and its serial. */
  async function demoCertificate(holder: { idNumber: string }): Promise<{ file: string; serial: string }> {
    const [issued] = (await demo.certificates.ownedBy(holder.idNumber));
    assert.ok(issued, `a demo certificate for ${holder.idNumber}`);
    const file = join(dataDir, `${issued.serial}.pem`);
    writeFileSync(file, pem(issued.der));
    return { file, serial: serialNumberHex(parseCertificate(issued.der)) };
  }

  /**
   * `openssl verify` with the CRL downloaded from the certificate's own distribution point. Asynchronous: the portal
   * answering OpenSSL runs in this process, so a synchronous spawn would wait for itself.
   */
  function verify(file: string): Promise<{ ok: boolean; output: string }> {
    return new Promise((resolve) => {
      execFile('openssl', ['verify', '-crl_check', '-crl_download', '-CAfile', join(dataDir, 'ca.pem'), file], { timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ ok: error === null, output: `${stdout}${stderr}` });
      });
    });
  }

  it('passes the good demo certificate, the CRL fetched from the portal', async () => {
    const { file } = await demoCertificate(DEMO_HOLDER);
    const result = await verify(file);
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /: OK/);
  });

  it('refuses the demo certificate its holder reported lost', async () => {
    const { file, serial } = await demoCertificate(RENEWAL_HOLDER);
    assert.equal((await verify(file)).ok, true, 'good before the report');
    const holder = await session(demo, RENEWAL_HOLDER.idNumber);
    assert.equal((await holder.call('POST', `/api/sicert/v1/certificates/${serial}/loss`, {})).status, 200);
    const result = await verify(file);
    assert.equal(result.ok, false);
    assert.match(result.output, /certificate revoked/);
  });
});
