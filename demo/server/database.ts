import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One declaration (社保缴费申报) as stored. */
export interface DeclarationRow {
  id: string;
  payload: string;
  summary: string;
  created_at: string;
  signature: string | null;
  verdict: string | null;
  signer: string | null;
  signed_at: string | null;
}

/** The demo portal's SQLite database. */
export class DemoDatabase {
  readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS declarations (
        id TEXT PRIMARY KEY,
        payload TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at TEXT NOT NULL,
        signature TEXT,
        verdict TEXT,
        signer TEXT,
        signed_at TEXT
      );
      CREATE TABLE IF NOT EXISTS applications (
        id TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        region TEXT NOT NULL,
        type TEXT NOT NULL,
        on_behalf INTEGER NOT NULL DEFAULT 0,
        details TEXT NOT NULL,
        medium TEXT NOT NULL,
        token_id TEXT NOT NULL,
        key_algorithm TEXT NOT NULL,
        csr BLOB NOT NULL,
        status TEXT NOT NULL,
        reject_reason TEXT,
        fee INTEGER NOT NULL,
        submitted_at TEXT NOT NULL,
        expected_by TEXT NOT NULL,
        certificate BLOB,
        serial TEXT
      );
      CREATE INDEX IF NOT EXISTS applications_owner ON applications (owner, submitted_at);
      CREATE TABLE IF NOT EXISTS application_history (
        application_id TEXT NOT NULL REFERENCES applications (id),
        status TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT
      );
      CREATE TABLE IF NOT EXISTS uploads (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        path TEXT NOT NULL,
        application_id TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS issued_certificates (
        serial TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        der BLOB NOT NULL,
        issued_at TEXT NOT NULL,
        revoked_at TEXT
      );
    `);
  }

  insertDeclaration(row: Pick<DeclarationRow, 'id' | 'payload' | 'summary'>): void {
    this.db.prepare('INSERT INTO declarations (id, payload, summary, created_at) VALUES (?, ?, ?, ?)').run(row.id, row.payload, row.summary, new Date().toISOString());
  }

  declaration(id: string): DeclarationRow | undefined {
    return this.db.prepare('SELECT * FROM declarations WHERE id = ?').get(id) as DeclarationRow | undefined;
  }

  recordSignature(id: string, signature: string, verdict: string, signer: string | null): void {
    this.db.prepare('UPDATE declarations SET signature = ?, verdict = ?, signer = ?, signed_at = ? WHERE id = ?').run(signature, verdict, signer, new Date().toISOString(), id);
  }

  recordIssued(serial: string, subject: string, der: Uint8Array): void {
    this.db.prepare('INSERT OR REPLACE INTO issued_certificates (serial, subject, der, issued_at) VALUES (?, ?, ?, ?)').run(serial, subject, Buffer.from(der), new Date().toISOString());
  }

  isRevoked(serial: string): boolean {
    const row = this.db.prepare('SELECT revoked_at FROM issued_certificates WHERE serial = ?').get(serial) as { revoked_at: string | null } | undefined;
    return Boolean(row?.revoked_at);
  }

  close(): void {
    this.db.close();
  }
}
