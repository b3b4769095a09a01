// A real PostgreSQL for the demo's tests, CI and the benchmark: Debian's server binaries run as a throwaway cluster
// in a temporary directory, on a free port, listening on 127.0.0.1 only. Nothing here touches a system cluster.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  /** The cluster's `postgres` database, as the superuser `sicert` (trust authentication, loopback only). */
  url: string;
  /** Creates an empty database of its own (one per test file, so files running at once never meet); answers its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and removes the directory. */
  close(): Promise<void>;
}

/** The newest Debian server binaries (`/usr/lib/postgresql/<version>/bin`), or `PG_BIN`; throws when none exist. */
export function postgresBinaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql');
  return join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * PostgreSQL refuses to run as root (CI's containers do): then it runs as the `postgres` system user, through
 * setpriv, which execs it in place (so the process we signal is postgres itself, not a wrapper).
 */
function asServerUser(dir: string): { wrap: (command: string, args: string[]) => [string, string[]] } {
  if (process.getuid?.() !== 0) return { wrap: (command, args) => [command, args] };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  return { wrap: (command, args) => ['setpriv', ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', command, ...args]] };
}

function started(server: ChildProcess, log: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 60 s:\n${log()}`)), 60_000);
    const check = () => {
      if (!log().includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      resolve();
    };
    server.stderr!.on('data', check);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited (${code}) before it was ready:\n${log()}`));
    });
  });
}

/**
 * Starts a throwaway cluster: `initdb` (no fsync: a test's data may be lost with the machine), then `postgres`
 * on a free port of 127.0.0.1 with its socket in the same directory. A missing PostgreSQL throws: tests that need
 * it fail loudly, never skip.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'sicert-postgres-'));
  const data = join(dir, 'data');
  const { wrap } = asServerUser(dir);
  try {
    mkdirSync(data, { mode: 0o700 });
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', data]);
    const [initdb, initArgs] = wrap(join(bin, 'initdb'), ['-D', data, '-U', 'sicert', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    execFileSync(initdb, initArgs, { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const settings = ['listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=200'];
  const [command, args] = wrap(join(bin, 'postgres'), ['-D', data, ...settings.flatMap((s) => ['-c', s])]);
  const server = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // If the test process ends without close(), the server goes with it.
  // SIGQUIT: immediate shutdown, the postmaster stops its children too. An exit handler cannot wait for that, so a
  // detached shell removes the directory once the server is gone.
  const orphan = () => {
    server.kill('SIGQUIT');
    spawn('sh', ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 0.1; done; rm -rf "$2"', 'sh', String(server.pid), dir], { detached: true, stdio: 'ignore' }).unref();
  };
  process.once('exit', orphan);
  try {
    await started(server, () => log);
  } catch (error) {
    server.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // The server must not keep the test process alive: it stops at close(), or with the process (above).
  server.unref();
  (server.stderr as unknown as { unref(): void }).unref();
  const url = `postgres://sicert@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase: () => createDatabase(url),
    async close() {
      process.removeListener('exit', orphan);
      // Held again until it has exited, or this process could end first and leave the directory behind.
      server.ref();
      if (server.exitCode === null) server.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database in the cluster at `url` (its `postgres` database); answers the new one's URL. */
export async function createDatabase(url: string): Promise<string> {
  const name = `sicert_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}
