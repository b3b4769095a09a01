import { join } from 'node:path';
import type { SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { Logger } from '../../log.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { TokenChanges, type TokenChangeListener } from '../token-changes.js';
import { SoftToken } from './soft-token.js';

/** Id of the agent's one software token. */
export const SOFT_TOKEN_ID = 'soft-default';
/** Label shown for it until the citizen's first certificate names it otherwise. */
export const SOFT_TOKEN_LABEL = '本机证书 (this computer)';

/**
 * "Certificates installed on this computer": the agent's encrypted software token, stored under the agent's
 * home directory. It is always listed, uninitialised until its first key is generated or it is created with {@link createToken}.
 */
export class SoftTokenProvider implements Provider {
  readonly kind = 'soft' as const;
  private readonly queue = new KeyedQueue();
  private readonly token: SoftToken;
  /** Announces a token created, removed or changed (certificates, PIN tries): call it wherever that happens. */
  private readonly changes = new TokenChanges();

  /**
   * Opens the token file under `home`. A damaged file does not stop the agent: the token is listed as damaged,
   * its operations fail with `TOKEN_DAMAGED`, the file is never written, and `logger` says which file and what to do.
   */
  constructor(home: string, logger?: Logger) {
    this.token = SoftToken.open(join(home, 'soft-token', `${SOFT_TOKEN_ID}.json`), SOFT_TOKEN_ID);
    if (this.token.damage !== undefined) {
      logger?.error('the software token file is damaged; it is left untouched and the token cannot be used', {
        file: this.token.path,
        problem: this.token.damage,
        fix: 'restore the file from a backup, or move it aside and apply for a new certificate; then restart the agent (从备份恢复，或将其移走后重新申领证书；然后重启证书助手)',
      });
    }
  }

  owns(id: string): boolean {
    return id === SOFT_TOKEN_ID || id.startsWith(`${SOFT_TOKEN_ID}/`);
  }

  async listTokens(): Promise<Token[]> {
    return [this.token.describe(SOFT_TOKEN_LABEL)];
  }

  async listCertificates(tokenId?: string): Promise<StoredCertificate[]> {
    if (tokenId !== undefined && tokenId !== SOFT_TOKEN_ID) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
    return this.token.certificates().map((c) => ({ id: `${SOFT_TOKEN_ID}/${c.keyId}`, tokenId: SOFT_TOKEN_ID, der: c.der, hasPrivateKey: c.hasPrivateKey }));
  }

  withKey<T>(ref: KeyRef, pin: string, use: (key: KeyAccess) => Promise<T>): Promise<T> {
    return this.onToken(ref.tokenId, () => this.token.withKey(ref.keyId, pin, use));
  }

  /**
   * Creates the token with its holder's label and first PIN (the PIN policy applies); refused once it exists.
   * `key.generate` creates it on its own with the default label; this is for a caller that names the holder.
   */
  createToken(label: string, pin: string): Promise<string> {
    return this.onToken(SOFT_TOKEN_ID, async () => {
      await this.token.initialize(label, pin);
      return SOFT_TOKEN_ID;
    });
  }

  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<GeneratedKey> {
    return this.onToken(tokenId, async () => {
      // The first key sets the certificate password: the token is created with it (PIN policy applies).
      if (!this.token.initialized) await this.token.initialize(SOFT_TOKEN_LABEL, pin);
      return this.token.generateKey(pin, algorithm, label);
    });
  }

  installCertificate(tokenId: string, certificate: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    return this.onToken(tokenId, async () => {
      // The PIN proves the holder, as a USB-Key's login does; a wrong one counts toward the lock.
      if (pin !== undefined) await this.token.checkPin(pin);
      return `${SOFT_TOKEN_ID}/${await this.token.installCertificate(certificate, chain)}`;
    });
  }

  onChange(listener: TokenChangeListener): () => void {
    return this.changes.on(listener);
  }

  async close(): Promise<void> {
    // Nothing held open: every operation reads and writes the token file itself.
  }

  /**
   * Runs `task` on the one token, one task at a time, after checking that `tokenId` names it. Every change to the
   * token goes through here (creation, keys, certificates, PIN tries counted or cleared), so `token.changed` is
   * announced here when the token looks different afterwards, whether the task succeeded or not.
   */
  private onToken<T>(tokenId: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(SOFT_TOKEN_ID, async () => {
      if (tokenId !== SOFT_TOKEN_ID) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
      const before = this.changes.listening ? this.snapshot() : undefined;
      try {
        return await task();
      } finally {
        if (before !== undefined && this.snapshot() !== before) this.changes.changed(this.token.describe(SOFT_TOKEN_LABEL));
      }
    });
  }

  /** What a page sees of the token: its description and its certificates (a renewal keeps the key id, not the DER). */
  private snapshot(): string {
    return JSON.stringify([this.token.describe(SOFT_TOKEN_LABEL), this.token.certificates().map((c) => [c.keyId, c.hasPrivateKey, Buffer.from(c.der).toString('base64')])]);
  }
}
