import type { RevocationReason } from '@sicert/elements/backend';
import type { DemoDatabase } from './database.js';
import type { Sql } from './sql/sql.js';

export type { RevocationReason };

/** The revocation reasons the portal records (RFC 5280 names, as the backend contract lists them). */
export const REVOCATION_REASONS: readonly RevocationReason[] = ['keyCompromise', 'superseded', 'cessationOfOperation', 'unspecified'];

/** A certificate the demo CA issued, as the portal keeps it. */
export interface IssuedCertificate {
  /** Lower-case hex, as `serialNumberHex` gives it. */
  serial: string;
  /** The holder's display name (the certificate's CN, or the organisation's name). */
  subject: string;
  der: Uint8Array;
  issuedAt: string;
  /** Whose certificate it is: the person's ID number, or the organisation's USCC. */
  holder: string;
  /** Who may act on it online (report it lost, renew it): the holder, or the organisation's handler (经办人). */
  owner: string;
  applicationId: string | null;
  revokedAt: string | null;
  revocationReason: RevocationReason | null;
}

interface Row {
  serial: string;
  subject: string;
  der: Buffer;
  issued_at: string;
  holder: string;
  owner: string;
  application_id: string | null;
  revoked_at: string | null;
  revocation_reason: RevocationReason | null;
}

function toRecord(row: Row): IssuedCertificate {
  return {
    serial: row.serial,
    subject: row.subject,
    der: new Uint8Array(row.der),
    issuedAt: row.issued_at,
    holder: row.holder,
    owner: row.owner,
    applicationId: row.application_id,
    revokedAt: row.revoked_at,
    revocationReason: row.revoked_at ? (row.revocation_reason ?? 'unspecified') : null,
  };
}

/**
 * A serial number as the portal files it: lower-case hex without leading zero bytes (what `serialNumberHex`
 * gives), from however a caller spells it (`0A1B`, `a1b`); undefined when it is not 1-40 hex digits.
 */
export function normalizeSerial(input: string): string | undefined {
  if (!/^[0-9a-f]{1,40}$/i.test(input)) return undefined;
  const even = input.length % 2 ? `0${input}` : input;
  return even.toLowerCase().replace(/^(?:00)+(?=.)/, '');
}

/** The certificates the demo CA issued, with their holder, owner and revocation, in the portal's database. */
export class CertificatesStore {
  constructor(private readonly database: DemoDatabase) {}

  /** The store's statements on `tx`: inside a transaction that another store opened. */
  in(tx: Sql): CertificatesOn {
    return new CertificatesOn(tx);
  }

  private get on(): CertificatesOn {
    return new CertificatesOn(this.database.sql);
  }

  record(certificate: Pick<IssuedCertificate, 'serial' | 'subject' | 'der' | 'holder' | 'owner' | 'applicationId'>): Promise<void> {
    return this.on.record(certificate);
  }

  get(serial: string): Promise<IssuedCertificate | undefined> {
    return this.on.get(serial);
  }

  /** The certificates `owner` may act on (their own, and those of organisations they handle), newest first. */
  async ownedBy(owner: string): Promise<IssuedCertificate[]> {
    return (await this.database.sql.all<Row>('SELECT * FROM issued_certificates WHERE owner = ? ORDER BY issued_at DESC, rowid DESC', [owner])).map(toRecord);
  }

  /** Whether the person (ID number) or organisation (USCC) has ever had a certificate: a new one is a reissue (补办). */
  hasHad(holder: string): Promise<boolean> {
    return this.on.hasHad(holder);
  }

  isRevoked(serial: string): Promise<boolean> {
    return this.on.isRevoked(serial);
  }

  /**
   * Revokes a certificate, once: false when it is unknown or already revoked (a second report, a race), and then
   * nothing changes: the first revocation's time and reason stand.
   */
  revoke(serial: string, reason: RevocationReason, at: Date = new Date()): Promise<boolean> {
    return this.on.revoke(serial, reason, at);
  }

  /** Every revoked certificate, oldest revocation first: what the CRL lists (read on `sql`: a transaction's, or the store's). */
  async revoked(sql: Sql = this.database.sql): Promise<{ serial: string; revokedAt: Date; reason: RevocationReason }[]> {
    const rows = await sql.all<Pick<Row, 'serial' | 'revoked_at' | 'revocation_reason'>>(
      'SELECT serial, revoked_at, revocation_reason FROM issued_certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, rowid',
    );
    return rows.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revoked_at!), reason: r.revocation_reason ?? 'unspecified' }));
  }

  /** How many certificates are revoked: revocations are never undone, so a CRL listing fewer is out of date. */
  async revokedCount(): Promise<number> {
    return (await this.database.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM issued_certificates WHERE revoked_at IS NOT NULL'))!.n;
  }
}

/** The statements a transaction of another store needs (recording, reading and revoking certificates in it). */
export class CertificatesOn {
  constructor(private readonly sql: Sql) {}

  async record(certificate: Pick<IssuedCertificate, 'serial' | 'subject' | 'der' | 'holder' | 'owner' | 'applicationId'>): Promise<void> {
    await this.sql.run('INSERT INTO issued_certificates (serial, subject, der, issued_at, holder, owner, application_id) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      certificate.serial, certificate.subject, certificate.der, new Date().toISOString(), certificate.holder, certificate.owner, certificate.applicationId,
    ]);
  }

  async get(serial: string): Promise<IssuedCertificate | undefined> {
    const row = await this.sql.get<Row>('SELECT * FROM issued_certificates WHERE serial = ?', [serial]);
    return row && toRecord(row);
  }

  async hasHad(holder: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM issued_certificates WHERE holder = ? LIMIT 1', [holder])) !== undefined;
  }

  async isRevoked(serial: string): Promise<boolean> {
    return (await this.get(serial))?.revokedAt != null;
  }

  async revoke(serial: string, reason: RevocationReason, at: Date = new Date()): Promise<boolean> {
    return (await this.sql.run('UPDATE issued_certificates SET revoked_at = ?, revocation_reason = ? WHERE serial = ? AND revoked_at IS NULL', [at.toISOString(), reason, serial])) === 1;
  }
}
