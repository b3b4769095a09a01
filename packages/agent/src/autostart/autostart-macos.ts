import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically, type AutostartEnv, type Note } from './autostart-env.js';
import { LAUNCHD_LABEL, launchdPlist } from './launchd-plist.js';

/** The user's launchd agent: ~/Library/LaunchAgents/cn.sicert.agent.plist. */
export function plistPath(env: AutostartEnv): string {
  return join(env.home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes the launchd agent and loads it into the user's GUI session (`launchctl bootstrap gui/<uid>`). */
export function installMacos(env: AutostartEnv): Note[] {
  const path = plistPath(env);
  const text = launchdPlist(env.command);
  if (read(path) === text) return [{ zh: `登录项已存在: ${path}`, en: `launch agent already in place: ${path}` }];
  const notes: Note[] = [];
  // A changed plist is only read again after the old one is booted out.
  if (read(path) !== undefined) env.run('launchctl', ['bootout', `gui/${env.uid}`, path]);
  writeAtomically(path, text);
  notes.push({ zh: `已写入登录项 ${path}`, en: `wrote the launch agent ${path}` });
  const loaded = env.run('launchctl', ['bootstrap', `gui/${env.uid}`, path]);
  notes.push(
    loaded.status === 0
      ? { zh: '已用 launchctl 载入，现已运行，登录时自动启动', en: 'loaded with launchctl: running now, and at every login' }
      : { zh: '下次登录时启动', en: 'starts at the next login' },
  );
  return notes;
}

/** Boots the launchd agent out and removes the plist {@link installMacos} wrote. */
export function uninstallMacos(env: AutostartEnv): Note[] {
  const path = plistPath(env);
  const old = read(path);
  if (old === undefined) return [{ zh: '未曾用 sicert-agent install 设置自启动，无需删除', en: 'autostart was not installed by sicert-agent install: nothing to remove' }];
  if (!old.includes(`<string>${LAUNCHD_LABEL}</string>`)) throw new Error(`${path} 不是 sicert-agent install 写的，未删除 | ${path} was not written by sicert-agent install: not removed`);
  env.run('launchctl', ['bootout', `gui/${env.uid}`, path]);
  rmSync(path);
  return [{ zh: `已删除登录项 ${path}`, en: `removed the launch agent ${path}` }];
}

/** Whether the launchd agent is there. */
export function statusMacos(env: AutostartEnv): { on: boolean; how: Note } {
  const path = plistPath(env);
  return read(path)?.includes(`<string>${LAUNCHD_LABEL}</string>`)
    ? { on: true, how: { zh: `登录时启动（${path}）`, en: `starts at login (${path})` } }
    : { on: false, how: { zh: '登录时不会自动启动', en: 'does not start at login' } };
}
