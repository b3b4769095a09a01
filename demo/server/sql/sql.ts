/** A value a query takes: text, a number, null, or bytes (a BLOB in SQLite, a BYTEA in PostgreSQL). */
export type SqlParam = string | number | null | Uint8Array;

/**
 * Runs statements written once for both engines: `?` placeholders (PostgreSQL's `$1`, `$2`… are made from them),
 * and only SQL both understand (`ON CONFLICT … DO NOTHING/UPDATE`, `COALESCE`, `LIMIT`). Every table has a `rowid`
 * to order by: SQLite's own, and a `BIGSERIAL` column of that name in PostgreSQL, which rows never show (so
 * `SELECT *` answers the same columns on both).
 */
export interface Sql {
  /** Every row the query answers. */
  all<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Runs an INSERT, UPDATE or DELETE; answers how many rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/** Which engine a {@link SqlStore} runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/** The portal's database: statements, transactions, and the schema's few dialect differences. */
export interface SqlStore extends Sql {
  readonly dialect: SqlDialect;
  /**
   * Runs `work` as one transaction that behaves as if it ran alone (SQLite: `BEGIN IMMEDIATE`, the database's
   * write lock; PostgreSQL: `SERIALIZABLE`, retried on a serialization failure): a check and the write it allows
   * can never interleave with another transaction's, in this process or any other. `work` may run more than once,
   * so it must do nothing but statements on `tx` (never on the store itself: that waits for the transaction).
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs DDL (several statements, no parameters). */
  exec(ddl: string): Promise<void>;
  close(): Promise<void>;
}

/** Bytes as the drivers take them (both accept a Buffer; a bare Uint8Array is not a BLOB to every driver version). */
export function toDriverParams(params: readonly SqlParam[]): unknown[] {
  return params.map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
}
