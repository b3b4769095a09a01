/** Where an autostart entry is read: each reads a command's words under its own rules. */
export type AutostartTarget = 'systemd' | 'launchd' | 'windows';

/** Thrown by the autostart generators for a path their target cannot run as written; the message says to move the agent. */
export class UnsafeAutostartPathError extends Error {
  override readonly name = 'UnsafeAutostartPathError';
  constructor(
    /** The word of the command that holds the character (the executable's or the script's real path). */
    readonly path: string,
    readonly target: AutostartTarget,
    what: { zh: string; en: string },
  ) {
    const shown = JSON.stringify(path);
    super(
      `sicert-agent 所在路径 ${shown} 含有${what.zh}，${NAMES[target]}无法安全地运行它；请把 sicert-agent 移到不含这类字符的目录（如 /opt/sicert-agent）后再运行 sicert-agent install` +
        ` | the agent's path ${shown} holds ${what.en}, which ${NAMES[target]} cannot run safely: move sicert-agent to a directory without it (e.g. /opt/sicert-agent) and run sicert-agent install again`,
    );
  }
}

const NAMES: Record<AutostartTarget, string> = { systemd: 'systemd', launchd: 'launchd', windows: 'Windows' };

// Control characters (a newline would start a new line of the unit or the entry), and text that is not one
// Unicode character per code point (a lone surrogate, or U+FFFD for a byte that was not UTF-8), which cannot be
// written back as the same path. XML 1.0 has no way to write U+FFFE / U+FFFF at all.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const NOT_TEXT = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffd\ufffe\uffff]/;

/**
 * What in `word` the target cannot take, or undefined. systemd refuses an executable name with a quote or a
 * backslash ("Executable name contains special characters", `string_is_safe()`); a quote ends the program name of
 * a Windows command line whatever precedes it, and a Run entry's `%NAME%` may be expanded.
 */
export function unsafeCharacter(word: string, target: AutostartTarget): { zh: string; en: string } | undefined {
  if (CONTROL.test(word)) return { zh: '控制字符（如换行）', en: 'a control character (such as a newline)' };
  if (NOT_TEXT.test(word)) return { zh: '无法表示的字符', en: 'a character that cannot be written back as it is' };
  if (target === 'systemd' && /["'\\]/.test(word)) return { zh: '引号或反斜杠', en: 'a quote or a backslash' };
  if (target === 'windows' && /["%]/.test(word)) return { zh: '双引号或百分号', en: 'a double quote or a percent sign' };
  return undefined;
}

/** Throws {@link UnsafeAutostartPathError} for the first word of `command` that `target` cannot take. */
export function assertSafeCommand(command: readonly string[], target: AutostartTarget): void {
  for (const word of command) {
    const what = unsafeCharacter(word, target);
    if (what) throw new UnsafeAutostartPathError(word, target, what);
  }
}
