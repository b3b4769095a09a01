import { join } from 'node:path';
import { certificateFields, keyIdOf, type SignatureKeyAlgorithm } from '@sicert/pki/light';
import { AgentError, checkPinPolicy, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { Logger } from '../../log.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { TokenChanges, type TokenChangeListener } from '../token-changes.js';
import { SoftToken } from './soft-token.js';
import { LEGACY_TOKEN_ID, newTokenId, removeStrayTemporaryFiles, tokenIds, tokenPath } from './soft-token-directory.js';
import { removeTokenFile } from './soft-token-file.js';
import { SOFT_TOKEN_EMPTY_GRACE_MS, SOFT_TOKEN_LIMIT, type SoftTokenProviderOptions } from './soft-token-limits.js';
import { migrateLegacyStore, type MigrationOutcome } from './soft-token-migration.js';

export { LEGACY_TOKEN_ID } from './soft-token-directory.js';
export { SOFT_TOKEN_EMPTY_GRACE_MS, SOFT_TOKEN_LIMIT, type SoftTokenProviderOptions } from './soft-token-limits.js';

/** Label shown for a token whose file cannot be read. */
export const SOFT_TOKEN_LABEL = '本机证书 (this computer)';

const DAMAGED_FIX =
  'restore the file from a backup, or move it aside and apply for a new certificate; then restart the agent (从备份恢复，或将其移走后重新申领证书；然后重启证书助手)';

/** Says in the log what happened to the single store at start, and what to do when something is left to do. */
function report(outcome: MigrationOutcome, dir: string, logger: Logger | undefined): void {
  const file = join(dir, `${LEGACY_TOKEN_ID}.json`);
  if (outcome.kind === 'split') logger?.info('split the single software-token store into one token per certificate', { file, tokens: outcome.ids });
  if (outcome.kind === 'older-copy') {
    logger?.warn('the single software-token store is an older copy of tokens that exist and have changed since; it is left as it is and not used', {
      file,
      tokens: outcome.ids,
      fix: 'check that every certificate is listed, then move the file away (确认证书都已列出后，将该文件移走)',
    });
  }
  if (outcome.kind === 'failed') {
    logger?.error('could not split the single software-token store; it is left as it is and tried again at the next start', {
      file,
      error: outcome.error,
      fix: 'free disk space or fix the permissions of the directory, then restart the agent (释放磁盘空间或修正目录权限后重启证书助手)',
    });
  }
}

/**
 * "Certificates installed on this computer": one encrypted software token per holder, each a file
 * `<home>/soft-token/soft-<16 hex>.json` with its own password and retry counter, so one holder's wrong passwords
 * never lock another's. Tokens are made with {@link createToken} (`token.create`); none exists until then.
 *
 * At start, the single store of earlier versions (`soft-default.json`, every certificate under one password) is
 * split into per-holder tokens (`soft-token-migration`). Keys that lived there can still be named by the old id
 * `soft-default` in key-addressed operations (`sign.data`, `csr.create`, `cert.install`, `key.delete`): an
 * application made before the split keeps `soft-default` as its token id at the portal, and its certificate must
 * still install. The old id is resolved to the token that now holds the key, and the token's own queue and try
 * counter apply.
 *
 * Tokens are bounded: at most {@link SOFT_TOKEN_LIMIT} (`token.create` beyond is `TOKEN_LIMIT`), and a token that
 * holds nothing (no key, no certificate) {@link SOFT_TOKEN_EMPTY_GRACE_MS} after it was made was left behind by an
 * unfinished application: it is removed at start, before every `token.create` and before every `token.list`, in its
 * token's queue (so never under an operation that is giving it a key), and announced as removed.
 */
export class SoftTokenProvider implements Provider {
  readonly kind = 'soft' as const;
  private readonly queue = new KeyedQueue();
  private readonly tokens = new Map<string, SoftToken>();
  private readonly dir: string;
  /** Announces a token created, removed or changed (certificates, PIN tries): call it wherever that happens. */
  private readonly changes = new TokenChanges();
  private readonly graceMs: number;
  private readonly maxTokens: number;
  private readonly now: () => number;
  /** Tokens being created: counted against the limit from the check until they are in {@link tokens}. */
  private creating = 0;

  /**
   * Opens the token files under `home`, after splitting the single store if there is one, and removes the empty
   * tokens left behind (see above). A damaged file does not stop the agent: its token is listed as damaged, its
   * operations fail with `TOKEN_DAMAGED`, the file is never written, and `logger` says which file and what to do.
   */
  constructor(
    home: string,
    private readonly logger?: Logger,
    options: SoftTokenProviderOptions = {},
  ) {
    this.dir = join(home, 'soft-token');
    this.graceMs = options.emptyTokenGraceMs ?? SOFT_TOKEN_EMPTY_GRACE_MS;
    this.maxTokens = options.maxTokens ?? SOFT_TOKEN_LIMIT;
    this.now = options.now ?? Date.now;
    removeStrayTemporaryFiles(this.dir);
    const outcome = migrateLegacyStore(this.dir);
    report(outcome, this.dir, logger);
    if (outcome.kind === 'damaged') this.open(LEGACY_TOKEN_ID);
    for (const id of tokenIds(this.dir)) this.open(id);
    // Nothing runs yet, so nothing can be giving these a key: no queue to wait in.
    for (const token of this.abandoned()) this.remove(token);
  }

  owns(id: string): boolean {
    return id.startsWith('soft-');
  }

  async listTokens(): Promise<Token[]> {
    await this.sweep();
    return [...this.tokens.values()].map((t) => t.describe(SOFT_TOKEN_LABEL)).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN') || a.id.localeCompare(b.id));
  }

  async listCertificates(tokenId?: string): Promise<StoredCertificate[]> {
    const tokens = tokenId === undefined ? [...this.tokens.values()] : [this.token(tokenId)];
    return tokens.flatMap((t) => t.certificates().map((c) => ({ id: `${t.id}/${c.keyId}`, tokenId: t.id, der: c.der, hasPrivateKey: c.hasPrivateKey })));
  }

  /**
   * Creates a token for one holder, labelled with their name, with its own first PIN (the PIN policy applies,
   * checked before anything is written). Returns its id. Empty tokens left behind are removed first; beyond
   * {@link SOFT_TOKEN_LIMIT} tokens the answer is `TOKEN_LIMIT`, before any key derivation or write.
   */
  async createToken(label: string, pin: string): Promise<string> {
    const name = label.trim();
    if (!name) throw new AgentError(Reason.INVALID_PARAMS, 'the token needs a label (the holder’s name)');
    if (checkPinPolicy(pin)) throw new AgentError(Reason.PIN_POLICY, 'the PIN does not meet the PIN policy');
    await this.sweep();
    if (this.tokens.size + this.creating >= this.maxTokens) {
      throw new AgentError(Reason.TOKEN_LIMIT, `this computer already keeps ${this.maxTokens} software tokens, the most the agent keeps; an empty one is removed ${Math.round(this.graceMs / 60_000)} minutes after it was made`);
    }
    this.creating++;
    try {
      const { id, serial } = newTokenId(this.dir);
      const token = await SoftToken.create(tokenPath(this.dir, id), id, serial, name, pin, this.now());
      this.tokens.set(id, token);
      this.changes.added(token.describe(SOFT_TOKEN_LABEL));
      return id;
    } finally {
      this.creating--;
    }
  }

  /** The token a key-addressed operation means: `tokenId`, or for the retired single store's id, the token that now holds the key. */
  resolveTokenId(tokenId: string, keyId: string): string {
    if (tokenId !== LEGACY_TOKEN_ID || this.tokens.has(tokenId)) return tokenId;
    return [...this.tokens.values()].find((t) => t.holds(keyId))?.id ?? tokenId;
  }

  withKey<T>(ref: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    return this.onToken(this.resolveTokenId(ref.tokenId, ref.keyId), (token) => token.withKey(ref.keyId, pin, use));
  }

  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<GeneratedKey> {
    return this.onToken(tokenId, (token) => token.generateKey(pin, algorithm, label));
  }

  async installCertificate(tokenId: string, certificate: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    const id = tokenId === LEGACY_TOKEN_ID ? this.resolveTokenId(tokenId, await keyIdOf(certificateFields(certificate).publicKey)) : tokenId;
    return this.onToken(id, async (token) => {
      // The PIN proves the holder, as a USB-Key's login does; a wrong one counts toward the lock.
      if (pin !== undefined) await token.checkPin(pin);
      return `${token.id}/${await token.installCertificate(certificate, chain)}`;
    });
  }

  changePin(tokenId: string, oldPin: string, newPin: string): Promise<void> {
    return this.onToken(tokenId, (token) => token.changePin(oldPin, newPin));
  }

  /** A software token has no security officer: a forgotten password is replaced by revoking and applying again. */
  async unblockPin(tokenId: string): Promise<void> {
    this.token(tokenId);
    throw new AgentError(Reason.NOT_SUPPORTED, 'a certificate on this computer has no administrator PIN: revoke it and apply again');
  }

  /** Deletes a key without a certificate; a token left with nothing in it is removed with its file. */
  deleteKey(tokenId: string, keyId: string, pin: string): Promise<void> {
    return this.onToken(this.resolveTokenId(tokenId, keyId), async (token) => {
      if (!(await token.deleteKey(pin, keyId))) return;
      removeTokenFile(token.path);
      this.tokens.delete(token.id);
      this.changes.removed(token.id);
    });
  }

  onChange(listener: TokenChangeListener): () => void {
    return this.changes.on(listener);
  }

  async close(): Promise<void> {
    // Nothing held open: every operation reads and writes its token's file itself.
  }

  private open(id: string): void {
    const token = SoftToken.open(tokenPath(this.dir, id), id);
    this.tokens.set(id, token);
    if (token.damage !== undefined) {
      this.logger?.error('a software token file is damaged; it is left untouched and the token cannot be used', { file: token.path, problem: token.damage, fix: DAMAGED_FIX });
    }
  }

  /** True for a sound token that holds nothing and was made at least the grace period ago. */
  private isAbandoned(token: SoftToken): boolean {
    return token.empty && this.now() - token.createdAt() >= this.graceMs;
  }

  private abandoned(): SoftToken[] {
    return [...this.tokens.values()].filter((t) => this.isAbandoned(t));
  }

  /**
   * Removes the abandoned tokens, each in its token's queue and checked again there: an operation that gave it a
   * key meanwhile keeps it. A token whose file cannot be removed stays listed, and the log says why.
   */
  private async sweep(): Promise<void> {
    await Promise.all(
      this.abandoned().map((token) =>
        this.queue.run(token.id, async () => {
          if (this.tokens.get(token.id) === token && this.isAbandoned(token)) this.remove(token);
        }),
      ),
    );
  }

  /** Removes a token and its file (one durable removal: a crash before it leaves the token for the next sweep). */
  private remove(token: SoftToken): void {
    try {
      removeTokenFile(token.path);
    } catch (error) {
      this.logger?.error('could not remove an empty software token', { file: token.path, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.tokens.delete(token.id);
    this.changes.removed(token.id);
    this.logger?.info('removed a software token left empty by an unfinished application', { tokenId: token.id, file: token.path });
  }

  private token(tokenId: string): SoftToken {
    const token = this.tokens.get(tokenId);
    if (!token) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
    return token;
  }

  /**
   * Runs `task` on one token, one task at a time per token; `TOKEN_NOT_FOUND` when there is no such token. Every
   * change to a token goes through here (keys, certificates, PIN tries counted or cleared, a new PIN), so
   * `token.changed` is announced here when the token looks different afterwards, whether the task succeeded or not.
   */
  private onToken<T>(tokenId: string, task: (token: SoftToken) => Promise<T>): Promise<T> {
    return this.queue.run(tokenId, async () => {
      const token = this.token(tokenId);
      const before = this.changes.listening ? snapshot(token) : undefined;
      try {
        return await task(token);
      } finally {
        // A token removed by the task (its last key deleted) has been announced as removed instead.
        if (before !== undefined && this.tokens.has(token.id) && snapshot(token) !== before) this.changes.changed(token.describe(SOFT_TOKEN_LABEL));
      }
    });
  }
}

/** What a page sees of a token: its description and its certificates (a renewal keeps the key id, not the DER). */
function snapshot(token: SoftToken): string {
  return JSON.stringify([token.describe(SOFT_TOKEN_LABEL), token.certificates().map((c) => [c.keyId, c.hasPrivateKey, Buffer.from(c.der).toString('base64')])]);
}
