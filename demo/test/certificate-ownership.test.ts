// Whose certificate it is: `GET /certificates/{serial}` answers `mine` to a signed-in person, so the status card
// offers loss report, renewal and reissue only on that person's certificates (李四 signed in on the computer where
// 张三's certificate is installed used to be offered 挂失 on it, and refused with "未找到该申请或证书。").
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { endingIn, issueTo, LI, newKey, ORG, session, ZHANG } from './support/portal.js';

describe('certificate status: whose it is', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-ownership-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says mine: true to the holder and to an organisation’s handler, false to anyone else signed in, nothing without a session', async () => {
    const zhangs = await issueTo(demo, ZHANG, (await newKey()).spki, endingIn(200));
    const org = await issueTo(demo, LI, (await newKey()).spki, endingIn(200), ORG);
    const status = async (idNumber: string | undefined, serial: string) => (await (await session(demo, idNumber)).call('GET', `/api/sicert/v1/certificates/${serial}`)).body;
    assert.deepEqual(await status(ZHANG.idNumber, zhangs.serial), { serialNumber: zhangs.serial, status: 'good', mine: true });
    assert.deepEqual(await status(LI.idNumber, zhangs.serial), { serialNumber: zhangs.serial, status: 'good', mine: false });
    assert.deepEqual(await status(undefined, zhangs.serial), { serialNumber: zhangs.serial, status: 'good' });
    assert.equal((await status(LI.idNumber, org.serial)).mine, true, 'the handler acts for the organisation');
    assert.equal((await status(ZHANG.idNumber, org.serial)).mine, false);
    // A certificate the portal did not issue is nobody's here: `unknown`, with no `mine`.
    assert.deepEqual(await status(ZHANG.idNumber, '0123abcd'), { serialNumber: '0123abcd', status: 'unknown' });
  });
});
