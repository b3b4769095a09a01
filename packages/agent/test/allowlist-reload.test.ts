// A running agent follows `sicert-agent allow` and `deny` without a restart: the real agent in a child process
// (allowlist from its config file only), the real CLI changing the file beside it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { runCli } from './support/cli-process.js';

const RUN_CLI = fileURLToPath(new URL('./support/run-cli.ts', import.meta.url));
const PAGE = 'http://localhost:8080';

/** Whether the agent's health answer lets `origin` read it (CORS), i.e. whether that origin is allowed now. */
async function allows(agentUrl: string, origin: string): Promise<boolean> {
  const health = agentUrl.replace(/^ws:/, 'http:').replace(/\/v1$/, '/v1/health');
  const response = await fetch(health, { headers: { origin } });
  await response.arrayBuffer();
  return response.headers.get('access-control-allow-origin') === origin;
}

/** Polls until the agent's answer for `origin` is `wanted` (the agent polls its file; no deadline is asserted). */
async function until(agentUrl: string, origin: string, wanted: boolean): Promise<void> {
  while ((await allows(agentUrl, origin)) !== wanted) await sleep(100);
}

// The timeout only ends a run where the agent never follows the file (the feature missing), rather than hanging.
describe('a running agent and its config file', { timeout: 30_000 }, () => {
  let home: string;
  let agentUrl: string;
  let stop: () => Promise<void>;
  let log = '';

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-reload-'));
    const env = { ...process.env };
    delete env.SICERT_ALLOW_ORIGINS;
    delete env.SICERT_CONFIG;
    const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, 'start', '--port', '0', '--home', home, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stderr.on('data', (d: Buffer) => (log += d.toString('utf8')));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    stop = async () => {
      child.kill('SIGTERM');
      await exited;
    };
    agentUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const url = /listening on (ws:\/\/\S+)/.exec(out)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`the agent exited (${code})`)));
    });
  });
  after(async () => {
    await stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('allows an origin once `allow` wrote it, with no restart', async () => {
    assert.equal(await allows(agentUrl, PAGE), false);
    const result = await runCli(['allow', PAGE, '--home', home]);
    assert.equal(result.code, 0, result.stderr);
    await until(agentUrl, PAGE, true);
  });

  it('after `deny`, refuses the origin and closes the connection it had open', async () => {
    const ws = new WebSocket(agentUrl, 'sicert.v1', { origin: PAGE });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
    const result = await runCli(['deny', PAGE, '--home', home]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await closed, { code: 1008, reason: 'ORIGIN_DENIED' });
    assert.equal(await allows(agentUrl, PAGE), false);
  });

  it('keeps the allowed origins when the file is broken, and follows it again once mended', async () => {
    await runCli(['allow', PAGE, '--home', home]);
    await until(agentUrl, PAGE, true);
    writeFileSync(join(home, 'config.json'), '{ "allowOrigins": [');
    // The broken file cannot take the origin away (the agent says so); mending it to an empty list does.
    while (!log.includes('cannot be used')) await sleep(100);
    assert.equal(await allows(agentUrl, PAGE), true);
    writeFileSync(join(home, 'config.json'), '{ "allowOrigins": [] }');
    await until(agentUrl, PAGE, false);
  });

  it('does not take a list from the file once other users can write it, and follows it again once chmod 600', async () => {
    const file = join(home, 'config.json');
    await runCli(['allow', PAGE, '--home', home]);
    await until(agentUrl, PAGE, true);
    chmodSync(file, 0o666);
    writeFileSync(file, JSON.stringify({ allowOrigins: [PAGE, 'http://intruder.test'] }));
    while (!log.includes(`chmod 600 ${file}`)) await sleep(100);
    assert.equal(await allows(agentUrl, 'http://intruder.test'), false, 'the rewritten list is not taken');
    assert.equal(await allows(agentUrl, PAGE), true, 'the old list stays');
    chmodSync(file, 0o600);
    writeFileSync(file, JSON.stringify({ allowOrigins: ['http://intruder.test'] }));
    await until(agentUrl, 'http://intruder.test', true);
  });
});
