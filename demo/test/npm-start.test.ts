// `npm start` as a person meets it: the portal's main in a child process. A port in use is one line naming the
// variable that moves it (no stack trace, exit 1); the agent allows SICERT_ALLOW_ORIGINS and the agent config file's
// origins beside the portal's own, and follows `sicert-agent allow` with no restart; a second start with nothing
// changed does not build again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postgresDatabase } from './support/store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'demo/server/main.ts');
const AGENT_CLI = join(ROOT, 'packages/agent/bin/sicert-agent.js');

interface Started {
  output: () => string;
  exit: Promise<number>;
  stop: () => Promise<void>;
}

function startPortal(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env: { ...process.env, SICERT_ALLOW_ORIGINS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return {
    output: () => output,
    exit,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** Whether the agent lets `origin` read its health answer, i.e. allows that origin now. */
async function agentAllows(agentUrl: string, origin: string): Promise<boolean> {
  const response = await fetch(agentUrl.replace(/^ws:/, 'http:').replace(/\/v1$/, '/v1/health'), { headers: { origin } });
  await response.arrayBuffer();
  return response.headers.get('access-control-allow-origin') === origin;
}

describe('npm start', { timeout: 60_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sicert-npm-start-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [which, variable] of [['portal', 'SICERT_DEMO_PORT'], ['agent', 'SICERT_PORT']] as const) {
    it(`stops with one line naming ${variable} when the ${which}'s port is in use`, async () => {
      const busy = await occupy();
      try {
        const other = variable === 'SICERT_PORT' ? 'SICERT_DEMO_PORT' : 'SICERT_PORT';
        const run = startPortal({ SICERT_DEMO_DATA: join(dir, `busy-${which}`), SICERT_CONFIG: join(dir, 'none.json'), [variable]: String(busy.port), [other]: '0' });
        assert.equal(await run.exit, 1);
        const lines = run.output().trim().split('\n').filter((line) => line.trim());
        assert.equal(lines.length, 1, run.output());
        assert.match(lines[0]!, new RegExp(`Port ${busy.port} is in use .*${variable}`));
        assert.match(lines[0]!, new RegExp(`端口 ${busy.port} 已被占用`));
        assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
      } finally {
        busy.server.close();
      }
    });
  }

  it('stops with one line naming SICERT_ALLOW_ORIGINS and the bad value when it holds no origin', async () => {
    for (const value of ['*', 'a;b', 'https://portal.test/login', 'null', 'file://', 'https://*.com']) {
      const run = startPortal({ SICERT_DEMO_DATA: join(dir, 'bad-env'), SICERT_CONFIG: join(dir, 'none.json'), SICERT_DEMO_PORT: '0', SICERT_PORT: '0', SICERT_ALLOW_ORIGINS: value });
      assert.equal(await run.exit, 1, value);
      const lines = run.output().trim().split('\n').filter((line) => line.trim());
      assert.equal(lines.length, 1, run.output());
      assert.ok(lines[0]!.includes(`SICERT_ALLOW_ORIGINS=${value}`), run.output());
      assert.match(lines[0]!, /https:\/\/(host\[:port\]|\*\.example\.gov\.cn)/, 'says what an origin looks like');
      assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
    }
  });

  it('stops with one line naming the chmod when the agent config file is writable by others', async () => {
    const config = join(dir, 'open.json');
    writeFileSync(config, JSON.stringify({ allowOrigins: ['http://from-file.test:8080'] }));
    chmodSync(config, 0o666);
    const run = startPortal({ SICERT_DEMO_DATA: join(dir, 'open'), SICERT_CONFIG: config, SICERT_DEMO_PORT: '0', SICERT_PORT: '0' });
    // Without the check the demo starts; stop at once when it says it runs instead of waiting for the timeout.
    while ((await Promise.race([run.exit, sleep(100).then(() => undefined)])) === undefined) {
      if (/Agent: ws:/.test(run.output())) await run.stop();
    }
    assert.equal(await run.exit, 1, run.output());
    const lines = run.output().trim().split('\n').filter((line) => line.trim());
    assert.equal(lines.length, 1, run.output());
    assert.ok(lines[0]!.includes(`chmod 600 ${config}`), run.output());
  });

  it('keeps the portal\'s data in PostgreSQL with DATABASE_URL, and in no SQLite file', async () => {
    const url = await postgresDatabase();
    const data = join(dir, 'on-postgres');
    const run = startPortal({ SICERT_DEMO_DATA: data, SICERT_CONFIG: join(dir, 'none.json'), SICERT_DEMO_PORT: '0', SICERT_PORT: '0', DATABASE_URL: url });
    try {
      while (!/Open (http:\S+)\//.test(run.output())) {
        assert.equal(await Promise.race([run.exit, sleep(100).then(() => undefined)]), undefined, run.output());
      }
      assert.match(run.output(), /Database: PostgreSQL \(DATABASE_URL\)/);
      const portalUrl = /Open (http:\S+)\//.exec(run.output())![1]!;
      const people = (await (await fetch(`${portalUrl}/api/demo/people`)).json()) as unknown[];
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM insured_persons');
        assert.equal(Number(rows[0]!.n), people.length, 'the records the portal serves are the database\'s');
      } finally {
        await client.end();
      }
      assert.throws(() => statSync(join(data, 'portal.sqlite')), /ENOENT/);
    } finally {
      await run.stop();
    }
  });

  it('stops with one line naming DATABASE_URL, never its password, when the database cannot be reached', async () => {
    const { server, port } = await occupy();
    server.close();
    const run = startPortal({ SICERT_DEMO_DATA: join(dir, 'no-database'), SICERT_CONFIG: join(dir, 'none.json'), SICERT_DEMO_PORT: '0', SICERT_PORT: '0', DATABASE_URL: `postgres://portal:Secret-pw-1@127.0.0.1:${port}/portal` });
    assert.equal(await run.exit, 1, run.output());
    const lines = run.output().trim().split('\n').filter((line) => line.trim());
    assert.equal(lines.length, 1, run.output());
    assert.match(lines[0]!, /DATABASE_URL.*ECONNREFUSED.*check its address, user and password/);
    assert.doesNotMatch(run.output(), /Secret-pw-1/);
  });

  it("allows SICERT_ALLOW_ORIGINS and the config file's origins beside its own, and follows `sicert-agent allow`", async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ allowOrigins: ['http://from-file.test:8080'] }));
    const run = startPortal({ SICERT_DEMO_DATA: join(dir, 'data'), SICERT_DEMO_PORT: '0', SICERT_PORT: '0', SICERT_CONFIG: config, SICERT_ALLOW_ORIGINS: 'http://from-env.test:8080' });
    try {
      while (!/Agent: (ws:\S+)/.test(run.output())) {
        assert.equal(await Promise.race([run.exit, sleep(100).then(() => undefined)]), undefined, run.output());
      }
      const agentUrl = /Agent: (ws:\S+)/.exec(run.output())![1]!;
      const portalUrl = /Open (http:\S+)\//.exec(run.output())![1]!;
      assert.equal(await agentAllows(agentUrl, portalUrl), true, 'its own origin');
      assert.equal(await agentAllows(agentUrl, 'http://from-env.test:8080'), true, 'SICERT_ALLOW_ORIGINS');
      assert.equal(await agentAllows(agentUrl, 'http://from-file.test:8080'), true, 'the config file');
      assert.equal(await agentAllows(agentUrl, 'http://localhost:8080'), false);
      const allow = spawnSync(process.execPath, [AGENT_CLI, 'allow', 'http://localhost:8080'], { env: { ...process.env, SICERT_CONFIG: config }, encoding: 'utf8' });
      assert.equal(allow.status, 0, allow.stderr);
      while (!(await agentAllows(agentUrl, 'http://localhost:8080'))) await sleep(100);
      assert.equal(await agentAllows(agentUrl, 'http://from-env.test:8080'), true, 'the environment still counts after a reload');
      assert.equal(await agentAllows(agentUrl, portalUrl), true, 'and its own origin');
    } finally {
      await run.stop();
    }
  });
});

describe('a second npm start with nothing changed', () => {
  const prepare = (code: string) => spawnSync(process.execPath, ['--input-type=module', '-e', `import * as p from './scripts/prepare.mjs'; ${code}`], { cwd: ROOT, encoding: 'utf8' });
  const fingerprint = () => prepare('console.log(p.buildFingerprint())').stdout.trim();

  it('does not build when the stamp of the last build matches what is on disk', () => {
    const stamp = prepare('console.log(p.BUILD_STAMP)').stdout.trim();
    let previous: string | undefined;
    try {
      previous = readFileSync(stamp, 'utf8');
    } catch {
      previous = undefined;
    }
    // As the last build leaves it: the fingerprint of the tree as it is now.
    const now = fingerprint();
    // A fresh checkout that never ran npm start has no node_modules/.cache yet.
    mkdirSync(dirname(stamp), { recursive: true });
    writeFileSync(stamp, now);
    try {
      const result = prepare('p.buildIfStale()');
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /Build is current; not rebuilding/);
      assert.doesNotMatch(result.stdout, /npm run/);
    } finally {
      if (previous === undefined) rmSync(stamp, { force: true });
      else writeFileSync(stamp, previous);
    }
  });

  it('sees a changed source file, but not a changed test', () => {
    const source = join(ROOT, 'packages/protocol/src/index.ts');
    const test = join(ROOT, 'demo/test/npm-start.test.ts');
    for (const [file, changes] of [[source, true], [test, false]] as const) {
      const before = fingerprint();
      const { atimeMs, mtimeMs } = statSync(file);
      utimesSync(file, atimeMs / 1000, mtimeMs / 1000 + 60);
      try {
        assert.equal(fingerprint() !== before, changes, file);
      } finally {
        utimesSync(file, atimeMs / 1000, mtimeMs / 1000);
      }
    }
  });
});
