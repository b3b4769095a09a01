import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileDurably } from './durable-file.js';

/**
 * The config file the agent reads, and the one `sicert-agent allow` writes: `--config`, else `SICERT_CONFIG`, else
 * `<home>/config.json` (home from `--home`, `SICERT_HOME`, or `~/.sicert`), whether or not it exists yet.
 */
export function configFilePath(flags: { config?: string; home?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const home = flags.home ?? (env.SICERT_HOME || join(homedir(), '.sicert'));
  return resolve(flags.config ?? (env.SICERT_CONFIG || join(home, 'config.json')));
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Throws, saying what to do, when `path` is a symbolic link (a rename over it would break the link and leave its
 * target as it was), not a regular file (a FIFO would block the command), or (`forWrite`) not writable by the user:
 * a file made read-only is not quietly replaced.
 */
export function checkConfigPath(path: string, forWrite: boolean): void {
  const stats = lstatOrUndefined(path);
  if (stats === undefined) return;
  if (stats.isSymbolicLink()) {
    throw new Error(`${path} 是符号链接；请用 --config 指向它的实际文件 / ${path} is a symbolic link; point --config at the file it links to`);
  }
  if (!stats.isFile()) throw new Error(`${path} 不是普通文件 / ${path} is not a regular file`);
  if (!forWrite) return;
  let writable = (stats.mode & 0o200) !== 0; // root may write anything: the owner's write bit is the intent
  try {
    accessSync(path, constants.W_OK);
  } catch {
    writable = false;
  }
  if (!writable) throw new Error(`${path} 是只读文件，未修改；如确需修改：chmod u+w ${path} / ${path} is read-only and was left alone; to change it: chmod u+w ${path}`);
}

/**
 * The config file as a JSON object; `{}` when it does not exist. Throws, naming the file, when it is not JSON, or
 * not a regular file (see {@link checkConfigPath}; it is opened non-blocking, so a FIFO never hangs the read).
 */
export function readConfigObject(path: string): Record<string, unknown> {
  checkConfigPath(path, false);
  let text: string;
  let fd: number;
  try {
    // Windows has neither flag (nor FIFOs to block on); lstat above already refused a link.
    fd = openSync(path, process.platform === 'win32' ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    // Swapped for something else between the lstat and the open.
    if (!fstatSync(fd).isFile()) throw new Error(`${path} 不是普通文件 / ${path} is not a regular file`);
    text = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
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
  writeFileDurably(path, `${JSON.stringify(settings, null, 2)}\n`);
}
