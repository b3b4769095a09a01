// Autostart on macOS and Windows cannot run on this Linux machine: what they generate is checked as text (the
// launchd plist, the reg.exe arguments, the .reg file), and their install / uninstall as the commands they would
// run, against a recorder that keeps the Run entry the way reg.exe would.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { autostartStatus, installAutostart, uninstallAutostart } from '../src/autostart/autostart.js';
import type { AutostartEnv, CommandResult } from '../src/autostart/autostart-env.js';
import { launchdPlist } from '../src/autostart/launchd-plist.js';
import { regAddArgs, regDeleteArgs, regFile, windowsCommandLine } from '../src/autostart/windows-run.js';

const EXE = 'C:\\Program Files\\sicert\\sicert-agent.exe';

/** Records each command; reg.exe's add, query and delete act on one value the way reg.exe does. */
function recorder(env: Omit<AutostartEnv, 'run'>): { env: AutostartEnv; calls: string[][] } {
  const calls: string[][] = [];
  let value: string | undefined;
  const run = (command: string, args: readonly string[]): CommandResult => {
    calls.push([command, ...args]);
    if (command !== 'reg') return { status: 0, stdout: '', stderr: '' };
    if (args[0] === 'add') value = args[args.indexOf('/d') + 1];
    if (args[0] === 'delete') value = undefined;
    if (args[0] === 'query' && value === undefined) return { status: 1, stdout: '', stderr: 'ERROR: The system was unable to find the specified registry key or value.' };
    return { status: 0, stdout: args[0] === 'query' ? `\r\nHKEY_CURRENT_USER\\...\\Run\r\n    sicert-agent    REG_SZ    ${value ?? ''}\r\n\r\n` : '', stderr: '' };
  };
  return { env: { ...env, run }, calls };
}

describe('autostart on Windows (Run entry)', () => {
  it('quotes the executable path and writes the value with reg add /f', () => {
    assert.equal(windowsCommandLine([EXE]), `"${EXE}" start`);
    assert.equal(windowsCommandLine(['C:\\sicert dir\\']), '"C:\\sicert dir\\\\" start');
    assert.deepEqual(regAddArgs([EXE]), ['add', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'sicert-agent', '/t', 'REG_SZ', '/d', `"${EXE}" start`, '/f']);
    assert.deepEqual(regDeleteArgs(), ['delete', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'sicert-agent', '/f']);
  });

  it('gives the same entry as a .reg file', () => {
    assert.equal(
      regFile([EXE]),
      'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n' +
        '"sicert-agent"="\\"C:\\\\Program Files\\\\sicert\\\\sicert-agent.exe\\" start"\r\n',
    );
  });

  it('installs once, is on, and uninstalls exactly its value', () => {
    const { env, calls } = recorder({ platform: 'win32', home: 'C:\\Users\\wang', configHome: '', systemRoot: '', command: [EXE], uid: 0 });
    installAutostart(env);
    assert.deepEqual(calls.at(-1), ['reg', ...regAddArgs([EXE])]);
    assert.equal(autostartStatus(env).on, true);
    const before = calls.length;
    assert.match(installAutostart(env)[0]!.en, /already in place/);
    assert.equal(calls.slice(before).some((c) => c[1] === 'add'), false);
    uninstallAutostart(env);
    assert.deepEqual(calls.at(-1), ['reg', ...regDeleteArgs()]);
    assert.equal(autostartStatus(env).on, false);
    assert.match(uninstallAutostart(env)[0]!.en, /nothing to remove/);
  });
});

describe('autostart on macOS (launchd agent)', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'sicert-launchd-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('runs the agent at load, again after a failure, with the arguments escaped for XML', () => {
    const plist = launchdPlist(['/Applications/sicert & co/sicert-agent']);
    assert.match(plist, /<key>Label<\/key>\s*<string>cn\.sicert\.agent<\/string>/);
    assert.match(plist, /<key>ProgramArguments<\/key>\s*<array>\s*<string>\/Applications\/sicert &amp; co\/sicert-agent<\/string>\s*<string>start<\/string>\s*<\/array>/);
    assert.match(plist, /<key>RunAtLoad<\/key>\s*<true\/>/);
    assert.match(plist, /<key>SuccessfulExit<\/key>\s*<false\/>/);
  });

  it('writes ~/Library/LaunchAgents/cn.sicert.agent.plist, bootstraps it once, and boots it out on uninstall', () => {
    const { env, calls } = recorder({ platform: 'darwin', home, configHome: '', systemRoot: '', command: ['/usr/local/bin/sicert-agent'], uid: 501 });
    const path = join(home, 'Library/LaunchAgents/cn.sicert.agent.plist');
    installAutostart(env);
    assert.equal(readFileSync(path, 'utf8'), launchdPlist(['/usr/local/bin/sicert-agent']));
    assert.deepEqual(calls, [['launchctl', 'bootstrap', 'gui/501', path]]);
    installAutostart(env);
    assert.equal(calls.length, 1);
    assert.equal(autostartStatus(env).on, true);
    uninstallAutostart(env);
    assert.deepEqual(calls.at(-1), ['launchctl', 'bootout', 'gui/501', path]);
    assert.equal(existsSync(path), false);
    assert.equal(autostartStatus(env).on, false);
  });
});
