// The demo CA's CRL at the URL its certificates name: signed, numbered, reissued on every revocation, never
// behind the database, and used by OpenSSL to tell a good certificate from a revoked one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCrl, verifyCrl } from '@sicert/pki';
import { opensslCertificateText, opensslVerifyCrl, opensslVerifyWithCrl } from '@sicert/test-support/openssl';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { DAY, endingIn, issueTo, newKey, session, ZHANG } from './support/portal.js';

describe('the demo CA’s CRL', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-crl-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function fetchCrl(url = `${demo.portalUrl}/crl`): Promise<{ der: Uint8Array; type: string | null; cache: string | null }> {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    return { der: new Uint8Array(await response.arrayBuffer()), type: response.headers.get('content-type'), cache: response.headers.get('cache-control') };
  }

  const zhangs = async (days = 200) => issueTo(demo, ZHANG, (await newKey()).spki, endingIn(days));

  it('serves a signed CRL at the URL the certificates name, which OpenSSL verifies against the demo CA', async () => {
    const certificate = await zhangs();
    const url = /URI:(\S+)/.exec(opensslCertificateText(certificate.der))?.[1];
    assert.equal(url, `${demo.portalUrl}/crl`);
    const { der, type, cache } = await fetchCrl(url);
    assert.match(type ?? '', /^application\/pkix-crl/);
    assert.equal(cache, 'no-cache');
    const checked = opensslVerifyCrl(der, demo.ca.certificate);
    assert.equal(checked.ok, true, checked.output);
    assert.match(checked.output, /Next Update:/);
    const verified = await verifyCrl(der, demo.ca.certificate);
    assert.equal(verified.valid, true);
    const read = parseCrl(der);
    assert.equal(read.nextUpdate!.getTime() - read.thisUpdate.getTime(), 7 * DAY);
    assert.equal(parseCrl((await fetchCrl()).der).crlNumber, read.crlNumber, 'nothing changed: the same CRL again');
  });

  it('openssl verify -crl_check passes a good certificate and refuses it once it is reported lost', async () => {
    const certificate = await zhangs();
    const good = opensslVerifyWithCrl(certificate.der, demo.ca.certificate, (await fetchCrl()).der);
    assert.equal(good.ok, true, good.output);
    const zhang = await session(demo, ZHANG.idNumber);
    assert.equal((await zhang.call('POST', `/api/sicert/v1/certificates/${certificate.serial}/loss`, {})).status, 200);
    const revoked = opensslVerifyWithCrl(certificate.der, demo.ca.certificate, (await fetchCrl()).der);
    assert.equal(revoked.ok, false);
    assert.match(revoked.output, /certificate revoked/);
  });

  it('never serves a CRL behind the database: a revocation whose publication was lost (a crash) is listed at the next fetch', async () => {
    const certificate = await zhangs();
    const before = parseCrl((await fetchCrl()).der).crlNumber!;
    assert.equal(await demo.certificates.revoke(certificate.serial, 'cessationOfOperation'), true); // revoked, not published
    const read = parseCrl((await fetchCrl()).der);
    assert.ok(read.crlNumber! > before);
    assert.equal(read.revoked.find((e) => e.serialNumber === certificate.serial)?.reason, 'cessationOfOperation');
  });

  it('reissues a CRL past half its life, before relying parties would find it stale', async () => {
    const current = parseCrl((await fetchCrl()).der);
    const inFourDays = new Date(current.thisUpdate.getTime() + 4 * DAY);
    const reissued = parseCrl(await demo.crl.current(inFourDays));
    assert.ok(reissued.crlNumber! > current.crlNumber!);
    const inTwoDays = new Date(reissued.thisUpdate.getTime() + 2 * DAY);
    assert.equal(parseCrl(await demo.crl.current(inTwoDays)).crlNumber, reissued.crlNumber);
  });

  it('numbers CRLs upwards through concurrent revocations and a restart, and lists every revocation', async () => {
    const certificates = await Promise.all([1, 2, 3, 4, 5].map(() => zhangs()));
    const zhang = await session(demo, ZHANG.idNumber);
    const reports = await Promise.all(certificates.map((c) => zhang.call('POST', `/api/sicert/v1/certificates/${c.serial}/loss`, {})));
    assert.deepEqual(reports.map((r) => r.status), [200, 200, 200, 200, 200]);
    const listed = new Set(parseCrl((await fetchCrl()).der).revoked.map((e) => e.serialNumber));
    for (const c of certificates) assert.ok(listed.has(c.serial), c.serial);

    const last = parseCrl((await fetchCrl()).der).crlNumber!;
    await demo.close();
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    assert.equal(parseCrl((await fetchCrl()).der).crlNumber, last, 'the stored CRL survives the restart');
    const afterRestart = await zhangs();
    const zhangAgain = await session(demo, ZHANG.idNumber);
    await zhangAgain.call('POST', `/api/sicert/v1/certificates/${afterRestart.serial}/loss`, {});
    assert.ok(parseCrl((await fetchCrl()).der).crlNumber! > last);
  });

  it('answers only on the portal’s own Host, like every other path', async () => {
    const port = new URL(demo.portalUrl).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/crl', headers: { host: `rebind.attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 421);
  });
});
