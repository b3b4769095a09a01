// Loss report (挂失) and status lookup: the holder (or the organisation's handler) revokes a certificate at once,
// the CRL lists it, and the portal refuses what it signs from then on — even a signature made before the report.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSignedData, parseCrl, toBase64, type MessageSigner } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { CROSS_SITE_HEADERS, endingIn, issueTo, LI, newKey, ORG, session, storedCrl, ZHANG, type Issued } from './support/portal.js';

describe('loss report and certificate status', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-loss-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function zhangsCertificate(): Promise<Issued & { signer: MessageSigner }> {
    const key = await newKey();
    return { ...(await issueTo(demo, ZHANG, key.spki, endingIn(200))), signer: key.signer };
  }

  async function crl() {
    return parseCrl(new Uint8Array(await (await fetch(`${demo.portalUrl}/crl`)).arrayBuffer()));
  }

  /** Opens a declaration for 张三 and signs its payload with `certificate`; posting is left to the test. */
  async function signedDeclaration(s: Awaited<ReturnType<typeof session>>, certificate: Issued & { signer: MessageSigner }) {
    const declaration = (await s.call('POST', '/api/declarations', {})).body as { id: string; payload: string };
    const cms = await createSignedData({ content: new TextEncoder().encode(declaration.payload), certificate: certificate.der, chain: [demo.ca.certificate] }, certificate.signer);
    return { id: declaration.id, signature: toBase64(cms) };
  }

  it('answers good, revoked (when and why) or unknown, to anyone, for any spelling of the serial', async () => {
    const mine = await zhangsCertificate();
    const anyone = await session(demo);
    assert.deepEqual((await anyone.call('GET', `/api/sicert/v1/certificates/${mine.serial}`)).body, { serialNumber: mine.serial, status: 'good' });
    assert.equal((await anyone.call('GET', `/api/sicert/v1/certificates/00${mine.serial.toUpperCase()}`)).body.status, 'good');
    assert.deepEqual((await anyone.call('GET', '/api/sicert/v1/certificates/0123abcd')).body, { serialNumber: '0123abcd', status: 'unknown' });
    const malformed = await anyone.call('GET', '/api/sicert/v1/certificates/not-a-serial');
    assert.deepEqual([malformed.status, malformed.body.error, malformed.body.field], [422, 'INVALID_FIELD', 'serialNumber']);

    const zhang = await session(demo, ZHANG.idNumber);
    assert.equal((await zhang.call('POST', `/api/sicert/v1/certificates/${mine.serial}/loss`, {})).status, 200);
    const revoked = (await anyone.call('GET', `/api/sicert/v1/certificates/${mine.serial}`)).body;
    assert.deepEqual([revoked.status, revoked.revocationReason], ['revoked', 'keyCompromise']);
    assert.ok(Math.abs(Date.parse(String(revoked.revokedAt)) - Date.now()) < 60_000, String(revoked.revokedAt));
  });

  it('revokes at once (keyCompromise), reissues the CRL, and then refuses the declaration that certificate signs', async () => {
    const mine = await zhangsCertificate();
    const zhang = await session(demo, ZHANG.idNumber);
    const before = await signedDeclaration(zhang, mine);
    assert.equal((await zhang.call('POST', `/api/declarations/${before.id}/signature`, { signature: before.signature })).body.verified, true, 'good until reported');

    const numberBefore = (await crl()).crlNumber!;
    const signedEarlier = await signedDeclaration(zhang, mine); // signed while good, posted after the report
    const report = await zhang.call('POST', `/api/sicert/v1/certificates/${mine.serial}/loss`, {});
    assert.deepEqual([report.status, report.body.status, report.body.revocationReason], [200, 'revoked', 'keyCompromise']);
    assert.ok((await storedCrl(demo)).revoked.some((e) => e.serialNumber === mine.serial), 'published by the report, not at the next fetch');
    const published = await crl();
    assert.ok(published.crlNumber! > numberBefore, 'a new CRL, numbered after the last');
    assert.deepEqual(published.revoked.find((e) => e.serialNumber === mine.serial)?.reason, 'keyCompromise');

    const late = await zhang.call('POST', `/api/declarations/${signedEarlier.id}/signature`, { signature: signedEarlier.signature });
    assert.deepEqual([late.status, late.body.verified, late.body.problem], [422, false, 'REVOKED']);
    assert.match(String(late.body.message), /吊销/);
    const after = await signedDeclaration(zhang, mine);
    assert.equal((await zhang.call('POST', `/api/declarations/${after.id}/signature`, { signature: after.signature })).body.problem, 'REVOKED');
  });

  it('reports once: a second report is WRONG_STATE, and the first report’s time and reason stand', async () => {
    const mine = await zhangsCertificate();
    const zhang = await session(demo, ZHANG.idNumber);
    const [one, two] = await Promise.all([1, 2].map(() => zhang.call('POST', `/api/sicert/v1/certificates/${mine.serial}/loss`, {})));
    assert.deepEqual([one!.status, two!.status].sort(), [200, 409]);
    const again = await zhang.call('POST', `/api/sicert/v1/certificates/${mine.serial}/loss`, {});
    assert.deepEqual([again.status, again.body.error], [409, 'WRONG_STATE']);
    assert.match(String(again.body.message), /已被吊销/);
    assert.equal((await demo.certificates.get(mine.serial))?.revocationReason, 'keyCompromise');
  });

  it('lets only the holder, or the organisation’s handler, report, signed in and from the portal’s own pages', async () => {
    const mine = await zhangsCertificate();
    const path = `/api/sicert/v1/certificates/${mine.serial}/loss`;
    const li = await session(demo, LI.idNumber);
    assert.deepEqual([(await li.call('POST', path, {})).status, (await li.call('POST', path, {})).body.error], [404, 'NOT_FOUND']);
    assert.equal((await (await session(demo)).call('POST', path, {})).status, 401);
    const zhang = await session(demo, ZHANG.idNumber);
    for (const headers of CROSS_SITE_HEADERS) {
      assert.deepEqual([(await zhang.call('POST', path, {}, headers)).body.error], ['CROSS_SITE'], JSON.stringify(headers));
    }
    assert.equal((await zhang.call('POST', '/api/sicert/v1/certificates/zz/loss', {})).status, 404);
    assert.equal((await demo.certificates.isRevoked(mine.serial)), false, 'nothing above revoked it');

    const orgCert = await issueTo(demo, LI, (await newKey()).spki, endingIn(200), ORG);
    assert.equal((await zhang.call('POST', `/api/sicert/v1/certificates/${orgCert.serial}/loss`, {})).status, 404, '张三 does not handle the organisation');
    const handler = await li.call('POST', `/api/sicert/v1/certificates/${orgCert.serial}/loss`, {});
    assert.deepEqual([handler.status, handler.body.status], [200, 'revoked'], 'its handler may');
  });
});
