// Two demo servers on one PostgreSQL, as a portal runs several API processes behind its load balancer: the same
// application submitted to both at the same instant (a retry that the balancer sent elsewhere) makes one
// application, and two applications of one holder with different keys, one to each server, make one: the
// idempotency and one-open-application guarantees hold across processes, not only inside one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCrl } from '@sicert/pki';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { applicationBody, finishOpen, LI, session, ZHANG, type Answer } from './support/portal.js';
import { postgresDatabase } from './support/store.js';

/** Rounds of each race: one round can pass by luck of timing, several in a row cannot. */
const ROUNDS = 6;

describe('two demo servers on one PostgreSQL', () => {
  const dirs: string[] = [];
  let one: RunningDemo;
  let two: RunningDemo;

  before(async () => {
    const databaseUrl = await postgresDatabase();
    const start = async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sicert-two-servers-'));
      dirs.push(dataDir);
      return startDemo({ dataDir, databaseUrl, portalPort: 0, agentPort: 0, provisionDemoCertificate: false });
    };
    [one, two] = await Promise.all([start(), start()]);
  });
  after(async () => {
    await Promise.all([one.close(), two.close()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const applications = async (owner: string) => (await one.db.sql.all<{ id: string }>('SELECT id FROM applications WHERE owner = ?', [owner])).length;

  it('makes one application of a submission sent to both servers at once with the same Idempotency-Key', async () => {
    const [a, b] = [await session(one, ZHANG.idNumber), await session(two, ZHANG.idNumber)];
    for (let round = 0; round < ROUNDS; round++) {
      const key = randomUUID();
      // Uploads and the face check on the first server; the second accepts them from the shared database.
      const body = await applicationBody(a, ZHANG, key);
      const answers = await Promise.all([a, b].map((s) => s.call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': key })));
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 201], answers.map((r) => r.text).join('\n'));
      assert.equal(answers[0]!.body.id, answers[1]!.body.id, 'both answer with the same application');
      assert.deepEqual(answers[0]!.body, answers[1]!.body);
      assert.equal(await applications(ZHANG.idNumber), round + 1, `round ${round}: one application per key`);
      await finishOpen(a);
    }
  });

  it('makes one application of two submissions of one holder with different keys, one to each server', async () => {
    const [a, b] = [await session(one, LI.idNumber), await session(two, LI.idNumber)];
    for (let round = 0; round < ROUNDS; round++) {
      const keys = [randomUUID(), randomUUID()];
      const bodies = [await applicationBody(a, LI, keys[0]!), await applicationBody(a, LI, keys[1]!)];
      const answers: Answer[] = await Promise.all([a, b].map((s, i) => s.call('POST', '/api/sicert/v1/applications', bodies[i], { 'Idempotency-Key': keys[i]! })));
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 409], answers.map((r) => r.text).join('\n'));
      assert.equal(answers.find((r) => r.status === 409)!.body.error, 'APPLICATION_OPEN');
      assert.equal(await applications(LI.idNumber), round + 1, `round ${round}: one open application per person`);
      await finishOpen(a);
    }
  });

  it('publishes CRLs from both servers at once: every publication stands, numbers go up, the newest lists every revocation', async () => {
    const serials: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A revocation on each server, then each publishes, at the same instant (two loss reports at once).
      const fresh = [0, 1].map((i) => `${(round * 2 + i + 1).toString(16).padStart(2, '0')}${randomUUID().replace(/-/g, '').slice(0, 14)}`);
      await Promise.all([one, two].map(async (demo, i) => {
        await demo.certificates.record({ serial: fresh[i]!, subject: 'CN=test', der: new Uint8Array([0x30, 0x00]), holder: `holder-${fresh[i]!}`, owner: '', applicationId: null });
        assert.equal(await demo.certificates.revoke(fresh[i]!, 'keyCompromise'), true);
      }));
      serials.push(...fresh);
      const published = await Promise.all([one.crl.publish(), two.crl.publish()]);
      const numbers = published.map((der) => parseCrl(der).crlNumber!);
      assert.notEqual(numbers[0], numbers[1], 'two publications, two numbers');
    }
    const rows = await one.db.sql.all<{ number: number }>('SELECT number FROM crls ORDER BY number');
    assert.deepEqual(rows.map((r) => r.number), [...rows.map((r) => r.number)].sort((a, b) => a - b));
    const newest = parseCrl(await two.crl.current());
    assert.deepEqual(new Set(newest.revoked.map((r) => r.serialNumber)), new Set(serials), 'the newest CRL lists every revocation of both servers');
  });
});
