import { assertSafeCommand } from './unsafe-path.js';

/** The unit's name, in the user's unit directory and in the package's (`/usr/lib/systemd/user`). */
export const UNIT_NAME = 'sicert-agent.service';

/** The first line of a unit `sicert-agent install` wrote: uninstall removes a unit only when it carries this. */
export const INSTALLED_MARK = '# Written by `sicert-agent install`; `sicert-agent uninstall` removes it.';

/** The first line of the unit the .deb ships. */
export const PACKAGED_MARK = '# Installed by the sicert-agent package; started at login for every user.';

/**
 * One word of an `ExecStart=` line: quoted when it holds a space or a quote, with systemd's specifiers (`%`)
 * doubled so a path is taken literally, and in the arguments (not the program's own path, which systemd does not
 * expand) variable references (`$`) too (systemd.service(5), "Command lines").
 */
export function systemdWord(word: string, program = false): string {
  const percent = word.replaceAll('%', '%%');
  const literal = program ? percent : percent.replaceAll('$', '$$$$');
  return /[\s"'\\]/.test(literal) ? `"${literal.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"` : literal;
}

/**
 * The `ExecStart=` line that runs `command start`. Throws `UnsafeAutostartPathError` (unsafe-path.ts) for a
 * word systemd cannot take as written (a control character, a quote, a backslash): a newline would start a line of its own in
 * the unit, and systemd refuses such an executable name while the write itself succeeds.
 */
export function execStartLine(command: readonly string[]): string {
  assertSafeCommand(command, 'systemd');
  return `ExecStart=${[...command, 'start'].map((word, i) => systemdWord(word, i === 0)).join(' ')}`;
}

/**
 * The systemd user unit that runs `command start` in the user's session from login on (`WantedBy=default.target`),
 * restarting it if it fails (throws as {@link execStartLine} does). A `NODE_OPTIONS` in the user manager's
 * environment (a developer's `--inspect` or `--require`) is not passed on: a Node 20 single executable would obey
 * it. `mark` is the first line: {@link INSTALLED_MARK} or {@link PACKAGED_MARK}.
 */
export function systemdUnit(command: readonly string[], mark: string = INSTALLED_MARK): string {
  return `${mark}
[Unit]
Description=sicert signing agent (社保数字证书本地签名服务)

[Service]
Type=simple
UnsetEnvironment=NODE_OPTIONS
${execStartLine(command)}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
`;
}
