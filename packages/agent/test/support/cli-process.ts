// The agent CLI as a child process: `runCli` for commands that exit (doctor, audit, tokens), `spawnAgent` for a
// running agent that a test can stop, or kill -9 mid-operation.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_ORIGIN } from '@sicert/test-support/agent-client';

const RUN_CLI = fileURLToPath(new URL('./run-cli.ts', import.meta.url));

function start(args: string[], env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, RUN_CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs one CLI command to its end; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = start(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** An agent running in a child process. */
export interface AgentProcess {
  url: string;
  child: ChildProcess;
  /** Everything the agent wrote to stderr (its JSON log) so far. */
  log(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (no cleanup at all), and waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `sicert-agent start` on a free port, allowing {@link TEST_ORIGIN}; resolves once it listens. `nodeArgs`
 * go to node before the CLI (e.g. `--import` of a hook).
 */
export function spawnAgent(options: { home: string; modules?: string[]; env?: Record<string, string>; args?: string[]; nodeArgs?: string[] }): Promise<AgentProcess> {
  const args = ['start', '--port', '0', '--home', options.home, '--allow-origin', TEST_ORIGIN, '--log-level', 'info', ...(options.modules ?? []).flatMap((m) => ['--module', m]), ...(options.args ?? [])];
  const child = start(args, options.env ?? {}, options.nodeArgs);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      const url = /listening on (ws:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, child, log: () => stderr, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') });
    });
    child.once('exit', (code) => reject(new Error(`the agent exited (${code}) before listening: ${stderr}`)));
  });
}
