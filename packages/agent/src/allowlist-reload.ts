import { unwatchFile, watchFile, type Stats } from 'node:fs';
import type { RunningAgent } from './agent.js';
import type { Logger } from './log.js';

/** How often the config file's status is polled. A poll (not fs.watch) sees a file replaced by rename, or created. */
export const ALLOWLIST_POLL_MS = 500;

/**
 * Keeps a running agent's allowlist in step with its config file, so `sicert-agent allow` and `deny` need no
 * restart. On any change of the file, `origins()` is asked for the whole list again (the caller's precedence: a
 * flag or `SICERT_ALLOW_ORIGINS` may still win) and the allowlist replaced; connections of an origin no longer
 * allowed are closed by the server. A file that does not parse leaves the list as it was, with a warning.
 * Returns the function that stops watching.
 */
export function watchAllowlist(agent: Pick<RunningAgent, 'origins'>, file: string, origins: () => string[], logger: Logger): () => void {
  const listener = (now: Stats, before: Stats) => {
    if (now.mtimeMs === before.mtimeMs && now.ino === before.ino && now.size === before.size) return;
    try {
      const next = origins();
      agent.origins.replace(next);
      logger.info('allowed origins reloaded from the config file', { file, origins: next.join(', ') });
    } catch (error) {
      logger.warn('the config file changed but cannot be used; the allowed origins stay as they were', { file, error: error instanceof Error ? error.message : String(error) });
    }
  };
  // Not persistent: watching alone never keeps the process alive.
  watchFile(file, { interval: ALLOWLIST_POLL_MS, persistent: false }, listener);
  return () => unwatchFile(file, listener);
}
