// The agent listens, and answers /v1/health, before its providers and methods are built (they are loaded right
// after, and a page's first request waits for them); if building them fails, the port is given back and the start
// fails. The test holds the building back through AgentParts.beforeCore, so nothing here depends on timing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AgentError } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';

const quiet = () => createLogger('error', () => undefined);

function health(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/health' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A start whose providers and methods wait until `release()`; `port` resolves as soon as the server listens. */
function heldStart(home: string): { port: Promise<number>; release(): void; started: Promise<RunningAgent>; settled(): boolean } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => (listening = resolve));
  let settled = false;
  const started = startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN], maxInFlight: 1 }, quiet(), {
    beforeCore: (listeningOn) => {
      listening(listeningOn);
      return held;
    },
  });
  started.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { port, release, started, settled: () => settled };
}

describe('agent start order', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-start-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('answers /v1/health before the providers and methods exist, and a request sent meanwhile once they do', async () => {
    const start = heldStart(home);
    const port = await start.port;
    assert.equal(await health(port), 200);
    assert.equal(start.settled(), false, 'the start is still held: health needed none of what it builds');
    const client = connect(`ws://127.0.0.1:${port}/v1`);
    try {
      const info = client.request('agent.info', undefined);
      // One request in flight at most (see heldStart): the second is refused BUSY at once, which shows that the
      // first has reached the agent and waits for what the start is still building.
      await assert.rejects(client.request('token.list', undefined), (e: AgentError) => e.reason === 'BUSY');
      assert.equal(start.settled(), false);
      start.release();
      const agent = await start.started;
      try {
        assert.deepEqual((await info).providers, ['soft']);
        assert.equal(agent.port, port);
      } finally {
        client.close();
        await agent.close();
      }
    } finally {
      client.close();
    }
  });

  it('gives the port back and fails when the providers cannot be built', async () => {
    // A file where the home directory should be: the audit log's directory cannot be made.
    const notADirectory = join(home, 'not-a-directory');
    writeFileSync(notADirectory, '');
    const start = heldStart(notADirectory);
    const port = await start.port;
    assert.equal(await health(port), 200);
    start.release();
    await assert.rejects(start.started, /ENOTDIR|EEXIST/);
    // The port is free again: another server can listen on it.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
