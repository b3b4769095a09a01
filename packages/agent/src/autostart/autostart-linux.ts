import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { writeAtomically, type AutostartEnv, type AutostartStatus, type Note } from './autostart-env.js';
import { INSTALLED_MARK, systemdUnit, UNIT_NAME } from './systemd-unit.js';
import { unitProblem } from './systemd-unit-check.js';

/** The user's unit and the link that enables it, as `systemctl --user enable` makes it. */
export function linuxPaths(env: AutostartEnv): { unit: string; wants: string } {
  const dir = join(env.configHome, 'systemd', 'user');
  return { unit: join(dir, UNIT_NAME), wants: join(dir, 'default.target.wants', UNIT_NAME) };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** True when the user's systemd instance answers (`systemctl --user` works): a desktop session, not a container's root shell. */
function userManager(env: AutostartEnv): boolean {
  return env.run('systemctl', ['--user', 'daemon-reload']).status === 0;
}

/** Writes the user unit and enables it; says what it did. */
export function installLinux(env: AutostartEnv): Note[] {
  const { unit, wants } = linuxPaths(env);
  const text = systemdUnit(env.command);
  const old = read(unit);
  if (old !== undefined && !old.startsWith(INSTALLED_MARK)) {
    throw new Error(`${unit} 不是 sicert-agent install 写的，未改动它 | ${unit} was not written by sicert-agent install: left as it is`);
  }
  const notes: Note[] = [];
  if (old === text) notes.push({ zh: `用户服务已存在: ${unit}`, en: `user unit already in place: ${unit}` });
  else {
    writeAtomically(unit, text);
    notes.push({ zh: `已写入用户服务: ${unit}`, en: `wrote the user unit ${unit}` });
  }
  if (userManager(env)) {
    const enabled = env.run('systemctl', ['--user', 'enable', UNIT_NAME]);
    if (enabled.status !== 0) throw new Error(`systemctl --user enable ${UNIT_NAME}: ${enabled.stderr.trim()}`);
    notes.push({ zh: '已用 systemctl --user enable 设为登录时启动（现在启动: systemctl --user start sicert-agent）', en: 'enabled with systemctl --user enable: starts at login (to start it now: systemctl --user start sicert-agent)' });
  } else if (isLink(wants)) {
    notes.push({ zh: `已设为登录时启动: ${wants}`, en: `already enabled: ${wants}` });
  } else {
    mkdirSync(dirname(wants), { recursive: true });
    symlinkSync(unit, wants);
    notes.push({ zh: `没有运行中的 systemd 用户实例，已直接建立启用链接 ${wants}，下次登录时启动`, en: `no systemd user manager is running: linked ${wants} by hand, so it starts at the next login` });
  }
  return notes;
}

/** Removes `dir` and its parents up to `stop` (kept) while they are empty: the directories install made. */
function removeEmptyDirectories(dir: string, stop: string): void {
  for (let at = dir; at.startsWith(`${stop}/`) && existsSync(at) && readdirSync(at).length === 0; at = dirname(at)) rmdirSync(at);
}

/** Disables and removes exactly what {@link installLinux} wrote. */
export function uninstallLinux(env: AutostartEnv): Note[] {
  const { unit, wants } = linuxPaths(env);
  const old = read(unit);
  if (old === undefined) return [{ zh: '未曾用 sicert-agent install 设置自启动，无需删除', en: 'autostart was not installed by sicert-agent install: nothing to remove' }];
  if (!old.startsWith(INSTALLED_MARK)) throw new Error(`${unit} 不是 sicert-agent install 写的，未删除 | ${unit} was not written by sicert-agent install: not removed`);
  const notes: Note[] = [];
  const manager = userManager(env);
  if (manager && env.run('systemctl', ['--user', 'disable', UNIT_NAME]).status === 0) notes.push({ zh: '已用 systemctl --user disable 取消登录时启动', en: 'disabled with systemctl --user disable' });
  if (isLink(wants) && resolve(dirname(wants), readlinkSync(wants)) === unit) {
    rmSync(wants);
    notes.push({ zh: `已删除启用链接 ${wants}`, en: `removed the link ${wants}` });
  }
  rmSync(unit);
  notes.push({ zh: `已删除用户服务 ${unit}`, en: `removed the user unit ${unit}` });
  removeEmptyDirectories(dirname(wants), env.configHome);
  if (manager) env.run('systemctl', ['--user', 'daemon-reload']);
  return notes;
}

/** Whether the agent starts at login: the user's own unit enabled, or the package's unit enabled for every user. */
export function statusLinux(env: AutostartEnv): AutostartStatus {
  const { unit, wants } = linuxPaths(env);
  const own = read(unit);
  if (own !== undefined && own.startsWith(INSTALLED_MARK) && existsSync(wants)) {
    // Enabled is not enough: a unit systemd refuses never starts.
    const problem = unitProblem(env, unit, own);
    if (problem) return { on: false, how: { zh: '登录时不会自动启动', en: 'does not start at login' }, problem };
    return { on: true, how: { zh: `登录时启动（${unit}）`, en: `starts at login (${unit})` } };
  }
  // A user unit of the same name hides the package's (a mask is a link to /dev/null): it decides.
  if (own === undefined && !isLink(unit)) {
    for (const dir of ['etc/systemd/user', 'usr/lib/systemd/user']) {
      const link = join(env.systemRoot, dir, 'default.target.wants', UNIT_NAME);
      if (existsSync(link)) return { on: true, how: { zh: `随软件包为所有用户登录时启动（${link}）`, en: `starts at login for every user, from the package (${link})` } };
    }
  }
  return { on: false, how: { zh: '登录时不会自动启动', en: 'does not start at login' } };
}
