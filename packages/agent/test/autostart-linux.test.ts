// `sicert-agent install` / `uninstall` on Linux, in a temporary home with this machine's real systemctl, which
// reaches no user manager (none runs in CI, and a developer's is kept out), so install writes the unit and links
// it into default.target.wants by hand, as `systemctl --user enable` would, and says so. systemd-analyze checks
// the unit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { autostartCommand, autostartStatus, installAutostart, uninstallAutostart } from '../src/autostart/autostart.js';
import { defaultAutostartEnv, type AutostartEnv } from '../src/autostart/autostart-env.js';
import { systemdUnit, UNIT_NAME } from '../src/autostart/systemd-unit.js';
import { checkAutostart } from '../src/doctor/autostart-check.js';

describe('autostart on Linux (systemd user unit)', () => {
  let dir: string;
  let env: AutostartEnv;
  let unit: string;
  let wants: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sicert-autostart-'));
    // An executable whose path needs quoting in ExecStart (a space, a % and a $), so systemd-analyze proves the quoting.
    const bin = join(dir, 'opt dir', 'sicert%agent$x');
    mkdirSync(join(dir, 'opt dir'));
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    // The real systemctl, kept from any user manager of this machine (a developer's desktop session has one) by a
    // runtime directory of its own, so `systemctl --user` never touches the developer's own units.
    const runtime = join(dir, 'no-manager');
    mkdirSync(runtime, { mode: 0o700 });
    const run = (command: string, args: readonly string[]) => {
      const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime, DBUS_SESSION_BUS_ADDRESS: '' } });
      return { status: result.error ? null : result.status, stdout: result.stdout, stderr: result.stderr };
    };
    env = { ...defaultAutostartEnv(), platform: 'linux', home: join(dir, 'home'), configHome: join(dir, 'home', '.config'), systemRoot: join(dir, 'root'), command: [bin], run };
    unit = join(env.configHome, 'systemd/user', UNIT_NAME);
    wants = join(env.configHome, 'systemd/user/default.target.wants', UNIT_NAME);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a unit systemd accepts, enables it, and is on', () => {
    const notes = installAutostart(env);
    assert.match(notes.map((n) => n.en).join('\n'), /wrote the user unit .*\nno systemd user manager is running: linked .*by hand/);
    assert.equal(readFileSync(unit, 'utf8'), systemdUnit(env.command));
    assert.equal(realpathSync(wants), unit);
    const runtime = join(dir, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const verify = spawnSync('systemd-analyze', ['--user', 'verify', unit], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.equal(autostartStatus(env).on, true);
    assert.match(checkAutostart(env)[0]!.en, /^autostart is on: starts at login/);
  });

  it('a second install changes nothing and says so', () => {
    installAutostart(env);
    const before = readFileSync(unit, 'utf8');
    assert.deepEqual(installAutostart(env).map((n) => n.en), [`user unit already in place: ${unit}`, `already enabled: ${wants}`]);
    assert.equal(readFileSync(unit, 'utf8'), before);
  });

  it('uninstall removes exactly what install wrote, and then is off', () => {
    mkdirSync(join(env.configHome, 'systemd/user'), { recursive: true });
    const other = join(env.configHome, 'systemd/user', 'other.service');
    writeFileSync(other, '[Service]\nExecStart=/bin/true\n');
    installAutostart(env);
    uninstallAutostart(env);
    assert.equal(existsSync(unit), false);
    assert.equal(existsSync(join(env.configHome, 'systemd/user/default.target.wants')), false);
    assert.equal(readFileSync(other, 'utf8'), '[Service]\nExecStart=/bin/true\n');
    assert.equal(autostartStatus(env).on, false);
    assert.match(uninstallAutostart(env)[0]!.en, /nothing to remove/);
  });

  it('leaves a unit of the same name it did not write alone, and says why (exit code 1)', () => {
    mkdirSync(join(env.configHome, 'systemd/user'), { recursive: true });
    writeFileSync(unit, '[Service]\nExecStart=/opt/mine\n');
    const lines: string[] = [];
    assert.equal(autostartCommand('install', env, (line) => lines.push(line)), 1);
    assert.equal(autostartCommand('uninstall', env, (line) => lines.push(line)), 1);
    assert.match(lines.join('\n'), /was not written by sicert-agent install: left as it is\n.*not removed/);
    assert.equal(readFileSync(unit, 'utf8'), '[Service]\nExecStart=/opt/mine\n');
    assert.equal(existsSync(wants), false);
  });

  it('with a user manager running, enables and disables through systemctl --user (recorded: none runs here)', () => {
    const calls: string[] = [];
    const managed: AutostartEnv = { ...env, run: (command, args) => (calls.push([command, ...args].join(' ')), { status: 0, stdout: '', stderr: '' }) };
    assert.match(installAutostart(managed).at(-1)!.en, /^enabled with systemctl --user enable/);
    assert.deepEqual(calls, ['systemctl --user daemon-reload', `systemctl --user enable ${UNIT_NAME}`]);
    calls.length = 0;
    uninstallAutostart(managed);
    assert.deepEqual(calls, ['systemctl --user daemon-reload', `systemctl --user disable ${UNIT_NAME}`, 'systemctl --user daemon-reload']);
    assert.equal(existsSync(unit), false);
  });

  it('counts the package\u2019s unit enabled for every user, unless the user masked it', () => {
    const global = join(env.systemRoot, 'etc/systemd/user/default.target.wants');
    mkdirSync(global, { recursive: true });
    symlinkSync(join(env.systemRoot, 'usr/lib/systemd/user', UNIT_NAME), join(global, UNIT_NAME));
    mkdirSync(join(env.systemRoot, 'usr/lib/systemd/user'), { recursive: true });
    writeFileSync(join(env.systemRoot, 'usr/lib/systemd/user', UNIT_NAME), systemdUnit(['/usr/bin/sicert-agent']));
    assert.match(autostartStatus(env).how.en, /for every user, from the package/);
    mkdirSync(join(env.configHome, 'systemd/user'), { recursive: true });
    symlinkSync('/dev/null', unit);
    assert.equal(autostartStatus(env).on, false);
  });
});
