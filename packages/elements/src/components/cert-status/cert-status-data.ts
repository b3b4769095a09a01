import type { ReactiveControllerHost } from 'lit';
import type { AgentClient, CertificateInfo, Token } from '@sicert/protocol';
import type { PortalBackend } from '../../backend/portal-backend.js';
import type { CertificateRecord } from '../../backend/types.js';
import type { RecordLookup } from './cert-status-view.js';

/**
 * What the card shows, kept current: the agent's tokens and certificates, and what the portal says of each
 * certificate. Loads may overlap (a notification arrives while the citizen presses Refresh): only the newest is
 * shown, and nothing at all once {@link forget} ran, until the next load.
 */
export class StatusData {
  tokens: Token[] = [];
  certificates: CertificateInfo[] = [];
  records: Record<string, RecordLookup> = {};
  /** The agent has answered at least once since the card was made (or forgot everything). */
  loaded = false;
  #generation = 0;

  constructor(private readonly host: ReactiveControllerHost) {}

  /**
   * Lists tokens and certificates, then asks the portal about each certificate it has not been asked about. A
   * certificate it cannot be asked about is marked, not fatal. Rejects only when this load is still the newest.
   */
  async load(client: AgentClient, api: PortalBackend): Promise<void> {
    const generation = ++this.#generation;
    try {
      const [{ tokens }, { certificates }] = await Promise.all([client.request('token.list', undefined), client.request('cert.list', undefined)]);
      if (generation !== this.#generation) return;
      this.tokens = tokens;
      this.certificates = certificates;
      this.loaded = true;
      this.host.requestUpdate();
      const serials = certificates.map((c) => c.serialNumber).filter((serial) => !(serial in this.records));
      const found = await Promise.all(
        serials.map((serial) =>
          api.certificateStatus(serial).then(
            (record): [string, RecordLookup] => [serial, record],
            (): [string, RecordLookup] => [serial, 'unavailable'],
          ),
        ),
      );
      if (generation === this.#generation && found.length) this.records = { ...this.records, ...Object.fromEntries(found) };
      this.host.requestUpdate();
    } catch (error) {
      if (generation === this.#generation) throw error;
    }
  }

  /** A token went away: it leaves the card at once, before the agent is asked again. */
  drop(tokenId: string): void {
    this.tokens = this.tokens.filter((t) => t.id !== tokenId);
    this.certificates = this.certificates.filter((c) => c.tokenId !== tokenId);
    this.host.requestUpdate();
  }

  /** Records what the portal answered (a loss report), or forgets it so that the next load asks again (`undefined`). */
  setRecord(serialNumber: string, record: CertificateRecord | undefined): void {
    const { [serialNumber]: _old, ...others } = this.records;
    this.records = record ? { ...others, [serialNumber]: record } : others;
    this.host.requestUpdate();
  }

  /** Drops everything, and any load still running. */
  forget(): void {
    this.#generation++;
    this.tokens = [];
    this.certificates = [];
    this.records = {};
    this.loaded = false;
    this.host.requestUpdate();
  }
}
