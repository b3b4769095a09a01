import type { CertificatesStore } from './certificates-store.js';
import type { DemoCa } from './demo-ca.js';
import type { DemoDatabase } from './database.js';

/** How long a CRL stays current (its nextUpdate): a week, reissued after half of it even when nothing changed. */
export const CRL_VALIDITY_MS = 7 * 86_400_000;

/** Published CRLs kept besides the latest (older ones are never served; they are kept for support staff). */
const KEEP = 10;

interface CrlRow {
  number: number;
  der: Buffer;
  this_update: string;
  next_update: string;
  revoked_count: number;
}

/**
 * The demo CA's CRL, served at the URL its certificates name (`<portal>/crl`). A new CRL, with the next CRLNumber,
 * is issued after every revocation; it is kept in the portal's database before the older ones are pruned. The CRL served is
 * reissued first when it misses a revocation (a crash between revoking and publishing) or is past half its life,
 * so a CRL on the wire is never older than the revocations in the database or near its nextUpdate.
 *
 * Any number of processes may publish on one database: the list, the next number and the insert are one
 * transaction (serializable on PostgreSQL, under SQLite's write lock), and a process that lost the number to
 * another one runs it again on the newer state (a retry of the store), so numbers only go up and each CRL lists
 * every revocation committed before it. Within a process, issuance is serialised as well.
 */
export class CrlPublisher {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ca: DemoCa,
    private readonly database: DemoDatabase,
    private readonly certificates: CertificatesStore,
    private readonly validityMs = CRL_VALIDITY_MS,
  ) {}

  /** The CRL to serve now (DER), reissued first when it is missing, out of date or half-way to its nextUpdate. */
  async current(now: Date = new Date()): Promise<Uint8Array> {
    await this.queue; // a publication in progress answers with the newer list
    const latest = await this.latest();
    const halfLife = latest ? new Date(latest.this_update).getTime() + this.validityMs / 2 : 0;
    if (latest && now.getTime() < halfLife && latest.revoked_count === (await this.certificates.revokedCount())) return new Uint8Array(latest.der);
    return this.publish();
  }

  /** Issues and stores a CRL listing every revocation so far, numbered after the last one. */
  publish(): Promise<Uint8Array> {
    const run = this.queue.then(() => this.issueNext());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private latest(): Promise<CrlRow | undefined> {
    return this.database.sql.get<CrlRow>('SELECT * FROM crls ORDER BY number DESC LIMIT 1');
  }

  private issueNext(): Promise<Uint8Array> {
    return this.database.sql.transaction(async (tx) => {
      const revoked = await this.certificates.revoked(tx);
      const number = ((await tx.get<{ number: number }>('SELECT number FROM crls ORDER BY number DESC LIMIT 1'))?.number ?? 0) + 1;
      const thisUpdate = new Date();
      const nextUpdate = new Date(thisUpdate.getTime() + this.validityMs);
      const der = await this.ca.crl({
        crlNumber: number,
        thisUpdate,
        nextUpdate,
        revoked: revoked.map((r) => ({ serialNumber: r.serial, revocationDate: r.revokedAt, reason: r.reason })),
      });
      await tx.run('INSERT INTO crls (number, der, this_update, next_update, revoked_count) VALUES (?, ?, ?, ?, ?)', [number, der, thisUpdate.toISOString(), nextUpdate.toISOString(), revoked.length]);
      await tx.run('DELETE FROM crls WHERE number <= ?', [number - 1 - KEEP]);
      return der;
    });
  }
}
