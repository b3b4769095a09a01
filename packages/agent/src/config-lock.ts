// `allow` and `deny` read the config file, change its list and rename a new file over it. Two of them at once would
// each write the list they read, and one change would be lost. A lock file beside the config serialises them.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** How long to wait for another `allow`/`deny` before giving up, ms. */
export const LOCK_WAIT_MS = 5_000;
/** A lock older than this was left by a process that died without cleaning up, ms. */
export const STALE_LOCK_MS = 30_000;

/** Thrown when the lock stays held by a live process for {@link LOCK_WAIT_MS}. */
export class ConfigLockedError extends Error {}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock at `lock` was left behind: older than {@link STALE_LOCK_MS}, or its process is gone. */
function stale(lock: string): boolean {
  try {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) return true;
    const pid = Number(readFileSync(lock, 'utf8').trim());
    // An empty file is a lock being written this instant: not stale.
    return Number.isInteger(pid) && pid > 0 && !alive(pid);
  } catch {
    return false; // gone already: the next try takes it
  }
}

/**
 * Runs `work` holding `<path>.lock` (created exclusively, holding our pid); waits with a growing backoff while
 * another process holds it, takes over a stale one, and always removes it afterwards.
 */
export function withConfigLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let delay = 5;
  let fd: number | undefined;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (stale(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ConfigLockedError(`另一个 sicert-agent allow/deny 正在修改配置文件（${lock}）；请稍后再试 / another sicert-agent allow/deny is changing the config file (${lock}); try again shortly`);
      }
      sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 200);
    }
  }
  try {
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}
