// `sicert-agent allow` / `deny` against what a security tester tried: a wildcard over a public suffix, parallel
// commands, a deny that a wildcard undoes, a hand-written entry the agent cannot load, and config paths that are a
// symbolic link, a read-only file or a FIFO. The real CLI in child processes, a config file in a temporary home.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { runCli } from './support/cli-process.js';

describe('sicert-agent allow / deny under attack', () => {
  let home: string;
  let file: string;
  const cli = (...args: string[]) => runCli([...args, '--home', home]);
  const list = () => (JSON.parse(readFileSync(file, 'utf8')) as { allowOrigins: string[] }).allowOrigins;
  const write = (allowOrigins: string[]) => writeFileSync(file, JSON.stringify({ allowOrigins }), { mode: 0o600 });

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-allow-attack-'));
    file = join(home, 'config.json');
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('refuses a wildcard over a public suffix (exit 2, WILDCARD) and keeps one over a registrable domain', async () => {
    for (const origin of ['https://*.com', 'https://*.gov.cn', 'https://*.com.cn', 'https://*.github.io']) {
      const result = await cli('allow', origin);
      assert.equal(result.code, 2, origin);
      assert.match(result.stderr, /a wildcard needs a registrable domain, e\.g\. https:\/\/\*\.example\.gov\.cn \(WILDCARD\)/, origin);
      assert.match(result.stderr, /通配符须位于可注册的域名之前/);
    }
    assert.equal(existsSync(file), false, 'nothing was written');
    assert.equal((await cli('allow', 'https://*.example.gov.cn')).code, 0);
    assert.deepEqual(list(), ['https://*.example.gov.cn']);
  });

  it('refuses an origin whose host name is over 253 characters (TOO_LONG)', async () => {
    const result = await cli('allow', `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.cn`);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\(TOO_LONG\)/);
  });

  it('keeps every change of 8 parallel allows, and a deny racing them stays denied', async () => {
    write(['http://gone.test:8080']);
    const origins = Array.from({ length: 8 }, (_, i) => `http://parallel-${i}.test:8080`);
    const results = await Promise.all([...origins.map((o) => cli('allow', o)), cli('deny', 'http://gone.test:8080')]);
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.deepEqual([...list()].sort(), [...origins].sort());
    assert.equal(existsSync(`${file}.lock`), false, 'the lock is removed');
  });

  it('takes over a lock left by a process that is gone', async () => {
    write([]);
    writeFileSync(`${file}.lock`, '2147483646');
    const result = await cli('allow', 'http://localhost:8080');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(list(), ['http://localhost:8080']);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it('says, naming the wildcard, and exits 1 when a denied origin is still allowed by another entry', async () => {
    write(['https://*.example.gov.cn', 'https://rsj.example.gov.cn']);
    const denied = await cli('deny', 'https://rsj.example.gov.cn');
    assert.equal(denied.code, 1);
    assert.deepEqual(list(), ['https://*.example.gov.cn'], 'the exact entry is removed');
    assert.match(denied.stderr, /https:\/\/rsj\.example\.gov\.cn is still allowed by the entry https:\/\/\*\.example\.gov\.cn/);
    assert.match(denied.stderr, /仍被列表中的 https:\/\/\*\.example\.gov\.cn 允许/);
    const notListed = await cli('deny', 'https://ylbx.example.gov.cn');
    assert.equal(notListed.code, 1);
    assert.match(notListed.stderr, /still allowed by the entry https:\/\/\*\.example\.gov\.cn/);
    assert.match(notListed.stdout, /was not in the list; nothing changed/);
  });

  it('refuses to write a list the agent cannot load, naming the bad entry; deny of that exact entry removes it', async () => {
    write(['https://portal.test/login', 'https://rsj.example.gov.cn']);
    const before = readFileSync(file, 'utf8');
    const allowed = await cli('allow', 'http://localhost:8080');
    assert.equal(allowed.code, 1);
    assert.match(allowed.stderr, /the agent cannot use the entry "https:\/\/portal\.test\/login"/);
    assert.match(allowed.stderr, /sicert-agent deny 'https:\/\/portal\.test\/login'/);
    assert.equal(readFileSync(file, 'utf8'), before, 'left as it was');
    const denied = await cli('deny', 'https://portal.test/login');
    assert.equal(denied.code, 0, denied.stderr);
    assert.deepEqual(list(), ['https://rsj.example.gov.cn']);
    write(['https://*.com']);
    const wildcard = await cli('deny', 'https://*.com');
    assert.equal(wildcard.code, 0, wildcard.stderr);
    assert.deepEqual(list(), []);
  });

  it('refuses a config path that is a symbolic link, and leaves the link and its target alone', async () => {
    const target = join(home, 'real.json');
    writeFileSync(target, JSON.stringify({ allowOrigins: [] }), { mode: 0o600 });
    symlinkSync(target, file);
    const result = await cli('allow', 'http://localhost:8080');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is a symbolic link; point --config at the file it links to/);
    assert.equal(lstatSync(file).isSymbolicLink(), true);
    assert.equal(readlinkSync(file), target);
    assert.equal(readFileSync(target, 'utf8'), JSON.stringify({ allowOrigins: [] }));
  });

  it('refuses a read-only config file (even to root) and leaves it alone', async () => {
    write(['https://rsj.example.gov.cn']);
    chmodSync(file, 0o444);
    const result = await cli('deny', 'https://rsj.example.gov.cn');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /is read-only and was left alone; to change it: chmod u\+w/);
    assert.deepEqual(list(), ['https://rsj.example.gov.cn']);
    assert.equal(lstatSync(file).mode & 0o777, 0o444);
    assert.equal((await cli('allowed')).code, 0, 'listing a read-only file still works');
  });

  it('refuses a FIFO as the config file without blocking on it', async () => {
    const fifo = join(home, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    for (const command of [['allow', 'http://localhost:8080'], ['allowed']]) {
      const result = await runCli([...command, '--config', fifo]);
      assert.equal(result.code, 1, command.join(' '));
      assert.match(result.stderr, /is not a regular file/);
    }
  });
});
