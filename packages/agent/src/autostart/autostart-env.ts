import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSea } from 'node:sea';

/** What a command printed and how it ended; `status` is null when it could not run at all (not installed). */
export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One line of a report: zh-CN first, then English. */
export interface Note {
  zh: string;
  en: string;
}

/** Whether the agent starts at login, by what, and (when an entry is there but would not run) why not. */
export interface AutostartStatus {
  on: boolean;
  how: Note;
  /** An entry is registered that the system would refuse to run; the note says what to do. */
  problem?: Note;
}

/** Where autostart is registered and how: the machine's, or a test's temporary home. */
export interface AutostartEnv {
  platform: NodeJS.Platform;
  home: string;
  /** `$XDG_CONFIG_HOME`, or `~/.config`: systemd reads the user's units from `<configHome>/systemd/user`. */
  configHome: string;
  /** Where system-wide paths (`/etc`, `/usr`) are looked up: `/`, or a test's root. */
  systemRoot: string;
  /** How to start this agent: the executable, or Node and the launcher script. `start` is added to it. */
  command: readonly string[];
  uid: number;
  /** Runs a program (systemctl, launchctl, reg) without a shell. */
  run(command: string, args: readonly string[]): CommandResult;
}

/** How this agent was started: the single executable itself, or Node with the script it ran. */
export function selfCommand(): string[] {
  if (isSea()) return [process.execPath];
  const script = process.argv[1];
  return script ? [process.execPath, realpathSync(script)] : [process.execPath];
}

/** The machine's environment for the current user. */
export function defaultAutostartEnv(): AutostartEnv {
  const home = homedir();
  return {
    platform: process.platform,
    home,
    configHome: process.env.XDG_CONFIG_HOME || join(home, '.config'),
    systemRoot: '/',
    command: selfCommand(),
    uid: process.getuid?.() ?? 0,
    run(command, args) {
      const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
      // A program that is not there (launchctl on Linux) has no output at all.
      if (result.error) return { status: null, stdout: '', stderr: result.error.message };
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}

/** Writes `text` to `path` crash-safely: a temporary file beside it, then a rename over the old one. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
}
