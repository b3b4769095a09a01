import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { TEST_ORIGIN } from '@sicert/test-support/agent-client';

/** A client that keeps sending after its upgrade request (a WebSocket frame sent eagerly, a pipelined body). */
const EAGER_BYTES = 200_000;
/** Attempts per client kind: a cut answer showed in about one attempt of six before the fix, so 40 cannot all pass by luck. */
const ATTEMPTS = 40;

interface Answer {
  head: string;
  body: string;
}

/**
 * Sends a WebSocket upgrade from `origin` over a raw socket and reads the answer until it is whole (by its
 * Content-Length) or the connection ends; `eager` keeps writing bytes after the request meanwhile.
 */
function refusedUpgrade(port: number, origin: string, eager: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const answer = (): Answer => {
      const text = received.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      return end < 0 ? { head: text, body: '' } : { head: text.slice(0, end), body: text.slice(end + 4) };
    };
    const whole = (): boolean => {
      const { head, body } = answer();
      if (head.startsWith('HTTP/1.1 101 ') && received.includes('\r\n\r\n')) return true;
      const length = /\r\ncontent-length: (\d+)/i.exec(head);
      return length !== null && Buffer.byteLength(body) >= Number(length[1]);
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (whole()) socket.destroy();
    });
    socket.on('error', () => undefined); // a reset shows as a cut answer
    socket.on('close', () => resolve(answer()));
    socket.on('connect', () => {
      socket.write(
        `GET /v1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sicert.v1\r\nOrigin: ${origin}\r\n\r\n`,
      );
      if (!eager) return;
      socket.write(Buffer.alloc(EAGER_BYTES, 0x81));
      setTimeout(() => socket.destroyed || socket.write(Buffer.alloc(EAGER_BYTES, 0x81)), 1);
    });
  });
}

describe('refused upgrades', () => {
  let home: string;
  let agent: RunningAgent;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-refusal-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home, softToken: false, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
  });
  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  for (const eager of [false, true]) {
    it(`send the whole 403 answer before closing, to a client that ${eager ? 'keeps sending after its request' : 'only sends its request'}`, async () => {
      for (let i = 0; i < ATTEMPTS; i++) {
        const { head, body } = await refusedUpgrade(agent.port, 'https://evil.example', eager);
        assert.match(head, /^HTTP\/1\.1 403 Forbidden\r\n/, `attempt ${i + 1}: no status line`);
        assert.match(head, /\r\nContent-Length: 25(\r\n|$)/, `attempt ${i + 1}: no length`);
        assert.equal(body, 'Forbidden: ORIGIN_DENIED\n', `attempt ${i + 1}: the answer was cut`);
      }
    });
  }

  it('still serves allowed pages after refusing eager clients', async () => {
    const { head } = await refusedUpgrade(agent.port, TEST_ORIGIN, false);
    assert.match(head, /^HTTP\/1\.1 101 /);
  });
});
