import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { toDriverParams, type Sql, type SqlParam, type SqlStore } from './sql.js';

/**
 * The embedded default: one better-sqlite3 connection in WAL mode. Its calls are synchronous, but a transaction's
 * `work` awaits between statements, so other requests of this process wait while one is open (they would
 * otherwise run inside it on the shared connection); other processes wait on SQLite's own write lock.
 */
export class SqliteStore implements SqlStore {
  readonly dialect = 'sqlite';
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Settles when the open transaction ends; undefined when none is open. */
  private open: Promise<void> | undefined;
  private readonly tx: Sql;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.tx = { all: (s, p) => Promise.resolve(this.allNow(s, p)), get: <T>(s: string, p?: readonly SqlParam[]) => Promise.resolve(this.getNow(s, p) as T | undefined), run: (s, p) => Promise.resolve(this.runNow(s, p)) };
  }

  async all<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    while (this.open) await this.open;
    return this.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
    while (this.open) await this.open;
    return this.getNow(sql, params) as T | undefined;
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    while (this.open) await this.open;
    return this.runNow(sql, params);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let done!: () => void;
    this.open = new Promise((resolve) => (done = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } finally {
      this.open = undefined;
      done();
    }
  }

  exec(ddl: string): Promise<void> {
    this.db.exec(ddl);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private allNow<T>(sql: string, params: readonly SqlParam[] = []): T[] {
    return this.statement(sql).all(...toDriverParams(params)) as T[];
  }

  private getNow(sql: string, params: readonly SqlParam[] = []): unknown {
    return this.statement(sql).get(...toDriverParams(params));
  }

  private runNow(sql: string, params: readonly SqlParam[] = []): number {
    return this.statement(sql).run(...toDriverParams(params)).changes;
  }
}
