import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { certificateFields } from '@sicert/pki/light';
import { LEGACY_TOKEN_ID, tokenPath } from './soft-token-directory.js';
import { readTokenFile, removeTokenFile, writeTokenFile, type CertificateRecord, type TokenFile } from './soft-token-file.js';

/** One token split out of the single store: its id and its whole file. */
export interface SplitToken {
  id: string;
  file: TokenFile;
}

/** What happened to the single store at start. */
export type MigrationOutcome =
  /** There is none: nothing to do. */
  | { kind: 'none' }
  /** It is damaged: left as it is, and listed as a damaged token so the citizen is told. */
  | { kind: 'damaged'; problem: string }
  /** Split into these tokens and removed. */
  | { kind: 'split'; ids: string[] }
  /**
   * Every token it holds exists already and some have changed since (they were used after an earlier split): the
   * file is an older copy, restored from a backup. It is left as it is and not served; nothing is overwritten.
   */
  | { kind: 'older-copy'; ids: string[] }
  /** Writing failed (disk full, permissions): the file is left as it is and the split is tried again at the next start. */
  | { kind: 'failed'; error: string };

/** The holder a certificate names (its common name), if it can be read. */
function holderOf(certificates: CertificateRecord[]): string | undefined {
  for (const c of certificates) {
    try {
      const name = certificateFields(Buffer.from(c.der, 'base64')).commonName?.trim();
      if (name) return name.slice(0, 64);
    } catch {
      // unreadable: the store's label is used instead
    }
  }
  return undefined;
}

/**
 * The tokens the single store splits into: one per key, with its certificates (a certificate whose key is missing
 * gets a token of its own too, so nothing is dropped; an empty store becomes one empty token). Without the PIN
 * nothing can be sealed afresh, so every token keeps the store's KDF salt, sealed data key, sealed private keys and
 * try counter: the old password opens each, and each counts its own tries from where the store stood. Where the
 * store held more than one key, each token is marked `mustChange` (its password is shared with the others).
 * Ids are derived from the store's serial and the key id, so a split interrupted by a crash and run again writes
 * the same files: it can neither duplicate nor lose a token.
 */
export function splitLegacyStore(store: TokenFile): SplitToken[] {
  const keyIds = [...new Set([...store.keys.map((k) => k.id), ...store.certificates.map((c) => c.keyId)])];
  const groups = keyIds.length ? keyIds : [''];
  const { mustChange: _alreadyShared, ...common } = store;
  return groups.map((keyId) => {
    const serial = createHash('sha256').update(`sicert soft-token split\0${store.serial}\0${keyId}`).digest('hex').slice(0, 16);
    const certificates = store.certificates.filter((c) => c.keyId === keyId);
    const file: TokenFile = {
      ...common,
      label: holderOf(certificates) ?? store.label,
      serial,
      keys: store.keys.filter((k) => k.id === keyId),
      certificates,
      ...(groups.length > 1 ? { mustChange: true } : {}),
    };
    return { id: `soft-${serial}`, file };
  });
}

/**
 * Splits the single store `<dir>/soft-default.json`, if there is one, into per-holder tokens, crash-safe at any
 * instruction: every new file is written (atomically and durably) before the store is removed, so a crash leaves
 * the store and some of its tokens, and the next start writes the rest and then removes the store. The agent
 * serves no token before this returns, so a token file that differs from what the split would write was not
 * written by an interrupted split: it was used after a finished one, and is never overwritten.
 */
export function migrateLegacyStore(dir: string): MigrationOutcome {
  const storePath = tokenPath(dir, LEGACY_TOKEN_ID);
  const read = readTokenFile(storePath);
  if (read.damage !== undefined) return { kind: 'damaged', problem: read.damage };
  if (!read.file) return { kind: 'none' };
  const tokens = splitLegacyStore(read.file);
  let changedSince = false;
  try {
    for (const token of tokens) {
      const path = tokenPath(dir, token.id);
      const existing = readTokenFile(path, token.id);
      if (existing.file === undefined && existing.damage === undefined) writeTokenFile(path, token.file);
      else if (!isDeepStrictEqual(existing.file, token.file)) changedSince = true;
    }
    const ids = tokens.map((t) => t.id);
    if (changedSince) return { kind: 'older-copy', ids };
    removeTokenFile(storePath);
    return { kind: 'split', ids };
  } catch (error) {
    return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
