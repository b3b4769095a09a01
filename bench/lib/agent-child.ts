// The agent as on a citizen's computer: `sicert-agent start` in its own process, on the bench token's module.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import type { BenchToken } from './bench-token.js';
import { since } from './stats.js';

/** The agent measured: this checkout's, or another build's `bin/sicert-agent.js` (BENCH_AGENT_BIN) to compare with. */
const BIN = process.env.BENCH_AGENT_BIN ?? fileURLToPath(new URL('../../packages/agent/bin/sicert-agent.js', import.meta.url));

export interface AgentChild {
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, and waits for the exit; removes the agent's home. */
  stop(): Promise<void>;
}

function launch(token: BenchToken, home: string, port: number, softToken: boolean): ChildProcess {
  const args = [BIN, 'start', '--port', String(port), '--home', home, '--module', token.hsm.module, '--allow-origin', TEST_ORIGIN, '--log-level', 'error'];
  if (!softToken) args.push('--no-soft-token');
  return spawn(process.execPath, args, { env: { ...process.env, SOFTHSM2_CONF: token.hsm.conf }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function stopper(child: ChildProcess, home: string): () => Promise<void> {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
  return async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  };
}

/**
 * Starts the agent for the measurements. Its per-connection rate limit is lifted (a config file in its home), so
 * back-to-back requests measure the agent, not the limiter.
 */
export async function spawnAgent(token: BenchToken): Promise<AgentChild> {
  const home = mkdtempSync(join(tmpdir(), 'sicert-bench-'));
  writeFileSync(join(home, 'config.json'), JSON.stringify({ ratePerSecond: 1_000_000 }));
  const child = launch(token, home, 0, false);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (ws:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the agent exited with ${String(code)}`)));
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return { url, port: Number(new URL(url).port), pid: child.pid!, stop: stopper(child, home) };
}

/** Status of `GET path` on a fresh connection, or 0 when nothing answers. */
export function httpStatus(port: number, path = '/v1/health'): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Cold starts: spawns `sicert-agent start` (the bench token's module configured, the software token on, as a
 * citizen's agent runs) `runs` times, and measures from the spawn to the first answered `/v1/health`, and on to the
 * first `agent.info` answered over a WebSocket (what a page needs before it can do anything).
 */
export async function coldStarts(token: BenchToken, runs: number): Promise<{ healthMs: number[]; agentInfoMs: number[] }> {
  const healthMs: number[] = [];
  const agentInfoMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const home = mkdtempSync(join(tmpdir(), 'sicert-cold-'));
    const port = await freePort();
    const start = performance.now();
    const child = launch(token, home, port, true);
    const stop = stopper(child, home);
    try {
      while ((await httpStatus(port)) !== 200) {
        if (child.exitCode !== null) throw new Error(`the agent exited with ${String(child.exitCode)}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      healthMs.push(since(start));
      const client = connect(`ws://127.0.0.1:${String(port)}/v1`);
      try {
        await client.request('agent.info', undefined);
        agentInfoMs.push(since(start));
      } finally {
        client.close();
      }
    } finally {
      await stop();
    }
  }
  return { healthMs, agentInfoMs };
}
