// The demo's first start: 张三's certificate to sign with, and 陈明's, which expires in about 20 days, to renew; each
// in a software token of its own with the demo's initial password, recorded as the holder's; once per holder.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCertificate, serialNumberHex, summarizeCertificate, toBase64 } from '@sicert/pki';
import { connect } from '@sicert/test-support/agent-client';
import { subjectSerial } from '../server/applications-api.js';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { DEMO_HOLDER, DEMO_PIN, demoLabel, provisionDemoCertificate, RENEWAL_DAYS_LEFT, RENEWAL_HOLDER } from '../server/provision.js';
import { DAY, session } from './support/portal.js';

describe('demo certificates provisioned at first start', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-provision-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0 });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const onComputer = async (d: RunningDemo = demo) =>
    Promise.all((await d.agent.softToken!.listCertificates()).map(async (c) => ({ ...c, summary: summarizeCertificate(c.der), token: (await d.agent.softToken!.listTokens()).find((t) => t.id === c.tokenId) })));

  it('puts 张三’s valid certificate and 陈明’s, in its last month, each in a token of its own labelled with the holder', async () => {
    const certificates = await onComputer();
    assert.deepEqual(certificates.map((c) => c.summary.subjectCommonName).sort(), [demoLabel(DEMO_HOLDER), demoLabel(RENEWAL_HOLDER)].sort());
    assert.notEqual(certificates[0]!.tokenId, certificates[1]!.tokenId);
    for (const c of certificates) assert.equal(c.token?.label, c.summary.subjectCommonName);
    const zhang = certificates.find((c) => c.summary.subjectCommonName === demoLabel(DEMO_HOLDER))!;
    const chen = certificates.find((c) => c.summary.subjectCommonName === demoLabel(RENEWAL_HOLDER))!;
    assert.match(zhang.summary.subject, new RegExp(`serialNumber=${subjectSerial(DEMO_HOLDER.idNumber)}`));
    assert.match(chen.summary.subject, new RegExp(`serialNumber=${subjectSerial(RENEWAL_HOLDER.idNumber)}`));
    assert.equal(zhang.summary.status, 'valid');
    assert.equal(chen.summary.status, 'expiring');
    const daysLeft = (Date.parse(chen.summary.notAfter) - Date.now()) / DAY;
    assert.ok(Math.abs(daysLeft - RENEWAL_DAYS_LEFT) < 1, `${daysLeft} days left`);
    // A real certificate late in its life: issued the region's two years before it ends.
    assert.equal(new Date(chen.summary.notAfter).getFullYear() - new Date(chen.summary.notBefore).getFullYear(), 2);
  });

  it('records each as its holder’s, with the demo’s initial password opening each token', async () => {
    for (const holder of [DEMO_HOLDER, RENEWAL_HOLDER]) {
      const [issued] = (await demo.certificates.ownedBy(holder.idNumber));
      assert.equal(issued?.holder, holder.idNumber);
      const onToken = (await onComputer()).find((c) => c.summary.serialNumber === issued.serial);
      assert.ok(onToken, 'the recorded certificate is the one on this computer');
      const client = connect(demo.agent.url, demo.portalUrl);
      try {
        const { signature } = await client.request('sign.data', { certId: onToken.id, pin: DEMO_PIN, data: toBase64(new TextEncoder().encode('initial password')) });
        assert.ok(signature.length > 0);
      } finally {
        client.close();
      }
    }
  });

  it('lets 陈明, signed in, see his certificate as renewable: the backend reports it good and renewal is open for it', async () => {
    const chen = await session(demo, RENEWAL_HOLDER.idNumber);
    const [issued] = (await demo.certificates.ownedBy(RENEWAL_HOLDER.idNumber));
    const answer = await chen.call('GET', `/api/sicert/v1/certificates/${issued!.serial}`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.status, 'good');
    // An empty renewal body is refused for its fields, not for the certificate's state: it is in its window.
    const renewal = await chen.call('POST', '/api/sicert/v1/renewals', { serialNumber: issued!.serial, tokenId: '', csr: '', signature: '' }, { 'Idempotency-Key': randomUUID() });
    assert.deepEqual([renewal.status, renewal.body.error, renewal.body.field], [422, 'INVALID_FIELD', 'tokenId']);
  });

  it('provisions once: a restart adds nothing, and a holder who has a certificate on this computer gets none', async () => {
    const serials = (await onComputer()).map((c) => c.summary.serialNumber).sort();
    await demo.close();
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0 });
    assert.deepEqual((await onComputer()).map((c) => c.summary.serialNumber).sort(), serials);
    assert.deepEqual(await provisionDemoCertificate(demo.agent.softToken!, demo.ca, demo.certificates), []);
  });

  it('gives a data directory from before the second demo certificate only 陈明’s, next to what is there', async () => {
    const older = mkdtempSync(join(tmpdir(), 'sicert-provision-older-'));
    const earlier = await startDemo({ ...(await testStore(older)), dataDir: older, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    try {
      // 张三's certificate as the earlier demo made it, alone on this computer.
      const soft = earlier.agent.softToken!;
      const tokenId = await soft.createToken(demoLabel(DEMO_HOLDER), DEMO_PIN);
      const { publicKey } = await soft.generateKey(tokenId, DEMO_PIN, 'ECDSA-P256', 'demo');
      const der = await earlier.ca.issue({ C: 'CN', serialNumber: subjectSerial(DEMO_HOLDER.idNumber), CN: demoLabel(DEMO_HOLDER) }, publicKey);
      await soft.installCertificate(tokenId, der, [earlier.ca.certificate]);
      assert.deepEqual(await provisionDemoCertificate(soft, earlier.ca, earlier.certificates), [demoLabel(RENEWAL_HOLDER)]);
      const serials = (await onComputer(earlier)).map((c) => c.summary.serialNumber);
      assert.equal(serials.length, 2);
      assert.ok(serials.includes(serialNumberHex(parseCertificate(der))), 'the earlier certificate stays');
    } finally {
      await earlier.close();
      rmSync(older, { recursive: true, force: true });
    }
  });
});
