import type { RevocationReason } from '@sicert/elements/backend';
import type { DemoDatabase } from './database.js';

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

/** The certificates the demo CA issued, with their holder, owner and revocation, in SQLite. */
export class CertificatesStore {
  constructor(private readonly database: DemoDatabase) {}

  private get db() {
    return this.database.db;
  }

  record(certificate: Pick<IssuedCertificate, 'serial' | 'subject' | 'der' | 'holder' | 'owner' | 'applicationId'>): void {
    this.db
      .prepare('INSERT INTO issued_certificates (serial, subject, der, issued_at, holder, owner, application_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(certificate.serial, certificate.subject, Buffer.from(certificate.der), new Date().toISOString(), certificate.holder, certificate.owner, certificate.applicationId);
  }

  get(serial: string): IssuedCertificate | undefined {
    const row = this.db.prepare('SELECT * FROM issued_certificates WHERE serial = ?').get(serial) as Row | undefined;
    return row && toRecord(row);
  }

  /** The certificates `owner` may act on (their own, and those of organisations they handle), newest first. */
  ownedBy(owner: string): IssuedCertificate[] {
    return (this.db.prepare('SELECT * FROM issued_certificates WHERE owner = ? ORDER BY issued_at DESC, rowid DESC').all(owner) as Row[]).map(toRecord);
  }

  /** Whether the person (ID number) or organisation (USCC) has ever had a certificate: a new one is a reissue (补办). */
  hasHad(holder: string): boolean {
    return this.db.prepare('SELECT 1 FROM issued_certificates WHERE holder = ? LIMIT 1').get(holder) !== undefined;
  }

  isRevoked(serial: string): boolean {
    return this.get(serial)?.revokedAt != null;
  }

  /**
   * Revokes a certificate, once: false when it is unknown or already revoked (a second report, a race), and then
   * nothing changes: the first revocation's time and reason stand.
   */
  revoke(serial: string, reason: RevocationReason, at: Date = new Date()): boolean {
    return this.db.prepare('UPDATE issued_certificates SET revoked_at = ?, revocation_reason = ? WHERE serial = ? AND revoked_at IS NULL').run(at.toISOString(), reason, serial).changes === 1;
  }

  /** Every revoked certificate, oldest revocation first: what the CRL lists. */
  revoked(): { serial: string; revokedAt: Date; reason: RevocationReason }[] {
    const rows = this.db.prepare('SELECT serial, revoked_at, revocation_reason FROM issued_certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, rowid').all() as Pick<Row, 'serial' | 'revoked_at' | 'revocation_reason'>[];
    return rows.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revoked_at!), reason: r.revocation_reason ?? 'unspecified' }));
  }

  /** How many certificates are revoked: revocations are never undone, so a CRL listing fewer is out of date. */
  revokedCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM issued_certificates WHERE revoked_at IS NOT NULL').get() as { n: number }).n;
  }
}
