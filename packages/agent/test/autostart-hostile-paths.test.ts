// A path an attacker (or bad luck) chose for the agent's executable: a newline would inject lines into the systemd
// unit (`ExecStart=touch PWNED`), and a quote or a backslash made install report success for a unit systemd refuses.
// Each generator refuses what its target cannot run as written, install exits 1 with a message saying to move the
// agent, and doctor does not call autostart on for a unit systemd would reject (one an earlier version wrote).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { autostartCommand, autostartStatus, installAutostart } from '../src/autostart/autostart.js';
import { defaultAutostartEnv, type AutostartEnv } from '../src/autostart/autostart-env.js';
import { launchdPlist } from '../src/autostart/launchd-plist.js';
import { parseExecStart } from '../src/autostart/systemd-exec-start.js';
import { execStartLine, INSTALLED_MARK, systemdUnit, UNIT_NAME } from '../src/autostart/systemd-unit.js';
import { UnsafeAutostartPathError } from '../src/autostart/unsafe-path.js';
import { regFile, windowsCommandLine } from '../src/autostart/windows-run.js';
import { checkAutostart } from '../src/doctor/autostart-check.js';

const INJECTION = '/tmp/x\nExecStart=touch PWNED\n/sicert-agent';
const CONTROL = [INJECTION, '/opt/a\rb/sicert-agent', '/opt/a\tb/sicert-agent', '/opt/a\u007fb/sicert-agent', '/opt/a\u0085b/sicert-agent', '/opt/\ud800/sicert-agent', '/opt/\ufffd/sicert-agent'];

describe('autostart generators and hostile paths', () => {
  it('systemd: refuses control characters, quotes and backslashes, in the program and in its script', () => {
    for (const path of [...CONTROL, '/opt/a"b/sicert-agent', "/opt/a'b/sicert-agent", '/opt/a\\b/sicert-agent']) {
      assert.throws(() => systemdUnit([path]), UnsafeAutostartPathError, JSON.stringify(path));
      assert.throws(() => systemdUnit(['/usr/bin/node', path]), UnsafeAutostartPathError, JSON.stringify(path));
    }
  });

  it('systemd: what it accepts reads back word for word, as systemd reads ExecStart', () => {
    const command = ['/opt/社保 证书/sicert%agent$x', '/srv/a b/%h $HOME;/cli.js'];
    const line = execStartLine(command);
    assert.deepEqual(parseExecStart(line.slice('ExecStart='.length)), [...command, 'start']);
    assert.match(systemdUnit(command), /^ExecStart=.*start$/m);
    assert.equal(systemdUnit(command).split('\n').filter((l) => l.startsWith('ExecStart=')).length, 1);
  });

  it('launchd: refuses control characters; quotes, backslashes and XML markup survive a plist parser', () => {
    for (const path of CONTROL) assert.throws(() => launchdPlist([path]), UnsafeAutostartPathError, JSON.stringify(path));
    const path = `/Applications/a"b\\c'd & <e> ]]> 社保/sicert-agent`;
    const dir = mkdtempSync(join(tmpdir(), 'sicert-plist-'));
    try {
      writeFileSync(join(dir, 'a.plist'), launchdPlist([path]));
      const read = spawnSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"))["ProgramArguments"]))', join(dir, 'a.plist')], { encoding: 'utf8' });
      assert.equal(read.status, 0, read.stderr);
      assert.deepEqual(JSON.parse(read.stdout), [path, 'start']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Windows: refuses control characters, a double quote and a percent sign; quotes spaces and a trailing backslash', () => {
    for (const path of [...CONTROL, 'C:\\a"b\\sicert-agent.exe', 'C:\\%APPDATA%\\sicert-agent.exe']) {
      assert.throws(() => windowsCommandLine([path]), UnsafeAutostartPathError, JSON.stringify(path));
      assert.throws(() => regFile([path]), UnsafeAutostartPathError, JSON.stringify(path));
    }
    assert.equal(windowsCommandLine(['C:\\sicert dir\\', 'C:\\社保\\a.js']), '"C:\\sicert dir\\\\" C:\\社保\\a.js start');
  });
});

describe('install and doctor on Linux with a hostile path', () => {
  let dir: string;
  let env: AutostartEnv;
  let unit: string;

  /** An executable at `path` under the temporary directory. */
  function executable(...path: string[]): string {
    const bin = join(dir, ...path);
    mkdirSync(join(bin, '..'), { recursive: true });
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    return bin;
  }

  /** The unit as an earlier `sicert-agent install` wrote it for `bin`: quoted with backslash escapes, and enabled. */
  function oldUnit(bin: string): void {
    const quoted = `"${bin.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
    mkdirSync(join(env.configHome, 'systemd/user/default.target.wants'), { recursive: true });
    writeFileSync(unit, `${INSTALLED_MARK}\n[Unit]\nDescription=sicert\n\n[Service]\nExecStart=${quoted} start\n\n[Install]\nWantedBy=default.target\n`);
    symlinkSync(unit, join(env.configHome, 'systemd/user/default.target.wants', UNIT_NAME));
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sicert-hostile-'));
    // The real systemctl and systemd-analyze, each with a runtime directory of its own (as autostart-linux.test.ts).
    const runtime = join(dir, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const run = (command: string, args: readonly string[]) => {
      const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: '' } });
      return { status: result.error ? null : result.status, stdout: result.stdout, stderr: result.stderr };
    };
    env = { ...defaultAutostartEnv(), platform: 'linux', home: join(dir, 'home'), configHome: join(dir, 'home/.config'), systemRoot: join(dir, 'root'), command: [], run };
    unit = join(env.configHome, 'systemd/user', UNIT_NAME);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('install refuses a path with a newline, exit 1, says to move the agent, and writes nothing', () => {
    for (const bin of [INJECTION, executable('a"b', 'sicert-agent'), executable('a\\b', 'sicert-agent')]) {
      const lines: string[] = [];
      assert.equal(autostartCommand('install', { ...env, command: [bin] }, (line) => lines.push(line)), 1);
      assert.match(lines.join('\n'), /请把 sicert-agent 移到.* \| the agent's path .* cannot run safely: move sicert-agent/);
      assert.doesNotMatch(lines.join('\n'), /\nExecStart=/);
      assert.equal(existsSync(unit), false);
      assert.equal(existsSync(join(env.configHome, 'systemd')), false);
    }
  });

  for (const [name, withAnalyze] of [['systemd-analyze verify', true], ['reading ExecStart back (no systemd-analyze)', false]] as const) {
    it(`doctor fails an enabled unit systemd rejects, found by ${name}`, () => {
      const checked: AutostartEnv = withAnalyze ? env : { ...env, run: (c, a) => (c === 'systemd-analyze' ? { status: null, stdout: '', stderr: 'ENOENT' } : env.run(c, a)) };
      oldUnit(executable('a"b', 'sicert-agent'));
      const status = autostartStatus(checked);
      assert.equal(status.on, false);
      assert.match(status.problem!.en, /^systemd would not run .*: move sicert-agent/);
      const [finding] = checkAutostart(checked);
      assert.equal(finding!.ok, false);
      assert.match(finding!.en, /^autostart does not work: systemd would not run/);
    });
  }

  it('doctor passes the same old-format unit for a plain path, and fails it once the program is gone (systemd-analyze)', () => {
    const bin = executable('opt dir', 'sicert-agent');
    oldUnit(bin);
    assert.equal(autostartStatus(env).on, true);
    rmSync(bin);
    assert.match(autostartStatus(env).problem?.en ?? '', /systemd would not run/);
  });

  it('doctor is on for a unit install writes', () => {
    env = { ...env, command: [executable('社保 dir', 'sicert%agent$x')] };
    installAutostart(env);
    assert.equal(readFileSync(unit, 'utf8'), systemdUnit(env.command));
    assert.deepEqual(autostartStatus(env).problem, undefined);
    assert.equal(autostartStatus(env).on, true);
  });
});
