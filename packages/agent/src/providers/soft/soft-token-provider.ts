import { join } from 'node:path';
import type { DigestSigner } from '@sicert/pki';
import { AgentError, Reason, type Token } from '@sicert/protocol';
import { KeyedQueue } from '../../keyed-queue.js';
import { splitCertId, type Provider, type StoredCertificate } from '../provider.js';
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

  constructor(home: string) {
    this.token = SoftToken.open(join(home, 'soft-token', `${SOFT_TOKEN_ID}.json`), SOFT_TOKEN_ID);
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

  withKey<T>(certId: string, pin: string, use: (key: DigestSigner, certificate: Uint8Array) => Promise<T>): Promise<T> {
    return this.queue.run(SOFT_TOKEN_ID, async () => {
      const ids = splitCertId(certId);
      const stored = ids && this.token.certificates().find((c) => c.keyId === ids.keyId);
      if (!ids || ids.tokenId !== SOFT_TOKEN_ID || !stored) throw new AgentError(Reason.CERT_NOT_FOUND, 'no such certificate');
      const dataKey = await this.token.unlock(pin);
      try {
        return await use(this.token.signer(dataKey, ids.keyId), stored.der);
      } finally {
        dataKey.fill(0);
      }
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
