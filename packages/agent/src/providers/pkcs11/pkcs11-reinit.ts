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

/** Size of a file, or `-` when it does not exist. */
function mark(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? String(stat.size) : '-';
}

/**
 * SoftHSM2's policy: one directory per token under its token directory, holding the token's description
 * (`token.object`, or `sqlite3.db` with the database backend), which is what `C_Initialize` reads. The look lists
 * the directories with the size of that file, so it changes when a token is created or deleted, and also when a new
 * token's description is written after its directory appeared: a re-initialisation in between (which shows no token
 * there) is followed by another once the token is complete. Objects added inside a token need none (SoftHSM2 sees
 * them by itself), and neither does a login: SoftHSM2 rewrites `token.object` on every `C_Login` (same size, new
 * time and content), so a look that went by its time re-initialised the module, and closed every session the agent
 * keeps open, after every signature. A look costs about 20 µs here. When the directory cannot be read, the module is
 * re-initialised at most every {@link BLIND_REINIT_MS}.
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
          .map((name) => `${name} ${mark(join(tokenDir, name, 'token.object'))} ${mark(join(tokenDir, name, 'sqlite3.db'))}`)
          .join('\n');
      } catch {
        return undefined;
      }
    },
    stale(look) {
      return look === undefined ? now() - acceptedAt >= BLIND_REINIT_MS : look !== accepted;
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
