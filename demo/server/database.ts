import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One declaration (社保缴费申报) as stored. */
export interface DeclarationRow {
  id: string;
  /** The signed-in person (ID number) who opened it. */
  owner: string;
  /** The USCC when the person declares for an organisation they handle; null for their own declaration. */
  organization: string | null;
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
        owner TEXT NOT NULL DEFAULT '',
        organization TEXT,
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
        serial TEXT,
        request_hash TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'new',
        replaces TEXT,
        holder TEXT NOT NULL DEFAULT ''
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
        revoked_at TEXT,
        revocation_reason TEXT,
        holder TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '',
        application_id TEXT
      );
      CREATE TABLE IF NOT EXISTS crls (
        number INTEGER PRIMARY KEY,
        der BLOB NOT NULL,
        this_update TEXT NOT NULL,
        next_update TEXT NOT NULL,
        revoked_count INTEGER NOT NULL
      );
    `);
    this.addMissingColumns();
    this.db.exec(`
      CREATE INDEX IF NOT EXISTS issued_certificates_owner ON issued_certificates (owner);
      CREATE INDEX IF NOT EXISTS issued_certificates_holder ON issued_certificates (holder);
      CREATE INDEX IF NOT EXISTS applications_replaces ON applications (replaces);
      CREATE INDEX IF NOT EXISTS applications_holder ON applications (holder);
      CREATE INDEX IF NOT EXISTS declarations_organization ON declarations (organization);
    `);
  }

  /**
   * Data directories from before declarations had owners, applications a request hash, a kind and a holder, and
   * issued certificates a holder, an owner and a revocation reason. (Their older certificates get no owner: nobody
   * can report them lost online; the hall can still revoke them.) An application's holder is filled in from its
   * details, so the one-open-application rule sees the applications made before it.
   */
  private addMissingColumns(): void {
    const has = (table: string, column: string) => (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
    const add = (table: string, column: string, definition: string) => {
      if (!has(table, column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    };
    add('declarations', 'owner', "TEXT NOT NULL DEFAULT ''");
    add('declarations', 'organization', 'TEXT');
    add('applications', 'request_hash', "TEXT NOT NULL DEFAULT ''");
    add('applications', 'kind', "TEXT NOT NULL DEFAULT 'new'");
    add('applications', 'replaces', 'TEXT');
    add('applications', 'holder', "TEXT NOT NULL DEFAULT ''");
    this.db.exec(`UPDATE applications SET holder = COALESCE(CASE WHEN type = 'organization' THEN json_extract(details, '$.organization.creditCode') ELSE json_extract(details, '$.applicant.idNumber') END, '') WHERE holder = ''`);
    add('issued_certificates', 'revocation_reason', 'TEXT');
    add('issued_certificates', 'holder', "TEXT NOT NULL DEFAULT ''");
    add('issued_certificates', 'owner', "TEXT NOT NULL DEFAULT ''");
    add('issued_certificates', 'application_id', 'TEXT');
  }

  insertDeclaration(row: Pick<DeclarationRow, 'id' | 'owner' | 'organization' | 'payload' | 'summary'>): void {
    this.db
      .prepare('INSERT INTO declarations (id, owner, organization, payload, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, row.owner, row.organization, row.payload, row.summary, new Date().toISOString());
  }

  declaration(id: string): DeclarationRow | undefined {
    return this.db.prepare('SELECT * FROM declarations WHERE id = ?').get(id) as DeclarationRow | undefined;
  }

  /** Every declaration made for the organisation `creditCode`, by anyone, the newest first. */
  organizationDeclarations(creditCode: string): DeclarationRow[] {
    return this.db.prepare('SELECT * FROM declarations WHERE organization = ? ORDER BY created_at DESC, rowid DESC').all(creditCode) as DeclarationRow[];
  }

  /**
   * Records a verified signature, once: false when the declaration was already verified (a concurrent or
   * replayed post loses). Failed attempts are not recorded here: they must never touch a declaration.
   */
  recordVerifiedSignature(id: string, signature: string, signer: string | null, receivedAt: Date): boolean {
    const result = this.db
      .prepare("UPDATE declarations SET signature = ?, verdict = 'VERIFIED', signer = ?, signed_at = ? WHERE id = ? AND (verdict IS NULL OR verdict <> 'VERIFIED')")
      .run(signature, signer, receivedAt.toISOString(), id);
    return result.changes === 1;
  }

  /** Notes the last refused attempt on a declaration that is not verified (for the page and support staff). */
  recordRefusal(id: string, verdict: string): void {
    this.db.prepare("UPDATE declarations SET verdict = ? WHERE id = ? AND (verdict IS NULL OR verdict <> 'VERIFIED')").run(verdict, id);
  }

  close(): void {
    this.db.close();
  }
}
