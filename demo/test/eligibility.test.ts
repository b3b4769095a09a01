// POST /eligibility answers only to a signed-in person (issue 8's review: it told anyone whether any name and ID
// pair that matches the records had had a certificate), and tells the kind of insurance to the person themselves.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { CROSS_SITE_HEADERS, endingIn, issueTo, LI, newKey, ORG, session, ZHANG, type Body } from './support/portal.js';

describe('eligibility', () => {
  let dataDir: string;
  let demo: RunningDemo;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-eligibility-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    await issueTo(demo, LI, (await newKey()).spki, endingIn(200));
  });
  after(async () => {
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ask = (s: Awaited<ReturnType<typeof session>>, body: Body, headers: Record<string, string> = {}) => s.call('POST', '/api/sicert/v1/eligibility', { region: 'demo-east', ...body }, headers);
  const li = { name: LI.name, idNumber: LI.idNumber };

  it('tells a stranger nothing: no session is 401 NOT_SIGNED_IN, before any record is looked up', async () => {
    const stranger = await session(demo);
    for (const body of [li, { ...li, idNumber: '360426199101010072' }, { type: 'organization', ...li, mobile: LI.mobile, ...ORG }]) {
      const answer = await ask(stranger, body);
      assert.deepEqual([answer.status, answer.body.error], [401, 'NOT_SIGNED_IN'], JSON.stringify(body));
      assert.deepEqual([answer.body.repeatIssue, answer.body.insurance, answer.body.eligible], [undefined, undefined, undefined]);
      assert.match(String(answer.body.message), /请先登录/);
    }
  });

  it('answers the person signed in about themselves: insured, the kind of insurance, an earlier certificate', async () => {
    const answer = await ask(await session(demo, LI.idNumber), li);
    assert.deepEqual([answer.status, answer.body.eligible, answer.body.insurance, answer.body.repeatIssue], [200, true, '城镇职工基本医疗保险', true]);
    const first = await ask(await session(demo, ZHANG.idNumber), { name: ZHANG.name, idNumber: ZHANG.idNumber });
    assert.deepEqual([first.body.insurance, first.body.repeatIssue], ['城镇职工基本医疗保险', false]);
  });

  it('about someone else (委托代办) answers that the records match and the fee, not their kind of insurance', async () => {
    const answer = await ask(await session(demo, ZHANG.idNumber), li);
    assert.deepEqual([answer.status, answer.body.eligible, answer.body.repeatIssue], [200, true, true]);
    assert.equal('insurance' in answer.body, false);
  });

  it('needs the portal’s own origin, like every POST', async () => {
    const zhang = await session(demo, ZHANG.idNumber);
    for (const headers of CROSS_SITE_HEADERS) {
      assert.equal((await ask(zhang, li, headers)).body.error, 'CROSS_SITE', JSON.stringify(headers));
    }
  });
});
