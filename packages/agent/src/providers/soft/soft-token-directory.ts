import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Id (and file name) of the single store that every certificate on the computer shared before each got a token of
 * its own. The agent only reads it to split it (see `soft-token-migration`), and lists it only when it is damaged.
 */
export const LEGACY_TOKEN_ID = 'soft-default';

/** A software token's id: `soft-` and 16 hex digits (its file's serial). */
const TOKEN_ID = /^soft-[0-9a-f]{16}$/;
/** What `writeTokenFile` leaves behind when the process dies between writing its temporary file and renaming it. */
const TEMP_FILE = /^soft-[0-9a-z-]+\.json\.(\d+)\.[0-9a-f]+\.tmp$/;

/** True for the id of a per-holder software token. */
export function isTokenId(id: string): boolean {
  return TOKEN_ID.test(id);
}

/** The file of token `id` in the token directory `dir`. */
export function tokenPath(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** Ids of the per-holder token files in `dir`, sorted; the single store and temporary files are not among them. */
export function tokenIds(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && isTokenId(name.slice(0, -'.json'.length)))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** A fresh id for a new token, with its serial: 64 random bits, not yet used in `dir`. */
export function newTokenId(dir: string): { id: string; serial: string } {
  for (;;) {
    const serial = randomBytes(8).toString('hex');
    const id = `soft-${serial}`;
    if (!existsSync(tokenPath(dir, id))) return { id, serial };
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes temporary files a killed writer left in `dir` (those of a process that is gone; this process has none
 * at start). They hold sealed keys under a PIN that may since have been changed: a password change must leave
 * nothing behind that the old password still opens. Returns how many were removed.
 */
export function removeStrayTemporaryFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const pid = TEMP_FILE.exec(name)?.[1];
    if (pid === undefined || (Number(pid) !== process.pid && alive(Number(pid)))) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
