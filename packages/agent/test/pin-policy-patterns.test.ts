// The simple passwords a security review found the agent accepting (issue 8), sent as raw requests by a page that
// skips the components' meter: the agent refuses each with PIN_POLICY, creates nothing, and still accepts a
// citizen-style password. (The rules themselves are pinned in packages/protocol/test/pin-policy-patterns.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { rawReason } from './support/raw-call.js';

describe('the agent refuses the simple passwords of the security review', () => {
  let home: string;
  let agent: RunningAgent;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-policy-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
  });

  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('token.create: a repeated part, a keyboard walk, interleaved runs are PIN_POLICY; Li5830qa makes the token', async () => {
    for (const pin of ['a1a1a1', 'Aa1Aa1', 'a123123', 'abcabc1', 'qwerty1', '1qaz2wsx', 'zxcvbn1', '1q2w3e4r', '147258a', 'a1b2c3d4']) {
      assert.equal(await rawReason(agent.url, 'token.create', { provider: 'soft', label: '张三', pin }), 'PIN_POLICY', pin);
    }
    const client = connect(agent.url);
    try {
      assert.deepEqual((await client.request('token.list', undefined)).tokens, []);
      const { tokenId } = await client.request('token.create', { provider: 'soft', label: '张三', pin: 'Li5830qa' });
      assert.equal(await rawReason(agent.url, 'pin.change', { tokenId, oldPin: 'Li5830qa', newPin: 'qweqwe1' }), 'PIN_POLICY', 'pin.change too');
      assert.deepEqual((await client.request('token.list', undefined)).tokens.map((t) => t.id), [tokenId]);
    } finally {
      client.close();
    }
  });
});
