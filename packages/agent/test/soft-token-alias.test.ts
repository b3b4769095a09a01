// The retired id `soft-default` still names the keys of the single store in key-addressed operations. A security
// review found that the PIN throttle counted tries by the id a request names, so wrong passwords on two holders'
// keys through `soft-default` throttled a third holder who never typed a wrong one, and each token got a second
// budget under its real id. Tries now count against the real token, whatever id names it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient, type Token } from '@sicert/protocol';
import { createLogger, defaultConfig, KeyedQueue, PinThrottle, startAgent, type QueueOptions } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { homeWithLegacyStore, LEGACY } from './support/legacy-store.js';

const DATA = toBase64(new TextEncoder().encode('失业保险金申领'));
const WRONG = 'Wrong1357x';
const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

/** The token queue, remembering every key work waited under. */
class RecordingQueue extends KeyedQueue {
  readonly seen = new Set<string>();
  override run<T>(key: string, task: () => Promise<T>, options?: QueueOptions): Promise<T> {
    this.seen.add(key);
    return super.run(key, task, options);
  }
}

describe('the retired id soft-default and the PIN throttle', () => {
  const homes: string[] = [];
  after(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** An agent on a copy of the single store (split at start into 张三, 李四 and a pending key), 3 wrong PINs a window. */
  async function withAgent(use: (client: AgentClient, tokens: Map<string, Token>, queue: RecordingQueue) => Promise<void>): Promise<void> {
    const { home } = homeWithLegacyStore('sicert-alias-');
    homes.push(home);
    const queue = new RecordingQueue();
    // The clock stands still: every counted failure stays in the window, and nothing depends on time passing.
    const pinThrottle = new PinThrottle({ maxFailures: 3, now: () => 0 });
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined), { tokenQueue: queue, pinThrottle });
    const client = connect(agent.url);
    try {
      const tokens = new Map((await client.request('token.list', undefined)).tokens.map((t) => [t.label, t]));
      await use(client, tokens, queue);
    } finally {
      client.close();
      await agent.close();
    }
  }
  const csr = (client: AgentClient, keyId: string, pin: string) => client.request('csr.create', { tokenId: 'soft-default', keyId, pin, subject: { CN: '申请人' } });

  it("wrong passwords on two holders' keys through soft-default never throttle a third holder's token", async () => {
    await withAgent(async (client) => {
      await assert.rejects(csr(client, LEGACY.zhang, WRONG), refused('PIN_INCORRECT'));
      await assert.rejects(csr(client, LEGACY.zhang, WRONG), refused('PIN_INCORRECT'));
      await assert.rejects(csr(client, LEGACY.li, WRONG), refused('PIN_INCORRECT'));
      // Three wrong tries went through soft-default, none on the pending key's token: it still answers.
      assert.ok((await csr(client, LEGACY.pending, LEGACY.pin)).csr.length > 0);
      // 李四 had one wrong try of three: the right password still signs, through the alias as through the real id.
      assert.ok((await client.request('sign.data', { certId: `soft-default/${LEGACY.li}`, pin: LEGACY.pin, data: DATA })).signature.length > 0);
    });
  });

  it('a token has one budget: tries through soft-default and through its real id count together', async () => {
    await withAgent(async (client, tokens) => {
      const zhang = `${tokens.get('张三')!.id}/${LEGACY.zhang}`;
      await assert.rejects(csr(client, LEGACY.zhang, WRONG), refused('PIN_INCORRECT'));
      await assert.rejects(client.request('sign.data', { certId: `soft-default/${LEGACY.zhang}`, pin: WRONG, data: DATA }), refused('PIN_INCORRECT'));
      await assert.rejects(client.request('sign.data', { certId: zhang, pin: WRONG, data: DATA }), refused('PIN_INCORRECT'));
      // Three wrong tries on 张三's token: the next is refused whichever id names it, the right password too.
      await assert.rejects(client.request('sign.data', { certId: zhang, pin: LEGACY.pin, data: DATA }), refused('PIN_THROTTLED'));
      await assert.rejects(csr(client, LEGACY.zhang, LEGACY.pin), refused('PIN_THROTTLED'));
      // 李四 is untouched.
      assert.ok((await client.request('sign.data', { certId: `${tokens.get('李四')!.id}/${LEGACY.li}`, pin: LEGACY.pin, data: DATA })).signature.length > 0);
    });
  });

  it('every key operation through soft-default waits in the real token’s queue and counts there', async () => {
    await withAgent(async (client, tokens, queue) => {
      const pending = tokens.get('本机证书 (演示)')!.id;
      const certificate = (await client.request('cert.list', { tokenId: tokens.get('张三')!.id })).certificates[0]!.der;
      await assert.rejects(client.request('cert.install', { tokenId: 'soft-default', pin: WRONG, certificate }), refused('PIN_INCORRECT'));
      await assert.rejects(client.request('key.delete', { tokenId: 'soft-default', keyId: LEGACY.pending, pin: WRONG }), refused('PIN_INCORRECT'));
      await assert.rejects(csr(client, LEGACY.pending, WRONG), refused('PIN_INCORRECT'));
      await assert.rejects(client.request('sign.data', { certId: `soft-default/${LEGACY.li}`, pin: WRONG, data: DATA }), refused('PIN_INCORRECT'));
      assert.equal(queue.seen.has('soft-default'), false, `queued under ${[...queue.seen].join(', ')}`);
      assert.deepEqual([...queue.seen].sort(), [tokens.get('张三')!.id, tokens.get('李四')!.id, pending].sort());
      // The pending key's token saw two wrong tries (key.delete, csr.create) and one more throttles it.
      await assert.rejects(client.request('key.delete', { tokenId: pending, keyId: LEGACY.pending, pin: WRONG }), refused('PIN_INCORRECT'));
      await assert.rejects(csr(client, LEGACY.pending, LEGACY.pin), refused('PIN_THROTTLED'));
      // The certificate re-installed through soft-default lands on 张三's token, as before.
      const { certId } = await client.request('cert.install', { tokenId: 'soft-default', pin: LEGACY.pin, certificate });
      assert.equal(certId, `${tokens.get('张三')!.id}/${LEGACY.zhang}`);
    });
  });
});
