import { assertSafeCommand } from './unsafe-path.js';

/** The per-user key Windows starts programs from at logon. */
export const RUN_KEY = 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
/** The value under {@link RUN_KEY} that `sicert-agent install` writes. */
export const RUN_VALUE = 'sicert-agent';

/**
 * A Windows command line: each word in double quotes when it holds a space (CommandLineToArgvW rules). Throws
 * `UnsafeAutostartPathError` (unsafe-path.ts) for a control character, a double quote (the program's name ends at
 * the next quote whatever backslashes precede it) or a percent sign (a Run entry's `%NAME%` may be expanded):
 * none is in a real Windows path but `%`, which is rare.
 */
export function windowsCommandLine(command: readonly string[]): string {
  assertSafeCommand(command, 'windows');
  return [...command, 'start']
    .map((word) => {
      if (word !== '' && !/[\s"]/.test(word)) return word;
      // Backslashes before a quote, and at the end before the closing quote, are doubled.
      return `"${word.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
    })
    .join(' ');
}

/** `reg.exe` arguments that write the Run entry (`/f`: overwrite without asking, so a second install is the same). */
export function regAddArgs(command: readonly string[]): string[] {
  return ['add', RUN_KEY, '/v', RUN_VALUE, '/t', 'REG_SZ', '/d', windowsCommandLine(command), '/f'];
}

/** `reg.exe` arguments that remove exactly the Run entry {@link regAddArgs} wrote. */
export function regDeleteArgs(): string[] {
  return ['delete', RUN_KEY, '/v', RUN_VALUE, '/f'];
}

/** `reg.exe` arguments that read the Run entry (exit code 1 when there is none). */
export function regQueryArgs(): string[] {
  return ['query', RUN_KEY, '/v', RUN_VALUE];
}

/** The same entry as a .reg file, for an administrator to deploy (e.g. by group policy). */
export function regFile(command: readonly string[]): string {
  const data = windowsCommandLine(command).replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return `Windows Registry Editor Version 5.00\r\n\r\n[${RUN_KEY.replace('HKCU', 'HKEY_CURRENT_USER')}]\r\n"${RUN_VALUE}"="${data}"\r\n`;
}
