import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type pkcs11js from 'pkcs11js';

/** How often a module whose token store cannot be looked at is re-initialised, at most. */
export const BLIND_REINIT_MS = 500;

/**
 * When a module must be re-initialised to see tokens that other programs created or deleted. Most modules see a
 * USB-Key plugged or pulled in `C_GetSlotList`; SoftHSM2 reads its token directory at `C_Initialize` only, so a
 * token made by `softhsm2-util` stays invisible until `C_Finalize` + `C_Initialize`.
 */
export interface ReinitPolicy {
  /** What the module calls itself, for the log. */
  readonly name: string;
  /** A look at the token store now (cheap); compare it with the one taken before the last re-initialisation. */
  look(): string | undefined;
  /** True when the store looks different from `accepted` (or cannot be looked at and a while has passed). */
  stale(look: string | undefined): boolean;
  /** Records the look taken just before a re-initialisation that succeeded. */
  accept(look: string | undefined): void;
}

/** `key = value` lines of a SoftHSM2 configuration file (`#` starts a comment). */
export function parseSoftHsmConf(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([\w.]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith('#')) entries.set(match[1]!, match[2]!);
  }
  return entries;
}

/** SoftHSM2's token directory, as the module in this process reads it (`SOFTHSM2_CONF`, else the built-in paths). */
export function softHsmTokenDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const conf = readFileSync(env.SOFTHSM2_CONF || '/etc/softhsm/softhsm2.conf', 'utf8');
    return parseSoftHsmConf(conf).get('directories.tokendir') ?? '/var/lib/softhsm/tokens/';
  } catch {
    return undefined;
  }
}

/** True when `path` is a file with something in it. */
function written(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.size > 0;
}

/** A look's token directories: name → whether its description is written (see {@link softHsmPolicy}). */
function parseLook(look: string): Map<string, boolean> {
  const dirs = new Map<string, boolean>();
  for (const line of look.split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space > 0) dirs.set(line.slice(0, space), line.slice(space + 1) === 'ready');
  }
  return dirs;
}

/**
 * True when `look` shows a token created, deleted or completed since `accepted`. A directory whose description was
 * written and now reads empty or missing is not a change: another program's `C_Login` is rewriting it (SoftHSM2
 * truncates `token.object` and writes it again, the PIN's key derivation in between, so under a steady stream of
 * logins it reads empty most of the time), or a deletion is under way, which ends with the directory gone.
 */
function changed(look: string, accepted: string): boolean {
  const before = parseLook(accepted);
  const now = parseLook(look);
  for (const [name, ready] of now) {
    const was = before.get(name);
    if (was === undefined || (ready && !was)) return true;
  }
  for (const name of before.keys()) if (!now.has(name)) return true;
  return false;
}

/**
 * SoftHSM2's policy: one directory per token under its token directory, holding the token's description
 * (`token.object`, or `sqlite3.db` with the database backend), which is what `C_Initialize` reads. The look lists
 * the directories and whether that file has been written, so it changes when a token is created or deleted, and
 * also when a new token's description is written after its directory appeared: a re-initialisation in between
 * (which shows no token there) is followed by another once the token is complete. Objects added inside a token
 * need none (SoftHSM2 sees them by itself), and neither does a login anywhere: SoftHSM2 rewrites `token.object` on
 * every `C_Login` (emptied first, then written again with the same size), so a look that went by its time or size
 * re-initialised the module whenever it caught another program's login half-way, closed every session the agent
 * keeps open, and, reading the half-written file, lost the token (`TOKEN_REMOVED` for a key still plugged in). A
 * look costs about 20 µs here. When the directory cannot be read, the module is re-initialised at most every
 * {@link BLIND_REINIT_MS}.
 */
export function softHsmPolicy(tokenDir: string | undefined, now: () => number = Date.now): ReinitPolicy {
  let accepted: string | undefined;
  let acceptedAt = -Infinity;
  return {
    name: 'SoftHSM2',
    look() {
      if (tokenDir === undefined) return undefined;
      try {
        return readdirSync(tokenDir)
          .sort()
          .map((name) => `${name} ${written(join(tokenDir, name, 'token.object')) || written(join(tokenDir, name, 'sqlite3.db')) ? 'ready' : '-'}`)
          .join('\n');
      } catch {
        return undefined;
      }
    },
    stale(look) {
      if (look === undefined) return now() - acceptedAt >= BLIND_REINIT_MS;
      return accepted === undefined || changed(look, accepted);
    },
    accept(look) {
      accepted = look;
      acceptedAt = now();
    },
  };
}

/** The policy a loaded module needs, from its `C_GetInfo`; undefined for a module that sees plugging by itself. */
export function reinitPolicyFor(lib: pkcs11js.PKCS11): ReinitPolicy | undefined {
  let manufacturer: string;
  try {
    manufacturer = lib.C_GetInfo().manufacturerID.trim();
  } catch {
    return undefined;
  }
  return /^SoftHSM/i.test(manufacturer) ? softHsmPolicy(softHsmTokenDir()) : undefined;
}
