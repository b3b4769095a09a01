// A config file another local user could rewrite (an allowlist of their choosing, a PKCS#11 "driver" of their
// choosing) is not used: the agent does not start on it, doctor reports it, and the helper says which chmod fixes it.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { untrustedConfigReason } from '../src/config-trust.js';
import { runCli } from './support/cli-process.js';

const posix = process.platform !== 'win32';

describe('a config file other users could rewrite', { skip: !posix && 'POSIX modes only', timeout: 30_000 }, () => {
  let home: string;
  let file: string;
  const env = { SICERT_ALLOW_ORIGINS: '' };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-trust-'));
    file = join(home, 'config.json');
    writeFileSync(file, JSON.stringify({ allowOrigins: ['http://localhost:8080'] }), { mode: 0o600 });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('stops the agent at start with one line naming the file and the chmod that fixes it', async () => {
    chmodSync(file, 0o666);
    const result = await runCli(['start', '--port', '0', '--home', home], env);
    assert.equal(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0]!.includes(`chmod 600 ${file}`), result.stderr);
    assert.match(lines[0]!, /writable by other users \(mode 0666\)/);
    assert.match(lines[0]!, /其他用户可以修改/);
  });

  it('is reported broken by doctor', async () => {
    chmodSync(file, 0o620);
    const result = await runCli(['doctor', '--home', home], env);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^\[!!\] .*chmod 600/m);
  });

  it('refuses a directory others can write without the sticky bit, and accepts a sticky one', () => {
    chmodSync(home, 0o777);
    assert.match(untrustedConfigReason(file) ?? '', new RegExp(`directory ${home} holding the config file is writable by other users .*chmod go-w ${home}`));
    chmodSync(home, 0o1777);
    assert.equal(untrustedConfigReason(file), undefined);
    chmodSync(home, 0o700);
    assert.equal(untrustedConfigReason(file), undefined, 'a file only its owner can write, in its own directory');
  });

  it('refuses a file another user owns', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, () => {
    const dir = join(home, 'sub');
    mkdirSync(dir, { mode: 0o700 });
    const other = join(dir, 'config.json');
    writeFileSync(other, '{}', { mode: 0o600 });
    chownSync(other, 65534, 65534);
    assert.match(untrustedConfigReason(other) ?? '', /owned by another user \(uid 65534\).*sudo chown 0/);
  });

  it('is not checked on Windows, whose files carry ACLs rather than modes', () => {
    chmodSync(file, 0o666);
    assert.equal(untrustedConfigReason(file, 'win32'), undefined);
    assert.notEqual(untrustedConfigReason(file, 'linux'), undefined);
  });
});
