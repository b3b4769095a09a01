// The service hall's counter (demo): identity check against the insured records, what the printed application form
// is filled from, and the citizen's certificates, which staff revoke with a reason.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSignedData, fromBase64, parseCrl, toBase64 } from '@sicert/pki';
import { residentIdCheckCharacter } from '@sicert/elements/validators';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { CROSS_SITE_HEADERS, applicationBody, csrFor, endingIn, issueTo, LI, newKey, ORG, session, storedCrl, ZHANG, type Body } from './support/portal.js';

describe('hall counter', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-hall-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const staff = () => session(demo);
  const identity = async (name: string, idNumber: string) => (await staff()).call('POST', '/console/api/hall/identity', { name, idNumber });
  const revoke = async (serial: string, reason: string, headers: Record<string, string> = {}) => (await staff()).call('POST', `/console/api/hall/certificates/${serial}/revocation`, { reason }, headers);

  it('checks the citizen’s name and ID against the records, and names the field that differs', async () => {
    const ok = await identity(ZHANG.name, ZHANG.idNumber);
    assert.equal(ok.status, 200, ok.text);
    const person = ok.body.person as Body;
    assert.deepEqual([person.name, person.cardNumber, person.mobile, person.regionName, person.birthDate, person.sex], [ZHANG.name, ZHANG.cardNumber, ZHANG.mobile, '示例东省 (Demo East)', '19491231', 'female']);
    assert.deepEqual([ok.body.repeatIssue, ok.body.certificates], [false, []]);
    assert.deepEqual((ok.body.fees as Body).reissue, 30);
    const wrongName = await identity('张四', ZHANG.idNumber);
    assert.deepEqual([wrongName.status, wrongName.body.error, wrongName.body.field], [422, 'RECORD_MISMATCH', 'name']);
    const stranger = `44030819900101123${residentIdCheckCharacter('44030819900101123')}`; // well formed, on no record
    const notInsured = await identity('王五', stranger);
    assert.deepEqual([notInsured.status, notInsured.body.error, notInsured.body.field], [422, 'NOT_INSURED', 'idNumber']);
    assert.deepEqual([(await identity('', ZHANG.idNumber)).body.field, (await identity(ZHANG.name, '123')).body.field], ['name', 'idNumber']);
  });

  it('says which field is malformed and why, with the validator’s code: a wrong check character is not just "信息格式不正确"', async () => {
    const wrongCheck = await identity(ZHANG.name, '110105194912310021'); // the check character should be X
    assert.deepEqual([wrongCheck.status, wrongCheck.body.error, wrongCheck.body.field, wrongCheck.body.reason], [422, 'INVALID_FIELD', 'idNumber', 'CHECK_DIGIT']);
    assert.match(String(wrongCheck.body.message), /^身份证号校验位不正确/);
    assert.match(String(wrongCheck.body.messageEn), /check character of the ID number/);
    const cases: [string, string, string, string, RegExp][] = [
      [ZHANG.name, '1101051949123100', 'idNumber', 'FORMAT', /18位/],
      [ZHANG.name, '000105194912310021', 'idNumber', 'REGION', /地区码/],
      [ZHANG.name, '110105194913310021', 'idNumber', 'BIRTH_DATE', /出生日期/],
      [ZHANG.name, '', 'idNumber', 'REQUIRED', /请填写身份证号/],
      ['张3', ZHANG.idNumber, 'name', 'FORMAT', /姓名格式不正确/],
    ];
    for (const [name, idNumber, field, reason, message] of cases) {
      const answer = await identity(name, idNumber);
      assert.deepEqual([answer.body.field, answer.body.reason], [field, reason], `${name} ${idNumber}`);
      assert.match(String(answer.body.message), message);
    }
  });

  it('lists the citizen’s certificates, and those of organisations they handle, with validity and revocation', async () => {
    const own = await issueTo(demo, LI, (await newKey()).spki, endingIn(20));
    const org = await issueTo(demo, LI, (await newKey()).spki, endingIn(300), ORG);
    const answer = await identity(LI.name, LI.idNumber);
    const listed = answer.body.certificates as Body[];
    assert.deepEqual(listed.map((c) => [c.serialNumber, c.organization, c.status, c.validity]).sort(), [
      [own.serial, false, 'good', 'expiring'],
      [org.serial, true, 'good', 'valid'],
    ].sort());
    assert.equal(answer.body.repeatIssue, true);
  });

  it('revokes with the citizen’s reason, once, reissuing the CRL; refuses a bad reason, an unknown serial and another site', async () => {
    const certificate = await issueTo(demo, ZHANG, (await newKey()).spki, endingIn(200));
    assert.deepEqual([(await revoke(certificate.serial, 'lost')).body.field, (await revoke('abcdef', 'keyCompromise')).status], ['reason', 404]);
    for (const headers of CROSS_SITE_HEADERS) {
      assert.equal((await revoke(certificate.serial, 'keyCompromise', headers)).body.error, 'CROSS_SITE', JSON.stringify(headers));
    }
    assert.equal((await demo.certificates.isRevoked(certificate.serial)), false);
    const done = await revoke(certificate.serial, 'cessationOfOperation');
    assert.deepEqual([done.status, done.body.status, done.body.revocationReason], [200, 'revoked', 'cessationOfOperation']);
    assert.ok((await storedCrl(demo)).revoked.some((e) => e.serialNumber === certificate.serial), 'published by the revocation');
    const crl = parseCrl(new Uint8Array(await (await fetch(`${demo.portalUrl}/crl`)).arrayBuffer()));
    assert.equal(crl.revoked.find((e) => e.serialNumber === certificate.serial)?.reason, 'cessationOfOperation');
    const again = await revoke(certificate.serial, 'keyCompromise');
    assert.deepEqual([again.status, again.body.error], [409, 'WRONG_STATE']);
    const listed = ((await identity(ZHANG.name, ZHANG.idNumber)).body.certificates as Body[]).find((c) => c.serialNumber === certificate.serial)!;
    assert.deepEqual([listed.status, listed.revocationReason], ['revoked', 'cessationOfOperation']);
  });

  it('a certificate the hall revokes after its installation proof was signed is refused at receipt', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    const key = randomUUID();
    const fresh = await newKey();
    const created = await zhang.call('POST', '/api/sicert/v1/applications', { ...(await applicationBody(zhang, ZHANG, key)), csr: await csrFor(fresh) }, { 'Idempotency-Key': key });
    const id = String(created.body.id);
    const approved = await zhang.call('POST', `/console/api/applications/${id}/approve`);
    const certificate = fromBase64(String(approved.body.certificate));
    const proof = toBase64(await createSignedData({ content: new TextEncoder().encode(`sicert-install:${id}`), certificate }, fresh.signer));
    const serial = (await demo.certificates.ownedBy(ZHANG.idNumber)).find((c) => c.applicationId === id)!.serial;
    assert.equal((await revoke(serial, 'keyCompromise')).status, 200);
    const install = await zhang.call('POST', `/api/sicert/v1/applications/${id}/installation`, { signature: proof });
    assert.deepEqual([install.status, install.body.error], [409, 'WRONG_STATE']);
    assert.equal((await zhang.call('GET', `/api/sicert/v1/applications/${id}`)).body.status, 'approved', 'not installed');
  });
});
