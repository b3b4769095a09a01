// The audit log rotates by size and keeps a fixed number of files (issue 6, item 11); `sicert-agent audit` reads
// it back, oldest first, across the rotated files.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditLog, readAuditLog, type AuditRecord } from '../src/audit.js';
import { runCli } from './support/cli-process.js';

const homes: string[] = [];
function home(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sicert-audit-'));
  homes.push(dir);
  return dir;
}

/** Writes `count` numbered sign.data entries (each line ≈ 190 bytes). */
function fill(log: AuditLog, count: number, from = 0): void {
  for (let i = from; i < from + count; i++) {
    log.record({ operation: 'sign.data', origin: 'https://rsj.example.gov.cn', certId: `soft-default/${String(i).padStart(6, '0')}`, digest: 'ab'.repeat(32), outcome: 'ok' });
  }
}

const numberOf = (e: AuditRecord) => Number(e.certId!.slice(-6));

describe('audit log rotation', () => {
  after(() => {
    for (const dir of homes) rmSync(dir, { recursive: true, force: true });
  });

  it('rotates at maxBytes, keeps `files` rotated files, and loses no line among those kept', () => {
    const dir = home();
    const path = join(dir, 'audit.log');
    const log = new AuditLog(path, { maxBytes: 2000, files: 3 });
    fill(log, 200);
    const names = readdirSync(dir).sort();
    assert.deepEqual(names, ['audit.log', 'audit.log.1', 'audit.log.2', 'audit.log.3']);
    for (const name of names) assert.ok(statSync(join(dir, name)).size <= 2000, `${name} stays within maxBytes`);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const { entries, unreadable } = readAuditLog(path);
    assert.equal(unreadable, 0);
    const numbers = entries.map(numberOf);
    assert.equal(numbers.at(-1), 199, 'the newest entry is last');
    assert.deepEqual(numbers, numbers.map((_, i) => numbers[0]! + i), 'oldest first, no gap');
    assert.ok(entries.length >= 3 * 9, 'three full rotated files and the current one are kept');
  });

  it('defaults to 1 MiB and five rotated files', () => {
    const dir = home();
    const path = join(dir, 'audit.log');
    const log = new AuditLog(path);
    // Seven files' worth: six rotations, of which five are kept.
    writeFileSync(path, 'x'.repeat(1024 * 1024 - 10) + '\n');
    for (let i = 0; i < 6; i++) {
      fill(log, 1, i);
      if (i < 5) writeFileSync(path, 'x'.repeat(1024 * 1024 - 10) + '\n', { flag: 'a' });
    }
    assert.deepEqual(readdirSync(dir).sort(), ['audit.log', 'audit.log.1', 'audit.log.2', 'audit.log.3', 'audit.log.4', 'audit.log.5']);
    assert.equal(existsSync(`${path}.6`), false);
  });

  it('`sicert-agent audit` prints the entries oldest first across rotated files, as a table or JSON lines', async () => {
    const dir = home();
    const log = new AuditLog(join(dir, 'audit.log'), { maxBytes: 1000, files: 5 });
    fill(log, 12);
    assert.ok(existsSync(join(dir, 'audit.log.2')), 'the entries span rotated files');
    const json = await runCli(['audit', '--json', '--home', dir]);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    assert.deepEqual(lines.map(numberOf), Array.from({ length: 12 }, (_, i) => i));
    const table = await runCli(['audit', '--tail', '3', '--home', dir]);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.trim().split('\n');
    assert.match(rows[0]!, /audit log/);
    assert.match(rows[1]!, /operation/);
    assert.deepEqual(rows.slice(2, 5).map((r) => /soft-default\/(\d+)/.exec(r)?.[1]), ['000009', '000010', '000011']);
    assert.match(rows.at(-1)!, /3 \/ 12/);
  });

  it('`sicert-agent audit --json` writes every entry to a pipe before it exits', async () => {
    const dir = home();
    const log = new AuditLog(join(dir, 'audit.log'), { maxBytes: 4 * 1024 * 1024, files: 2 });
    fill(log, 20_000);
    const json = await runCli(['audit', '--json', '--home', dir]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim().split('\n').length, 20_000);
  });

  it('keeps key operations only: requests refused before any key was used cannot push them out', () => {
    const dir = home();
    const log = new AuditLog(join(dir, 'audit.log'), { maxBytes: 1000, files: 1 });
    log.record({ operation: 'sign.data', origin: 'https://rsj.example.gov.cn', certId: 'soft-default/000001', outcome: 'ok' });
    for (const outcome of ['PIN_THROTTLED', 'CANCELLED', 'BUSY', 'INVALID_PARAMS', 'TOKEN_NOT_FOUND', 'CERT_NOT_FOUND', 'KEY_NOT_FOUND'] as const) {
      for (let i = 0; i < 50; i++) log.record({ operation: 'sign.data', origin: 'https://evil.example', certId: 'soft-default/ffff', outcome });
    }
    log.record({ operation: 'sign.data', origin: 'https://rsj.example.gov.cn', certId: 'soft-default/000002', outcome: 'PIN_INCORRECT' });
    const kept = readAuditLog(join(dir, 'audit.log')).entries;
    assert.deepEqual(kept.map((e) => [e.certId, e.outcome]), [['soft-default/000001', 'ok'], ['soft-default/000002', 'PIN_INCORRECT']]);
  });
});
