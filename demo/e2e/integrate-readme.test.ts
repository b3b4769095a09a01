// The README's "Integrate into your portal", followed as an integrator would, with every snippet read from README.md
// (so the README cannot drift from what works): the demo started as `npm start` starts it (its agent on the default
// port, which the snippet relies on), the README's allow command run for a fresh origin, the README's page and server
// written to a folder and run, and a demo certificate signing in Chromium; the server's verdict is the README's.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_PORT } from '@sicert/protocol';
import { launchChromium, screenshot } from './browser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The origin the README allows; the test allows the same host on a free port instead. */
const README_ORIGIN = 'http://localhost:8080';

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.notEqual(start, -1, `README has a section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

/** The fenced block right after `<!-- integrate:<name> … -->`, dedented. */
function snippet(name: string): string {
  const match = new RegExp(`<!-- integrate:${name}\\b[^>]*-->\\s*\\n( *)\`\`\`\\w*\\n([\\s\\S]*?)\\n\\1\`\`\``).exec(README);
  assert.ok(match, `README has the ${name} snippet`);
  const indent = match[1]!;
  return match[2]!.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True when nothing listens on 127.0.0.1:`port`. */
async function portFree(port: number): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

/** Starts a child and resolves with its output once `ready` matches it; rejects if it exits first. */
function startUntil(command: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      output += d.toString('utf8');
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited (${code}): ${output}`)));
  });
}

async function agentAllows(agentUrl: string, origin: string): Promise<boolean> {
  const response = await fetch(agentUrl.replace(/^ws:/, 'http:').replace(/\/v1$/, '/v1/health'), { headers: { origin } });
  await response.arrayBuffer();
  return response.headers.get('access-control-allow-origin') === origin;
}

describe('README: Integrate into your portal', { timeout: 180_000 }, () => {
  const integrate = section('Integrate into your portal');
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let demo: { child: ChildProcess; output: () => string };
  let portal: { child: ChildProcess; output: () => string } | undefined;
  let origin: string;
  let browser: Browser;

  before(async () => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    // Inside the clone, as the README says, so that @sicert/pki and @sicert/elements resolve (tmp/ is git-ignored).
    dir = mkdtempSync(join(ROOT, 'tmp', 'integrate-'));
    env = { ...process.env, SICERT_CONFIG: join(dir, 'agent-config.json'), SICERT_DEMO_DATA: join(dir, 'demo-data'), SICERT_DEMO_PORT: '0' };
    // The page snippet names no agent URL: the demo's agent must be on the default port, as `npm start` puts it.
    delete env.SICERT_PORT;
    delete env.SICERT_ALLOW_ORIGINS;
    delete env.SICERT_HOME;
    assert.ok(await portFree(DEFAULT_PORT), `this test runs the demo's agent on the default port ${String(DEFAULT_PORT)}, where the README's page looks for it, and something listens there already (your own npm start?): stop it and run the test again`);
    demo = await startUntil([process.execPath, '--import', 'tsx', 'demo/server/main.ts'], env, /Agent: ws:\S+/);
    origin = `http://localhost:${await freePort()}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    for (const child of [portal?.child, demo.child]) {
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const allowCommand = () => {
    const command = /^\s*(npx sicert-agent allow \S+)\s*$/m.exec(integrate)?.[1];
    assert.ok(command, 'the README says how to allow an origin');
    return command;
  };
  const agentUrl = () => /Agent: (ws:\S+)/.exec(demo.output())![1]!;
  const portalUrl = () => /Open (http:\S+)\//.exec(demo.output())![1]!;

  it("step 1: the demo's agent listens where the page snippet looks for it", () => {
    assert.equal(agentUrl(), `ws://127.0.0.1:${DEFAULT_PORT}/v1`);
    assert.match(integrate, new RegExp(`ws://127\\.0\\.0\\.1:${DEFAULT_PORT}/v1`));
  });

  it("step 2: the README's allow command lets the fresh origin use the running agent", async () => {
    const command = allowCommand();
    assert.ok(command.endsWith(README_ORIGIN), `the README allows ${README_ORIGIN}: ${command}`);
    assert.equal(await agentAllows(agentUrl(), origin), false, 'not allowed before');
    const result = spawnSync('sh', ['-c', command.replace(README_ORIGIN, origin)], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /applies this within a second, with no restart/);
    while (!(await agentAllows(agentUrl(), origin))) await sleep(100);
  });

  it("steps 3-5: the README's page and server sign with 张三's demo certificate and verify it", async () => {
    mkdirSync(join(dir, 'my-portal'));
    writeFileSync(join(dir, 'my-portal', 'index.html'), snippet('page'));
    writeFileSync(join(dir, 'my-portal', 'server.mjs'), snippet('server'));
    assert.match(integrate, /node my-portal\/server\.mjs/);
    portal = await startUntil([process.execPath, join(dir, 'my-portal', 'server.mjs')], { ...env, PORT: origin.split(':')[2], SICERT_DEMO_URL: portalUrl() }, /Open http/);
    const page = await browser.newPage();
    const verdict = await signAs(page, '张三 (演示)');
    await screenshot(page, 'integrate-readme-page');
    const promised = /the page shows `([^`]+)`/.exec(integrate)?.[1];
    assert.equal(verdict, promised);
    assert.equal(verdict, 'verified: signed by 张三 (演示)');
    // 陈明's certificate is from the same CA, but he is not the person signed in: refused as the README says.
    assert.equal(await signAs(page, '陈明 (演示)'), /shows\s+`(refused: [A-Z_]+)`/.exec(integrate)?.[1]);
    await page.close();
  });

  it('the "Embedding the signer" snippet runs as written', async () => {
    // Served from a real origin of its own (a page the test fulfils has no address, and Chromium's local network
    // access then blocks the agent), with the bundle beside it as the snippet's relative src expects.
    const bundle = readFileSync(fileURLToPath(import.meta.resolve('@sicert/elements/bundle')));
    const server = createHttpServer((req, res) => {
      if (req.url === '/sicert.bundle.min.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><meta charset="utf-8">${snippet('embed')}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const embedOrigin = `http://localhost:${(server.address() as { port: number }).port}`;
    const page = await browser.newPage();
    try {
      assert.equal(spawnSync('sh', ['-c', allowCommand().replace(README_ORIGIN, embedOrigin)], { cwd: ROOT, env }).status, 0);
      while (!(await agentAllows(agentUrl(), embedOrigin))) await sleep(100);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${embedOrigin}/`);
      await page.locator('sicert-signer sicert-cert-picker input[type=radio]').first().waitFor();
      assert.match(await page.evaluate(() => String((document.querySelector('sicert-signer') as HTMLElement & { data?: unknown }).data)), /社保缴费申报/);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      server.close();
    }
  });

  async function signAs(page: Page, holder: string): Promise<string> {
    await page.goto(`${origin}/`);
    await page.locator('sicert-signer sicert-cert-picker label', { hasText: holder }).locator('input[type=radio]').check();
    await page.locator('sicert-signer sicert-pin-input input').fill('Demo2026');
    await page.locator('sicert-signer button.sign').click();
    await page.locator('#verdict:not(:empty)').waitFor();
    return (await page.locator('#verdict').textContent()) ?? '';
  }
});
