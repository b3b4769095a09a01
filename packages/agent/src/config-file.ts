import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The config file the agent reads, and the one `sicert-agent allow` writes: `--config`, else `SICERT_CONFIG`, else
 * `<home>/config.json` (home from `--home`, `SICERT_HOME`, or `~/.sicert`), whether or not it exists yet.
 */
export function configFilePath(flags: { config?: string; home?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const home = flags.home ?? (env.SICERT_HOME || join(homedir(), '.sicert'));
  return resolve(flags.config ?? (env.SICERT_CONFIG || join(home, 'config.json')));
}

/** The config file as a JSON object; `{}` when it does not exist. Throws, naming the file, when it is not JSON. */
export function readConfigObject(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: expected a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Writes the config file so that a crash leaves either the old file or the new one, never half of one: a temporary
 * file beside it, written and fsynced, renamed over it, then the directory fsynced so the rename itself lasts.
 * Mode 0600: the file says which web sites may use the certificates on this computer.
 */
export function writeConfigObject(path: string, settings: Record<string, unknown>): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(settings, null, 2)}\n`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
