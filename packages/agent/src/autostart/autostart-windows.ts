import type { AutostartEnv, Note } from './autostart-env.js';
import { regAddArgs, regDeleteArgs, regQueryArgs, RUN_KEY, RUN_VALUE, windowsCommandLine } from './windows-run.js';

/** The Run entry as `reg query` shows it, or undefined when there is none. */
function current(env: AutostartEnv): string | undefined {
  const query = env.run('reg', regQueryArgs());
  if (query.status !== 0) return undefined;
  return /REG_SZ\s+(.*)$/m.exec(query.stdout)?.[1]?.trim();
}

/** Writes the Run entry with `reg add` (the same entry again on a second install). */
export function installWindows(env: AutostartEnv): Note[] {
  const line = windowsCommandLine(env.command);
  if (current(env) === line) return [{ zh: `启动项已存在: ${RUN_KEY}\\${RUN_VALUE}`, en: `Run entry already in place: ${RUN_KEY}\\${RUN_VALUE}` }];
  const added = env.run('reg', regAddArgs(env.command));
  if (added.status !== 0) throw new Error(`reg add: ${added.stderr.trim() || `exit ${added.status ?? '?'}`}`);
  return [{ zh: `已写入启动项 ${RUN_KEY}\\${RUN_VALUE}，登录时启动`, en: `wrote the Run entry ${RUN_KEY}\\${RUN_VALUE}: starts at logon` }];
}

/** Deletes the Run entry {@link installWindows} wrote, and nothing else. */
export function uninstallWindows(env: AutostartEnv): Note[] {
  if (current(env) === undefined) return [{ zh: '未曾用 sicert-agent install 设置自启动，无需删除', en: 'autostart was not installed by sicert-agent install: nothing to remove' }];
  const deleted = env.run('reg', regDeleteArgs());
  if (deleted.status !== 0) throw new Error(`reg delete: ${deleted.stderr.trim() || `exit ${deleted.status ?? '?'}`}`);
  return [{ zh: `已删除启动项 ${RUN_KEY}\\${RUN_VALUE}`, en: `removed the Run entry ${RUN_KEY}\\${RUN_VALUE}` }];
}

/** Whether the Run entry is there. */
export function statusWindows(env: AutostartEnv): { on: boolean; how: Note } {
  return current(env) === undefined
    ? { on: false, how: { zh: '登录时不会自动启动', en: 'does not start at logon' } }
    : { on: true, how: { zh: `登录时启动（${RUN_KEY}\\${RUN_VALUE}）`, en: `starts at logon (${RUN_KEY}\\${RUN_VALUE})` } };
}
