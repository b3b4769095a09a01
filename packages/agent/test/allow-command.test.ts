// `sicert-agent allow`, `allowed` and `deny` as a person runs them: the real CLI in a child process, a config file
// in a temporary home. What is written, what is refused and why, that nothing else in the file changes, and that
// running a command twice changes nothing the second time.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseOriginEntry } from '../src/origin-entry.js';
import { runCli } from './support/cli-process.js';

describe('parseOriginEntry', () => {
  it('answers the origin as the allowlist compares it', () => {
    const cases: [string, string][] = [
      ['HTTP://LocalHost:8080/', 'http://localhost:8080'],
      ['https://rsj.example.gov.cn:443', 'https://rsj.example.gov.cn'],
      ['http://127.0.0.1:5180', 'http://127.0.0.1:5180'],
      ['https://*.Example.gov.cn:443', 'https://*.example.gov.cn'],
    ];
    for (const [input, origin] of cases) assert.deepEqual(parseOriginEntry(input), { ok: true, origin }, input);
  });

  it('refuses with a stable code and a message in both languages', () => {
    const cases: [string, string][] = [
      ['localhost:8080', 'NOT_A_URL'],
      ['rsj.example.gov.cn', 'NOT_A_URL'],
      ['ftp://rsj.example.gov.cn', 'SCHEME'],
      ['ws://127.0.0.1:21260', 'SCHEME'],
      ['https://rsj.example.gov.cn/portal', 'PATH'],
      ['https://rsj.example.gov.cn/?a=1', 'QUERY'],
      ['https://rsj.example.gov.cn?a=1', 'QUERY'],
      ['https://rsj.example.gov.cn#top', 'QUERY'],
      ['https://user:pw@rsj.example.gov.cn', 'CREDENTIALS'],
      ['https://rsj.example.gov.cn:port', 'NOT_A_URL'],
      ['https://rsj.example.gov.cn:99999', 'NOT_A_URL'],
      ['http://', 'NOT_A_URL'],
    ];
    for (const [input, code] of cases) {
      const entry = parseOriginEntry(input);
      assert.equal(entry.ok, false, input);
      if (entry.ok) continue;
      assert.equal(entry.problem.code, code, input);
      assert.match(entry.problem.zh, /[\u4e00-\u9fff]/, `${input}: zh-CN`);
      assert.match(entry.problem.en, /^[\x20-\x7e“”…]+$/, `${input}: English`);
    }
  });
});

describe('sicert-agent allow / allowed / deny', () => {
  let home: string;
  let file: string;
  const cli = (...args: string[]) => runCli([...args, '--home', home]);
  const stored = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-allow-'));
    file = join(home, 'config.json');
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('allows an origin: written normalised to the config file, mode 0600, saying a running agent applies it', async () => {
    const result = await cli('allow', 'HTTP://LocalHost:8080/');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stored(), { allowOrigins: ['http://localhost:8080'] });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(result.stdout, /已允许 http:\/\/localhost:8080/);
    assert.match(result.stdout, /Allowed pages of http:\/\/localhost:8080/);
    assert.match(result.stdout, /within a second, with no restart \(except one started with --allow-origin or SICERT_ALLOW_ORIGINS: it does not follow this file\)/);
    assert.deepEqual(readdirSync(home).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
  });

  it('is idempotent: allowing again changes nothing and says so', async () => {
    const before = readFileSync(file, 'utf8');
    const mtime = statSync(file).mtimeMs;
    const result = await cli('allow', 'http://localhost:8080');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /already allowed; nothing changed/);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(statSync(file).mtimeMs, mtime, 'the file is not rewritten');
  });

  it('keeps every other setting of the file as it was', async () => {
    writeFileSync(file, JSON.stringify({ logLevel: 'debug', allowOrigins: ['https://rsj.example.gov.cn'], maxConnections: 8 }), { mode: 0o600 });
    const result = await cli('allow', 'http://localhost:8080');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stored(), { logLevel: 'debug', allowOrigins: ['https://rsj.example.gov.cn', 'http://localhost:8080'], maxConnections: 8 });
  });

  it('lists the allowed origins', async () => {
    const result = await cli('allowed');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^ {2}https:\/\/rsj\.example\.gov\.cn$/m);
    assert.match(result.stdout, /^ {2}http:\/\/localhost:8080$/m);
  });

  it('denies an origin however it is spelled, and a second deny changes nothing', async () => {
    const result = await cli('deny', 'http://LOCALHOST:8080/');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(stored().allowOrigins, ['https://rsj.example.gov.cn']);
    assert.match(result.stdout, /removed from the list; its open connections are closed within a second/);
    const again = await cli('deny', 'http://localhost:8080');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /was not in the list; nothing changed/);
  });

  it('refuses a malformed origin with exit code 2, saying what is wrong, and leaves the file alone', async () => {
    const before = readFileSync(file, 'utf8');
    const result = await cli('allow', 'https://rsj.example.gov.cn/portal');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /网页来源不带路径/);
    assert.match(result.stderr, /an origin has no path \(drop \/portal\)/);
    assert.equal(readFileSync(file, 'utf8'), before);
    const missing = await cli('allow');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Usage: sicert-agent allow <origin>/);
  });

  it('refuses to write over a config file that is not JSON (exit 1), naming it', async () => {
    writeFileSync(file, '{ "allowOrigins": [', { mode: 0o600 });
    const result = await cli('allow', 'http://localhost:8080');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /nothing was changed/);
    assert.ok(result.stderr.includes(file));
    assert.equal(readFileSync(file, 'utf8'), '{ "allowOrigins": [');
  });

  it('says when SICERT_ALLOW_ORIGINS would override the file for an agent started with it', async () => {
    rmSync(file);
    const result = await runCli(['allow', 'http://localhost:8080', '--home', home], { SICERT_ALLOW_ORIGINS: 'https://other.example.cn' });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /started with SICERT_ALLOW_ORIGINS allows only/);
  });
});
