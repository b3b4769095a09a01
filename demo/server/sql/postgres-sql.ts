import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { toDriverParams, type Sql, type SqlParam, type SqlStore } from './sql.js';

/**
 * Why a transaction may be run again: a serialization failure (40001) or a deadlock (40P01) — PostgreSQL's
 * answer when two SERIALIZABLE transactions could not both stand — and a unique violation (23505), which a
 * concurrent insert of the same key can give instead when the loser never read that key.
 */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 20;

/** COUNT(*) and BIGSERIAL come back as numbers, as in SQLite (the demo's counts are far below 2^53). */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

/** `?` placeholders as PostgreSQL's `$1`, `$2`… (the portal's SQL has no `?` inside a string literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A row without PostgreSQL's `rowid` column, which SQLite's `SELECT *` never shows. */
function withoutRowid(row: Record<string, unknown>): Record<string, unknown> {
  if ('rowid' in row) delete row.rowid;
  return row;
}

function executor(client: pg.Pool | pg.PoolClient): Sql {
  const query = (sql: string, params: readonly SqlParam[] = []) => client.query<Record<string, unknown>>(numbered(sql), toDriverParams(params));
  return {
    all: async <T>(sql: string, params?: readonly SqlParam[]) => (await query(sql, params)).rows.map((r) => withoutRowid(r) as T),
    get: async <T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> => {
      const row = (await query(sql, params)).rows[0];
      return row && (withoutRowid(row) as T);
    },
    run: async (sql: string, params?: readonly SqlParam[]) => (await query(sql, params)).rowCount ?? 0,
  };
}

/**
 * The server database: a pool of connections to the PostgreSQL at `DATABASE_URL`, shared by any number of portal
 * processes. Transactions are SERIALIZABLE and retried rather than guarded by row or advisory locks: every
 * transaction then keeps the guarantee SQLite's whole-database write lock gives (a check and the write it allows
 * never interleave with another's) without each one naming what to lock — the one-open-application check reads
 * rows that do not exist yet, which no row lock covers. The price is a retry now and then under contention.
 */
export class PostgresStore implements SqlStore {
  readonly dialect = 'postgres';
  readonly pool: pg.Pool;
  private readonly direct: Sql;

  constructor(connectionString: string) {
    this.pool = new pg.Pool({ connectionString, types, max: 10 });
    // An idle connection that breaks (the server restarts) must not take the portal down with it.
    this.pool.on('error', () => undefined);
    this.direct = executor(this.pool);
  }

  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.direct.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
    return this.direct.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.direct.run(sql, params);
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await work(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (error as { code?: unknown }).code;
        if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      } finally {
        client.release();
      }
      // A little random wait, growing: two losers retrying in step would collide again.
      await sleep(Math.random() * Math.min(50, 2 * attempt));
    }
  }

  /**
   * Runs DDL under a session advisory lock: two portal processes starting together on an empty database would
   * otherwise race on `CREATE TABLE IF NOT EXISTS` (it is not atomic in PostgreSQL).
   */
  async exec(ddl: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock(hashtext('sicert-demo-schema'))");
      try {
        await client.query(ddl);
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('sicert-demo-schema'))");
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
