import { join } from 'node:path';
import type { SignatureKeyAlgorithm } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import type { Logger } from '../../log.js';
import type { GeneratedKey, KeyAccess, KeyRef, Provider, StoredCertificate } from '../provider.js';
import { SoftToken } from './soft-token.js';

/** Id of the agent's one software token. */
export const SOFT_TOKEN_ID = 'soft-default';
/** Label shown for it until the citizen's first certificate names it otherwise. */
export const SOFT_TOKEN_LABEL = '本机证书 (this computer)';

/**
 * "Certificates installed on this computer": the agent's encrypted software token, stored under the agent's
 * home directory. It is always listed, uninitialised until the first key is generated or imported.
 */
export class SoftTokenProvider implements Provider {
  readonly kind = 'soft' as const;
  private readonly queue = new KeyedQueue();
  readonly token: SoftToken;

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
    return this.queue.run(SOFT_TOKEN_ID, async () => {
      if (ref.tokenId !== SOFT_TOKEN_ID) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
      this.token.assertIntact();
      // Which keys exist is not secret: say so before a PIN try is spent on a key that is not there.
      if (!this.token.hasKey(ref.keyId)) throw new AgentError(Reason.KEY_NOT_FOUND, 'no such private key on this token');
      const dataKey = await this.token.unlock(pin);
      try {
        const { signer, publicKey } = this.token.key(dataKey, ref.keyId);
        return await use({ signer, publicKey, certificate: this.token.certificates().find((c) => c.keyId === ref.keyId)?.der });
      } finally {
        dataKey.fill(0);
      }
    });
  }

  generateKey(tokenId: string, pin: string, algorithm: SignatureKeyAlgorithm, label?: string): Promise<GeneratedKey> {
    return this.exclusive(async (token) => {
      if (tokenId !== SOFT_TOKEN_ID) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
      // The first key sets the certificate password: the token is created with it (PIN policy applies).
      if (!token.initialized) await token.initialize(SOFT_TOKEN_LABEL, pin);
      return token.generateKey(pin, algorithm, label);
    });
  }

  installCertificate(tokenId: string, certificate: Uint8Array, chain: Uint8Array[] = [], pin?: string): Promise<string> {
    return this.exclusive(async (token) => {
      if (tokenId !== SOFT_TOKEN_ID) throw new AgentError(Reason.TOKEN_NOT_FOUND, 'no such token');
      // The PIN proves the holder, as a USB-Key's login does; a wrong one counts toward the lock.
      if (pin !== undefined) (await token.unlock(pin)).fill(0);
      return `${SOFT_TOKEN_ID}/${await token.installCertificate(certificate, chain)}`;
    });
  }

  /** Runs `task` in this token's queue (key generation and installation use it). */
  exclusive<T>(task: (token: SoftToken) => Promise<T>): Promise<T> {
    return this.queue.run(SOFT_TOKEN_ID, () => task(this.token));
  }

  async close(): Promise<void> {
    // Nothing held open: every operation reads and writes the token file itself.
  }
}
