// Which store the demo's tests run on. `npm test` runs the demo's API tests twice: on SQLite (the embedded default)
// and with SICERT_TEST_STORE=postgres on PostgreSQL, in the one throwaway cluster scripts/test.mjs starts
// (SICERT_TEST_POSTGRES_URL); each test file makes its own database in it. Run alone with SICERT_TEST_STORE=postgres,
// a test file starts a cluster of its own.
import { createDatabase, startThrowawayPostgres, type ThrowawayPostgres } from '@sicert/test-support/postgres';

/** The store the tests of this run use. */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.SICERT_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

let own: Promise<ThrowawayPostgres> | undefined;
const databases = new Map<string, Promise<string>>();

/** The cluster's URL: the shared one of `npm test`, or one this process starts (and stops when it exits). */
async function cluster(): Promise<string> {
  if (process.env.SICERT_TEST_POSTGRES_URL) return process.env.SICERT_TEST_POSTGRES_URL;
  own ??= startThrowawayPostgres();
  return (await own).url;
}

/** A fresh PostgreSQL database, whatever store the run uses (the tests that need two servers on one database). */
export async function postgresDatabase(): Promise<string> {
  return createDatabase(await cluster());
}

/**
 * What `startDemo` needs to keep the portal's data in the run's store: nothing for SQLite (a file in `dataDir`),
 * a database of its own for PostgreSQL — the same one again for the same `dataDir`, as a restart finds its file.
 */
export async function testStore(dataDir: string): Promise<{ databaseUrl?: string }> {
  if (TEST_STORE === 'sqlite') return {};
  let database = databases.get(dataDir);
  if (!database) databases.set(dataDir, (database = postgresDatabase()));
  return { databaseUrl: await database };
}
