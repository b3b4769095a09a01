import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import { AgentError, Reason, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, PinThrottle, SOFT_TOKEN_MAX_TRIES, startAgent, type Pkcs11Provider, type RunningAgent } from '../src/index.js';
import { createTestCa } from '@sicert/test-support/test-ca';
import { connect } from '@sicert/test-support/agent-client';
import { provisionPkcs11, provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const wrongPin = () => Promise.reject(new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect'));
const throttled = (ms?: number) => (e: unknown) => e instanceof AgentError && e.reason === Reason.PIN_THROTTLED && (ms === undefined || e.retryAfterMs === ms);

describe('PinThrottle', () => {
  it('lets 10 wrong PINs a minute through per token, refuses the rest with retryAfterMs, on a sliding window', async () => {
    let now = 1_000_000;
    const throttle = new PinThrottle({ now: () => now });
    for (let i = 0; i < 10; i++) {
      await assert.rejects(throttle.attempt('t1', wrongPin), /incorrect/);
      now += 1000;
    }
    // t = 10 s: the oldest failure (t = 0) leaves the window at t = 60 s.
    await assert.rejects(throttle.attempt('t1', () => Promise.resolve('right')), throttled(50_000));
    // Another token is not affected.
    assert.equal(await throttle.attempt('t2', () => Promise.resolve('ok')), 'ok');
    now += 50_000;
    await assert.rejects(throttle.attempt('t1', wrongPin), /incorrect/);
    // One slot freed, one used: the next slot frees when the failure at t = 1 s leaves, 1 s from now.
    await assert.rejects(throttle.attempt('t1', wrongPin), throttled(1000));
  });

  it('clears the count when the token accepts the PIN, and only then', async () => {
    let now = 0;
    const throttle = new PinThrottle({ now: () => now, maxFailures: 3 });
    for (let i = 0; i < 2; i++) await assert.rejects(throttle.attempt('t', wrongPin));
    // An operation that succeeds without proving the PIN (a certificate install on the software token) keeps the count.
    await throttle.attempt('t', () => Promise.resolve());
    // Other failures prove nothing either way.
    for (const reason of [Reason.KEY_NOT_FOUND, Reason.TOKEN_REMOVED, Reason.PIN_LOCKED, Reason.INTERNAL]) {
      await assert.rejects(throttle.attempt('t', () => Promise.reject(new AgentError(reason, 'x'))), (e: unknown) => e instanceof AgentError && e.reason === reason);
    }
    // So the third wrong PIN still reaches the token, and only then is the count full.
    await assert.rejects(throttle.attempt('t', wrongPin), /incorrect/);
    await assert.rejects(throttle.attempt('t', wrongPin), throttled());
    now += 60_000;
    const accepted = (pinAccepted: () => void) => {
      pinAccepted();
      return Promise.resolve();
    };
    await throttle.attempt('t', accepted);
    for (let i = 0; i < 3; i++) await assert.rejects(throttle.attempt('t', wrongPin), /incorrect/);
    await assert.rejects(throttle.attempt('t', wrongPin), throttled());
    // Inside the window too: two wrong, then the right PIN, and three more wrong ones reach the token.
    now += 60_000;
    for (let i = 0; i < 2; i++) await assert.rejects(throttle.attempt('t', wrongPin), /incorrect/);
    await throttle.attempt('t', accepted);
    for (let i = 0; i < 3; i++) await assert.rejects(throttle.attempt('t', wrongPin), /incorrect/);
    await assert.rejects(throttle.attempt('t', wrongPin), throttled());
  });
});

describe('PIN throttle on a SoftHSM2 token (which never locks)', () => {
  const ORIGIN_A = 'https://a.portal.test';
  const ORIGIN_B = 'https://b.portal.test';
  let hsm: SoftHsm;
  let home: string;
  let agent: RunningAgent;
  let certs: ProvisionedCerts;
  let tokenId: string;
  let a: AgentClient;
  let b: AgentClient;
  let now = 5_000_000;
  let triesReachingToken = 0;

  const sign = (client: AgentClient, pin: string) => client.request('sign.data', { certId: certs['ECDSA-P256'], pin, data: toBase64(new TextEncoder().encode('缴费确认')) });
  /** Starts from a clean count: the window has passed and the right PIN was accepted. */
  const fresh = async () => {
    now += 60_001;
    await sign(a, hsm.pin);
    triesReachingToken = 0;
  };

  before(async () => {
    hsm = createSoftHsm('sicert-throttle');
    home = mkdtempSync(join(tmpdir(), 'sicert-throttle-'));
    agent = await startAgent(
      { ...defaultConfig(), port: 0, home, modules: [hsm.module], softToken: false, allowOrigins: [ORIGIN_A, ORIGIN_B] },
      createLogger('error', () => undefined),
      { pinThrottle: new PinThrottle({ now: () => now }) },
    );
    const pkcs11 = agent.providers[0] as Pkcs11Provider;
    certs = await provisionPkcs11(pkcs11, hsm.label, hsm.pin, await createTestCa());
    tokenId = certs['ECDSA-P256'].split('/')[0]!;
    // Counts the tries that reach the token (every PIN-carrying method logs in through one of these).
    for (const name of ['withKey', 'generateKey', 'installCertificate'] as const) {
      const original = pkcs11[name].bind(pkcs11) as (...args: unknown[]) => Promise<unknown>;
      (pkcs11 as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        triesReachingToken++;
        return original(...args);
      };
    }
    a = connect(agent.url, ORIGIN_A);
    b = connect(agent.url, ORIGIN_B);
  });
  after(async () => {
    a.close();
    b.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses the 11th wrong PIN within a minute without asking the token, the right PIN too, until the window passes', async () => {
    await fresh();
    // Wrong PINs from two pages on two connections count together: the limit is the token's.
    for (let i = 0; i < 10; i++) await assert.rejects(sign(i % 2 ? a : b, '000000'), (e: unknown) => (e as AgentError).reason === Reason.PIN_INCORRECT);
    assert.equal(triesReachingToken, 10);
    const refused = (e: unknown) => e instanceof AgentError && e.reason === Reason.PIN_THROTTLED && e.retryAfterMs === 60_000;
    await assert.rejects(sign(a, '000001'), refused);
    await assert.rejects(sign(b, hsm.pin), refused);
    await assert.rejects(a.request('key.generate', { tokenId, pin: '000002', algorithm: 'ECDSA-P256' }), refused);
    await assert.rejects(a.request('csr.create', { tokenId, keyId: certs['ECDSA-P256'].split('/')[1]!, pin: '000003', subject: { CN: '王小明' } }), refused);
    assert.equal(triesReachingToken, 10, 'a throttled try must not reach the token');
    now += 30_000;
    await assert.rejects(sign(a, hsm.pin), (e: unknown) => e instanceof AgentError && e.reason === Reason.PIN_THROTTLED && e.retryAfterMs === 30_000);
    // After the window, the right PIN reaches the token, signs, and clears the count.
    now += 30_001;
    assert.ok((await sign(a, hsm.pin)).signature);
    for (let i = 0; i < 10; i++) await assert.rejects(sign(a, '000000'), (e: unknown) => (e as AgentError).reason === Reason.PIN_INCORRECT);
    await assert.rejects(sign(a, '000000'), (e: unknown) => (e as AgentError).reason === Reason.PIN_THROTTLED);
  });

  it('lets only 10 of many wrong PINs sent at once reach the token', async () => {
    await fresh();
    const outcomes = await Promise.allSettled(Array.from({ length: 15 }, () => sign(a, '999999')));
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as AgentError).reason : 'ok'));
    assert.equal(reasons.filter((r) => r === Reason.PIN_INCORRECT).length, 10, reasons.join(' '));
    assert.equal(reasons.filter((r) => r === Reason.PIN_THROTTLED).length, 5, reasons.join(' '));
    assert.equal(triesReachingToken, 10);
  });
});

describe('PIN throttle with slow tries queued together (software token)', () => {
  it('checks each try when its turn comes, so tries queued before the limit was reached do not slip past it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sicert-throttle-soft-'));
    const now = 1_000;
    // A limit of 3 so that the software token's own lock (10 tries) stays out of the way.
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: ['https://a.portal.test'] }, createLogger('error', () => undefined), {
      pinThrottle: new PinThrottle({ maxFailures: 3, now: () => now }),
    });
    const client = connect(agent.url, 'https://a.portal.test');
    try {
      const certs = await provisionSoft(agent.softToken!, 'Home2468x', await createTestCa());
      // Each wrong PIN costs a scrypt derivation (~100 ms), so all six wait in the token's queue together.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, () => client.request('sign.data', { certId: certs['ECDSA-P256'], pin: 'Wrong1234', data: toBase64(new Uint8Array([1, 2, 3])) })),
      );
      const reasons = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as AgentError).reason : 'ok'));
      // Which request comes first is not promised (each hashes its data before it queues, and hashes finish in any
      // order on a busy machine): what counts is that exactly three tries reached the token.
      assert.deepEqual(reasons.sort(), ['PIN_INCORRECT', 'PIN_INCORRECT', 'PIN_INCORRECT', 'PIN_THROTTLED', 'PIN_THROTTLED', 'PIN_THROTTLED']);
      const token = (await client.request('token.list', undefined)).tokens.find((t) => t.provider === 'soft');
      assert.equal(token?.pin.retriesLeft, SOFT_TOKEN_MAX_TRIES - 3);
    } finally {
      client.close();
      await agent.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
