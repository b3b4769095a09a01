// Software tokens are bounded. A security review made 73 tokens labelled 张三 in 5 s from one allowed origin, and a
// token made by token.create that never got a key stayed in every token.list forever (nothing could remove it; the
// wizard leaves one whenever key generation fails or the page closes). Now an empty token (no key, no certificate)
// is removed once it is 10 minutes old — at start, before token.create and before token.list, announced with
// token.removed — and token.create beyond the limit is TOKEN_LIMIT. The clock is the test's own: nothing waits.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, SOFT_TOKEN_EMPTY_GRACE_MS, SOFT_TOKEN_LIMIT, SoftTokenProvider, startAgent, type RunningAgent, type SoftTokenProviderOptions } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { EventRecorder } from './support/token-events.js';
import { rawReason } from './support/raw-call.js';

const PIN = 'Home2468x';
const GRACE = SOFT_TOKEN_EMPTY_GRACE_MS;
const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('software-token limits', () => {
  const homes: string[] = [];
  after(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });
  const newHome = () => {
    const home = mkdtempSync(join(tmpdir(), 'sicert-limits-'));
    homes.push(home);
    return home;
  };
  const files = (home: string) => (existsSync(join(home, 'soft-token')) ? readdirSync(join(home, 'soft-token')).sort() : []);

  async function withAgent(home: string, options: SoftTokenProviderOptions, use: (client: AgentClient, agent: RunningAgent) => Promise<void>): Promise<void> {
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined), { softToken: options });
    const client = connect(agent.url);
    try {
      await use(client, agent);
    } finally {
      client.close();
      await agent.close();
    }
  }
  const ids = async (client: AgentClient) => (await client.request('token.list', undefined)).tokens.map((t) => t.id).sort();

  it('the rules are 10 minutes and 32 tokens', () => {
    assert.equal(SOFT_TOKEN_EMPTY_GRACE_MS, 600_000);
    assert.equal(SOFT_TOKEN_LIMIT, 32);
  });

  it('an empty token stays for its grace period, then goes before the next token.create, announced as removed', async () => {
    const home = newHome();
    let now = 1_000_000;
    await withAgent(home, { now: () => now }, async (client) => {
      const events = new EventRecorder(client);
      const { tokenId: left } = await client.request('token.create', { provider: 'soft', label: '张三', pin: PIN });
      const { tokenId: kept } = await client.request('token.create', { provider: 'soft', label: '李四', pin: PIN });
      await client.request('key.generate', { tokenId: kept, pin: PIN, algorithm: 'ECDSA-P256' });
      now += GRACE - 1;
      // A wizard that is still at it keeps its token: one millisecond short of the grace period, nothing goes.
      const { tokenId: fresh } = await client.request('token.create', { provider: 'soft', label: '王五', pin: PIN });
      assert.deepEqual(await ids(client), [fresh, kept, left].sort());
      now += 1;
      const mark = events.mark();
      const { tokenId: next } = await client.request('token.create', { provider: 'soft', label: '赵六', pin: PIN });
      const removed = await events.waitFor((e) => e.method === 'token.removed', mark, 'token.removed');
      assert.deepEqual(removed.params, { tokenId: left });
      // The token that holds a key (an application under review) stays however old; so does the younger empty one.
      assert.deepEqual(await ids(client), [fresh, kept, next].sort());
      assert.deepEqual(files(home), [fresh, kept, next].map((id) => `${id}.json`).sort(), "the left-behind token's file is gone");
      await assert.rejects(client.request('key.generate', { tokenId: left, pin: PIN, algorithm: 'ECDSA-P256' }), refused('TOKEN_NOT_FOUND'));
      // token.list sweeps too: once 王五's and 赵六's tokens are old enough, listing removes them.
      now += GRACE;
      assert.deepEqual(await ids(client), [kept]);
      events.stop();
    });
  });

  it('at start, empty tokens older than the grace period are removed; a damaged file is never touched', async () => {
    const home = newHome();
    let now = 5_000_000;
    const soft = new SoftTokenProvider(home, undefined, { now: () => now });
    const empty = await soft.createToken('张三', PIN);
    const keyed = await soft.createToken('李四', PIN);
    await soft.generateKey(keyed, PIN, 'ECDSA-P256');
    now += GRACE / 2;
    const young = await soft.createToken('王五', PIN);
    const damaged = join(home, 'soft-token', 'soft-0123456789abcdef.json');
    writeFileSync(damaged, '{"format":"sicert-soft-token","vers');
    now += GRACE / 2;
    const log: string[] = [];
    const restarted = new SoftTokenProvider(home, createLogger('info', (line) => log.push(line)), { now: () => now });
    assert.equal(existsSync(join(home, 'soft-token', `${empty}.json`)), false, 'removed while the provider opened the files');
    assert.deepEqual((await restarted.listTokens()).map((t) => t.id).sort(), [keyed, young, 'soft-0123456789abcdef'].sort());
    assert.deepEqual(files(home), [keyed, young, 'soft-0123456789abcdef'].map((id) => `${id}.json`).sort());
    assert.ok(log.some((line) => line.includes('left empty') && line.includes(empty)), 'the log says which token went');
  });

  it('the grace period counts from when the token was made, not from its last wrong password', async () => {
    const home = newHome();
    let now = 7_000_000;
    const soft = new SoftTokenProvider(home, undefined, { now: () => now });
    const tokenId = await soft.createToken('张三', PIN);
    assert.match(readFileSync(join(home, 'soft-token', `${tokenId}.json`), 'utf8'), new RegExp(`"created": "${new Date(now).toISOString()}"`));
    now += GRACE - 1;
    // A wrong password rewrites the file (its try count): the token must not live on by being tried.
    await assert.rejects(soft.generateKey(tokenId, 'Wrong1357x', 'ECDSA-P256'), refused('PIN_INCORRECT'));
    now += 1;
    assert.deepEqual(await soft.listTokens(), []);
  });

  it('token.create beyond the limit is TOKEN_LIMIT, writes nothing, and is not an audit entry; a removed empty token frees its place', async () => {
    const home = newHome();
    let now = 9_000_000;
    await withAgent(home, { now: () => now, maxTokens: 3 }, async (client, agent) => {
      const made = [];
      for (const label of ['张三', '张三', '张三']) made.push((await client.request('token.create', { provider: 'soft', label, pin: PIN })).tokenId);
      await client.request('key.generate', { tokenId: made[0]!, pin: PIN, algorithm: 'ECDSA-P256' });
      assert.equal(await rawReason(agent.url, 'token.create', { provider: 'soft', label: '张三', pin: PIN }), 'TOKEN_LIMIT');
      await assert.rejects(client.request('token.create', { provider: 'soft', label: '李四', pin: PIN }), refused('TOKEN_LIMIT'));
      assert.equal(files(home).length, 3, 'nothing written');
      const audit = readFileSync(join(home, 'audit.log'), 'utf8');
      assert.equal(audit.includes('TOKEN_LIMIT'), false);
      // The two empty ones go once they are old enough, and two new tokens fit again; the third does not.
      now += GRACE;
      await client.request('token.create', { provider: 'soft', label: '李四', pin: PIN });
      await client.request('token.create', { provider: 'soft', label: '王五', pin: PIN });
      await assert.rejects(client.request('token.create', { provider: 'soft', label: '赵六', pin: PIN }), refused('TOKEN_LIMIT'));
      assert.equal((await client.request('token.list', undefined)).tokens.length, 3);
    });
  });

  it('requests racing for the last places get no more than the limit', async () => {
    const home = newHome();
    await withAgent(home, { maxTokens: 3 }, async (client) => {
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => client.request('token.create', { provider: 'soft', label: `张三${i}`, pin: PIN })));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
      assert.ok(outcomes.filter((o) => o.status === 'rejected').every((o) => refused('TOKEN_LIMIT')((o as PromiseRejectedResult).reason)));
      assert.equal(files(home).length, 3);
    });
  });

  it('a token being given its key when its grace period is over is kept: the sweep waits its turn and looks again', async () => {
    const home = newHome();
    let now = 11_000_000;
    await withAgent(home, { now: () => now }, async (client) => {
      const { tokenId } = await client.request('token.create', { provider: 'soft', label: '张三', pin: PIN });
      now += GRACE;
      // Sent together: the key generation holds the token (a PIN derivation, then the key) when the list sweeps.
      const generating = client.request('key.generate', { tokenId, pin: PIN, algorithm: 'ECDSA-P256' });
      const listing = client.request('token.list', undefined);
      await generating;
      assert.deepEqual((await listing).tokens.map((t) => t.id), [tokenId]);
      assert.deepEqual(files(home), [`${tokenId}.json`]);
      assert.ok((await client.request('csr.create', { tokenId, keyId: (await generating).keyId, pin: PIN, subject: { CN: '张三' } })).csr.length > 0);
    });
  });
});
