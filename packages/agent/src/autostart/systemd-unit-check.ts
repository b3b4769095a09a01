import type { AutostartEnv, Note } from './autostart-env.js';
import { parseExecStart } from './systemd-exec-start.js';
import { execStartLine, UNIT_NAME } from './systemd-unit.js';
import { unsafeCharacter } from './unsafe-path.js';

function rejected(unit: string, why: string): Note {
  return {
    zh: `systemd 不会运行 ${unit}（${why}），请把 sicert-agent 移到普通目录（如 /opt/sicert-agent）后再运行 sicert-agent install`,
    en: `systemd would not run ${unit} (${why}): move sicert-agent to a plain directory (e.g. /opt/sicert-agent) and run sicert-agent install again`,
  };
}

/**
 * Why systemd would refuse the unit `sicert-agent install` wrote at `unit` (`text`), or undefined when it runs.
 * Its `ExecStart=` must read back, word for word, as a command the generator writes unchanged (an earlier version
 * wrote quotes and backslashes systemd refuses); then `systemd-analyze --user verify`, where it is installed,
 * has the last word (it also sees a program that is gone). A verify that fails for want of a runtime directory
 * (a root shell) does not name the unit, and is not taken for a refusal.
 */
export function unitProblem(env: AutostartEnv, unit: string, text: string): Note | undefined {
  const lines = text.split('\n').filter((line) => line.startsWith('ExecStart='));
  if (lines.length !== 1) return rejected(unit, `${lines.length} ExecStart=`);
  const line = lines[0]!;
  const words = parseExecStart(line.slice('ExecStart='.length));
  if (!words || words.at(-1) !== 'start') return rejected(unit, 'ExecStart=');
  const command = words.slice(0, -1);
  const unsafe = command.find((word) => unsafeCharacter(word, 'systemd'));
  if (unsafe !== undefined) return rejected(unit, JSON.stringify(unsafe));
  if (execStartLine(command) !== line) return rejected(unit, 'ExecStart=');
  const verify = env.run('systemd-analyze', ['--user', 'verify', unit]);
  const output = `${verify.stdout}${verify.stderr}`;
  if (verify.status !== null && verify.status !== 0 && (output.includes(unit) || output.includes(UNIT_NAME))) {
    return rejected(unit, output.split('\n').find((l) => l.includes(unit) || l.includes(UNIT_NAME))!.trim());
  }
  return undefined;
}
