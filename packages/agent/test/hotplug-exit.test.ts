// Slot polling never outlives the agent: closed while a page is connected and its USB-Keys are watched, the agent
// leaves nothing behind, and its process ends by itself (no timer keeps it alive, no process.exit is needed).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { EVENT_DEADLINE_MS } from './support/token-events.js';

const SCRIPT = fileURLToPath(new URL('./support/watching-agent.ts', import.meta.url));

it('an agent closed while it watches the slots lets its process exit by itself', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the process was still alive ${EVENT_DEADLINE_MS} ms after the agent closed: ${output}`));
    }, EVENT_DEADLINE_MS);
    child.once('exit', (exitCode) => {
      clearTimeout(deadline);
      resolve(exitCode);
    });
  });
  assert.equal(code, 0, output);
  assert.match(output, /^watching: true\nclosed, watching: false\n$/);
});
