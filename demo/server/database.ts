import { randomBytes } from 'node:crypto';
import { seedInsuredRecords } from './insured-registry.js';
import { PostgresStore } from './sql/postgres-sql.js';
import { INDEXES, schemaFor } from './sql/schema.js';
import type { Sql, SqlStore } from './sql/sql.js';
import { SqliteStore } from './sql/sqlite-sql.js';

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

/** Where the portal keeps its data: a SQLite file (the embedded default), or a PostgreSQL server. */
export type DatabaseLocation = { path: string; url?: undefined } | { url: string; path?: undefined };

/**
 * The database cannot be opened (PostgreSQL unreachable, refused, or a file that cannot be written): the message
 * says which setting to check, without the URL (it may hold a password).
 */
export class DatabaseOpenError extends Error {}

/** The demo portal's database, on SQLite or PostgreSQL: the same tables, queries and guarantees on both. */
export class DemoDatabase {
  private constructor(readonly sql: SqlStore) {}

  /** Opens (and creates or upgrades) the database: PostgreSQL for a `url`, SQLite for a `path`. */
  static async open(location: DatabaseLocation): Promise<DemoDatabase> {
    const sql = location.url !== undefined ? new PostgresStore(location.url) : new SqliteStore(location.path);
    try {
      await sql.exec(schemaFor(sql.dialect));
      if (sql instanceof SqliteStore) addMissingColumns(sql);
      await sql.exec(INDEXES);
      await seedInsuredRecords(sql);
    } catch (error) {
      await sql.close().catch(() => undefined);
      const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      const where = location.url !== undefined ? 'DATABASE_URL' : location.path;
      throw new DatabaseOpenError(`无法打开门户数据库（${where}）：${reason}；请检查数据库地址、用户和密码。 / The portal's database (${where}) cannot be opened: ${reason}; check its address, user and password.`, { cause: error });
    }
    return new DemoDatabase(sql);
  }

  /** Stores a new declaration; `via` a transaction's executor when inside one. */
  async insertDeclaration(row: Pick<DeclarationRow, 'id' | 'owner' | 'organization' | 'payload' | 'summary'>, via: Sql = this.sql): Promise<void> {
    await via.run('INSERT INTO declarations (id, owner, organization, payload, summary, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      row.id, row.owner, row.organization, row.payload, row.summary, new Date().toISOString(),
    ]);
  }

  declaration(id: string): Promise<DeclarationRow | undefined> {
    return this.sql.get<DeclarationRow>('SELECT * FROM declarations WHERE id = ?', [id]);
  }

  /** Every declaration made for the organisation `creditCode`, by anyone, the newest first. */
  organizationDeclarations(creditCode: string, via: Sql = this.sql): Promise<DeclarationRow[]> {
    return via.all<DeclarationRow>('SELECT * FROM declarations WHERE organization = ? ORDER BY created_at DESC, rowid DESC', [creditCode]);
  }

  /**
   * Records a verified signature, once: false when the declaration was already verified (a concurrent or
   * replayed post loses). Failed attempts are not recorded here: they must never touch a declaration.
   */
  async recordVerifiedSignature(id: string, signature: string, signer: string | null, receivedAt: Date): Promise<boolean> {
    const changes = await this.sql.run("UPDATE declarations SET signature = ?, verdict = 'VERIFIED', signer = ?, signed_at = ? WHERE id = ? AND (verdict IS NULL OR verdict <> 'VERIFIED')", [
      signature, signer, receivedAt.toISOString(), id,
    ]);
    return changes === 1;
  }

  /** Notes the last refused attempt on a declaration that is not verified (for the page and support staff). */
  async recordRefusal(id: string, verdict: string): Promise<void> {
    await this.sql.run("UPDATE declarations SET verdict = ? WHERE id = ? AND (verdict IS NULL OR verdict <> 'VERIFIED')", [verdict, id]);
  }

  /**
   * The secret `name`, made at random the first time any process asks: every process of the portal then signs and
   * checks with the same key (a token one issues, another accepts).
   */
  async sharedSecret(name: string): Promise<Uint8Array> {
    await this.sql.run('INSERT INTO portal_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING', [name, randomBytes(32)]);
    return new Uint8Array((await this.sql.get<{ value: Buffer }>('SELECT value FROM portal_secrets WHERE name = ?', [name]))!.value);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/**
 * SQLite data directories from before declarations had owners, applications a request hash, a kind and a holder,
 * and issued certificates a holder, an owner and a revocation reason. (Their older certificates get no owner:
 * nobody can report them lost online; the hall can still revoke them.) An application's holder is filled in from
 * its details, so the one-open-application rule sees the applications made before it. A PostgreSQL database is
 * always created with the current columns: there is no older one to upgrade.
 */
function addMissingColumns({ db }: SqliteStore): void {
  const has = (table: string, column: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
  const add = (table: string, column: string, definition: string) => {
    if (!has(table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  };
  add('declarations', 'owner', "TEXT NOT NULL DEFAULT ''");
  add('declarations', 'organization', 'TEXT');
  add('applications', 'request_hash', "TEXT NOT NULL DEFAULT ''");
  add('applications', 'kind', "TEXT NOT NULL DEFAULT 'new'");
  add('applications', 'replaces', 'TEXT');
  add('applications', 'holder', "TEXT NOT NULL DEFAULT ''");
  db.exec(`UPDATE applications SET holder = COALESCE(CASE WHEN type = 'organization' THEN json_extract(details, '$.organization.creditCode') ELSE json_extract(details, '$.applicant.idNumber') END, '') WHERE holder = ''`);
  add('issued_certificates', 'revocation_reason', 'TEXT');
  add('issued_certificates', 'holder', "TEXT NOT NULL DEFAULT ''");
  add('issued_certificates', 'owner', "TEXT NOT NULL DEFAULT ''");
  add('issued_certificates', 'application_id', 'TEXT');
}
