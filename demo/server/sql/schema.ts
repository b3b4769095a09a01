import type { SqlDialect } from './sql.js';

/** The portal's tables, written once; {@link schemaFor} makes each engine's DDL from them. */
const TABLES: Record<string, string> = {
  declarations: `id TEXT PRIMARY KEY, owner TEXT NOT NULL DEFAULT '', organization TEXT, payload TEXT NOT NULL, summary TEXT NOT NULL,
    created_at TEXT NOT NULL, signature TEXT, verdict TEXT, signer TEXT, signed_at TEXT`,
  applications: `id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, region TEXT NOT NULL, type TEXT NOT NULL,
    on_behalf INTEGER NOT NULL DEFAULT 0, details TEXT NOT NULL, medium TEXT NOT NULL, token_id TEXT NOT NULL, key_algorithm TEXT NOT NULL,
    csr BLOB NOT NULL, status TEXT NOT NULL, reject_reason TEXT, fee INTEGER NOT NULL, submitted_at TEXT NOT NULL, expected_by TEXT NOT NULL,
    certificate BLOB, serial TEXT, request_hash TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT 'new', replaces TEXT, holder TEXT NOT NULL DEFAULT ''`,
  application_history: 'application_id TEXT NOT NULL REFERENCES applications (id), status TEXT NOT NULL, at TEXT NOT NULL, note TEXT',
  uploads: `id TEXT PRIMARY KEY, owner TEXT NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL, mime_type TEXT NOT NULL, size INTEGER NOT NULL,
    path TEXT NOT NULL, application_id TEXT, created_at TEXT NOT NULL`,
  issued_certificates: `serial TEXT PRIMARY KEY, subject TEXT NOT NULL, der BLOB NOT NULL, issued_at TEXT NOT NULL, revoked_at TEXT,
    revocation_reason TEXT, holder TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '', application_id TEXT`,
  crls: 'number INTEGER PRIMARY KEY, der BLOB NOT NULL, this_update TEXT NOT NULL, next_update TEXT NOT NULL, revoked_count INTEGER NOT NULL',
  insured_persons: `id_number TEXT PRIMARY KEY, name TEXT NOT NULL, card_number TEXT NOT NULL, mobile TEXT NOT NULL, region TEXT NOT NULL,
    insurance TEXT NOT NULL, contact_confirmed INTEGER NOT NULL`,
  insured_organizations: 'credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL',
  contact_addresses: 'id_number TEXT PRIMARY KEY, address TEXT NOT NULL, confirmed_at TEXT NOT NULL',
  portal_secrets: 'name TEXT PRIMARY KEY, value BLOB NOT NULL',
};

/** Created after the SQLite migration has added the columns they cover to old data directories. */
export const INDEXES = `
  CREATE INDEX IF NOT EXISTS applications_owner ON applications (owner, submitted_at);
  CREATE INDEX IF NOT EXISTS issued_certificates_owner ON issued_certificates (owner);
  CREATE INDEX IF NOT EXISTS issued_certificates_holder ON issued_certificates (holder);
  CREATE INDEX IF NOT EXISTS applications_replaces ON applications (replaces);
  CREATE INDEX IF NOT EXISTS applications_holder ON applications (holder);
  CREATE INDEX IF NOT EXISTS declarations_organization ON declarations (organization);
  CREATE INDEX IF NOT EXISTS application_history_application ON application_history (application_id);
`;

/**
 * The tables in `dialect`: bytes are a BYTEA in PostgreSQL, and each table there gets the `rowid` SQLite gives
 * every table by itself (the order rows were inserted in, which the queries sort by).
 */
export function schemaFor(dialect: SqlDialect): string {
  return Object.entries(TABLES)
    .map(([name, columns]) => {
      const own = dialect === 'postgres' ? `${columns.replace(/\bBLOB\b/g, 'BYTEA')}, rowid BIGSERIAL` : columns;
      return `CREATE TABLE IF NOT EXISTS ${name} (${own});`;
    })
    .join('\n');
}
