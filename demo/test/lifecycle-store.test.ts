// The stores' guarded transitions on their own, where a race cannot be staged over HTTP: a withdrawal and the start
// of a review never both win, a certificate is revoked once, and a renewal whose guard fails writes nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ApplicationsStore, type NewApplication } from '../server/applications-store.js';
import { CertificatesStore, normalizeSerial } from '../server/certificates-store.js';
import { DemoDatabase } from '../server/database.js';
import { testStore } from './support/store.js';

describe('lifecycle stores', () => {
  let dir: string;
  let db: DemoDatabase;
  let applications: ApplicationsStore;
  let certificates: CertificatesStore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sicert-stores-'));
    const { databaseUrl } = await testStore(dir);
    db = await DemoDatabase.open(databaseUrl ? { url: databaseUrl } : { path: join(dir, 'portal.sqlite') });
    applications = new ApplicationsStore(db);
    certificates = new CertificatesStore(db);
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let people = 0;
  /** A personal application of a person of its own (one open application per person), or of `person`. */
  const input = (person = `P${String(++people).padStart(17, '0')}`): NewApplication => ({
    idempotencyKey: randomUUID(),
    requestHash: 'h',
    owner: person,
    region: 'demo-east',
    type: 'personal',
    onBehalf: false,
    kind: 'new',
    replaces: null,
    details: { applicant: { name: '张三', idNumber: person, mobile: '13800138000' }, materials: [], face: { method: 'simulated', at: new Date().toISOString() } },
    medium: 'computer',
    tokenId: 'soft-default',
    keyAlgorithm: 'ECDSA-P256',
    csr: new Uint8Array([1]),
    fee: 0,
    submittedAt: new Date().toISOString(),
    expectedBy: '2026-12-01',
  });

  it('spells serials as serialNumberHex does, and refuses what is not hex', () => {
    assert.equal(normalizeSerial('00A1B2'), 'a1b2');
    assert.equal(normalizeSerial('a1b'), '0a1b');
    assert.equal(normalizeSerial('00'), '00');
    for (const bad of ['', 'xyz', 'a'.repeat(41), '12 34']) assert.equal(normalizeSerial(bad), undefined, bad);
  });

  it('a withdrawal and the start of a review: whichever comes first stands', async () => {
    const one = (await applications.createOnce(input())).application!;
    assert.equal(await applications.withdraw(one.id), true);
    assert.equal(await applications.startReview(one.id), false);
    assert.equal((await applications.get(one.id))?.status, 'withdrawn');
    const two = (await applications.createOnce(input())).application!;
    assert.equal(await applications.startReview(two.id), true);
    assert.equal(await applications.withdraw(two.id), false);
    assert.deepEqual((await applications.get(two.id))?.history.map((h) => h.status), ['submitted', 'under_review']);
  });

  it('installs only an approved application, once, with what runs alongside in the same transaction', async () => {
    const app = (await applications.createOnce(input())).application!;
    let ran = 0;
    const alongside = () => Promise.resolve(void ran++);
    assert.equal(await applications.install(app.id, 'installed', alongside), false);
    assert.equal(await applications.decide(app.id, 'approved', { certificate: new Uint8Array([2]), serial: 'ab' }, null), true);
    assert.equal(await applications.install(app.id, 'installed', alongside), true);
    assert.equal(await applications.install(app.id, 'installed', alongside), false);
    assert.equal(ran, 1);
  });

  it('rolls back the whole transition when what runs alongside fails', async () => {
    const app = (await applications.createOnce(input())).application!;
    await assert.rejects(applications.decide(app.id, 'approved', { certificate: new Uint8Array([2]), serial: 'ac' }, null, () => Promise.reject(new Error('CA down'))), /CA down/);
    const after = (await applications.get(app.id))!;
    assert.deepEqual([after.status, after.serial, after.history.map((h) => h.status)], ['submitted', null, ['submitted']]);
  });

  it('revokes a certificate once: the first reason and time stand', async () => {
    await certificates.record({ serial: 'c0ffee', subject: '张三', der: new Uint8Array([3]), holder: 'h', owner: 'o', applicationId: null });
    const first = new Date('2026-11-01T00:00:00Z');
    assert.equal(await certificates.revoke('c0ffee', 'keyCompromise', first), true);
    assert.equal(await certificates.revoke('c0ffee', 'superseded'), false);
    const revoked = await certificates.get('c0ffee');
    assert.deepEqual([revoked?.revocationReason, revoked?.revokedAt], ['keyCompromise', first.toISOString()]);
    assert.deepEqual(revoked?.der, new Uint8Array([3]));
    assert.equal(await certificates.revoke('unknown', 'keyCompromise'), false);
    assert.equal(await certificates.revokedCount(), 1);
  });

  it('creates a renewal approved at once, or, when its guard fails inside the transaction, nothing at all', async () => {
    const before = (await applications.all()).length;
    const refused = await applications.createOnce(
      { ...input(), kind: 'renewal', replaces: 'c0ffee' },
      { approved: { certificate: new Uint8Array([4]), serial: 'beef', note: 'renewed', guard: () => Promise.resolve(false), alongside: () => assert.fail('must not run') } },
    );
    assert.equal(refused.refused, 'guard');
    assert.equal((await applications.all()).length, before);
    const recorded: string[] = [];
    const created = await applications.createOnce(
      { ...input(), kind: 'renewal', replaces: 'c0ffee' },
      { approved: { certificate: new Uint8Array([4]), serial: 'beef', note: 'renewed', guard: () => Promise.resolve(true), alongside: (id) => Promise.resolve(void recorded.push(id)) } },
    );
    assert.equal(created.refused, undefined);
    const app = created.application!;
    assert.deepEqual([app.status, app.kind, app.replaces, app.serial, app.history.map((h) => h.status)], ['approved', 'renewal', 'c0ffee', 'beef', ['submitted', 'approved']]);
    assert.deepEqual(app.certificate, new Uint8Array([4]));
    assert.deepEqual(recorded, [app.id]);
    assert.equal((await applications.renewalOf('c0ffee'))?.id, app.id);
  });

  it('fills in the holder of applications made before the column, so the one-open-application rule sees them (old SQLite data directories)', async () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE applications (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, region TEXT NOT NULL, type TEXT NOT NULL,
      on_behalf INTEGER NOT NULL DEFAULT 0, details TEXT NOT NULL, medium TEXT NOT NULL, token_id TEXT NOT NULL, key_algorithm TEXT NOT NULL, csr BLOB NOT NULL,
      status TEXT NOT NULL, reject_reason TEXT, fee INTEGER NOT NULL, submitted_at TEXT NOT NULL, expected_by TEXT NOT NULL, certificate BLOB, serial TEXT)`);
    const insert = old.prepare("INSERT INTO applications (id, idempotency_key, owner, region, type, details, medium, token_id, key_algorithm, csr, status, fee, submitted_at, expected_by) VALUES (?, ?, ?, 'demo-east', ?, ?, 'computer', 't', 'ECDSA-P256', x'01', 'submitted', 0, '2026-01-01', '2026-01-02')");
    insert.run('p', 'k1', 'H1', 'personal', JSON.stringify({ applicant: { name: '张三', idNumber: 'H1', mobile: 'm' }, materials: [], face: { method: 'f', at: 't' } }));
    insert.run('o', 'k2', 'H2', 'organization', JSON.stringify({ applicant: { name: '李四', idNumber: 'H2', mobile: 'm' }, organization: { name: '示例', creditCode: 'USCC' }, materials: [], face: { method: 'f', at: 't' } }));
    old.close();
    const migrated = await DemoDatabase.open({ path });
    try {
      const store = new ApplicationsStore(migrated);
      assert.deepEqual(await migrated.sql.all('SELECT id, holder FROM applications ORDER BY id'), [{ id: 'o', holder: 'USCC' }, { id: 'p', holder: 'H1' }]);
      assert.equal((await store.openFor('USCC', null))?.id, 'o');
      assert.equal((await store.createOnce({ ...input('H1') })).refused, 'open');
    } finally {
      await migrated.close();
    }
  });
});
