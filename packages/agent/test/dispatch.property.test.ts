// Property tests over the real dispatcher with the real software token: for any frame, a request with an id gets
// exactly one answer, a result or a structured error with a known reason, and the agent keeps serving.
// The token is set up and then locked, so PIN-carrying methods are refused early (no scrypt per frame) while
// every method still runs through the providers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { checkRequest, isMethod, isReason, paramsChecks, resultChecks, type RpcResponse } from '@sicert/protocol';
import { AuditLog, createDispatcher, createLogger, defaultConfig, KeyedQueue, PinThrottle, SOFT_TOKEN_MAX_TRIES, SoftTokenProvider, startAgent, type CallContext, type Dispatcher } from '../src/index.js';
import { createTestCa } from '@sicert/test-support/test-ca';
import { TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';

const PIN = 'Home2468x';
const METHODS = Object.keys(paramsChecks);

/** Frames of every kind: garbage, arbitrary JSON, and near-valid requests with random methods and params. */
function frames(certs: ProvisionedCerts): fc.Arbitrary<string> {
  const certId = fc.oneof(fc.constantFrom(certs['ECDSA-P256'], certs['RSA-2048'], 'soft-default/00', 'p11-x/ab', 'soft-default'), fc.string());
  const tokenId = fc.oneof(fc.constantFrom('soft-default', 'p11-nothing', ''), fc.string());
  const base64 = fc.oneof(fc.base64String({ maxLength: 400 }), fc.base64String({ minLength: 44, maxLength: 44 }), fc.string());
  const pin = fc.oneof(fc.string({ minLength: 1, maxLength: 70 }), fc.constant(PIN), fc.anything());
  const params = fc.oneof(
    fc.record(
      {
        certId,
        tokenId,
        pin,
        data: base64,
        digest: base64,
        digestAlgorithm: fc.constantFrom('SHA-256', 'SHA-1'),
        format: fc.constantFrom('cms-detached', 'cms-attached', 'raw', 'pkcs7'),
        keyId: fc.oneof(fc.stringMatching(/^[0-9a-f]{2,40}$/), fc.string()),
        // RSA key generation costs far more than anything else, so it comes up rarely.
        algorithm: fc.oneof({ arbitrary: fc.constantFrom('ECDSA-P256', 'SM2', 'ed25519'), weight: 20 }, { arbitrary: fc.constant('RSA-2048'), weight: 1 }),
        label: fc.string(),
        subject: fc.oneof(fc.dictionary(fc.constantFrom('CN', 'O', 'C', 'X', '__proto__'), fc.string()), fc.anything()),
        certificate: base64,
        chain: fc.array(base64, { maxLength: 10 }),
      },
      { requiredKeys: [] },
    ),
    fc.anything({ withNullPrototype: false }),
  );
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constantFrom(null, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, true), fc.anything());
  const method = fc.oneof({ arbitrary: fc.constantFrom(...METHODS), weight: 6 }, { arbitrary: fc.constantFrom('key.steal', '__proto__', 'constructor', 'toString', 'hasOwnProperty', ''), weight: 1 }, { arbitrary: fc.string(), weight: 1 });
  const request = fc
    .record({ jsonrpc: fc.oneof({ arbitrary: fc.constant('2.0'), weight: 8 }, { arbitrary: fc.anything(), weight: 1 }), id, method, params }, { requiredKeys: ['method'] })
    .map((r) => JSON.stringify(r));
  const deep = fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);
  return fc.oneof(
    { arbitrary: request, weight: 12 },
    { arbitrary: fc.json(), weight: 2 },
    { arbitrary: fc.string(), weight: 2 },
    { arbitrary: fc.array(request, { maxLength: 3 }).map((batch) => `[${batch.join(',')}]`), weight: 1 },
    { arbitrary: fc.constantFrom('1e400', '{"jsonrpc":"2.0","id":1e400,"method":"agent.info"}', '{"__proto__":{"id":1},"method":"agent.info"}', 'null', '""'), weight: 1 },
    { arbitrary: deep, weight: 1 },
  );
}

function parse(frame: string): { message: unknown; isObject: boolean } {
  try {
    const message: unknown = JSON.parse(frame);
    return { message, isObject: typeof message === 'object' && message !== null && !Array.isArray(message) };
  } catch {
    return { message: undefined, isObject: false };
  }
}

/** A JSON-RPC notification (no id): the one kind of frame that gets no answer. */
function isNotification(frame: string): boolean {
  const { message, isObject } = parse(frame);
  return isObject && !('id' in (message as object)) && 'method' in (message as object);
}

/** Checks the one answer the dispatcher gave to `frame`. */
function checkAnswer(frame: string, answer: RpcResponse | undefined): void {
  const { message, isObject } = parse(frame);
  if (isNotification(frame)) {
    assert.equal(answer, undefined, 'a notification gets no answer');
    return;
  }
  assert.ok(answer, `no answer to ${frame.slice(0, 200)}`);
  assert.equal(answer.jsonrpc, '2.0');
  if ('result' in answer) {
    assert.ok(checkRequest(message));
    assert.equal(answer.id, message.id);
    assert.ok(isMethod(message.method));
    assert.equal(resultChecks[message.method](answer.result, 'result'), undefined, 'a result has the protocol shape');
    return;
  }
  assert.ok(Number.isInteger(answer.error.code));
  assert.ok(isReason(answer.error.data?.reason), `unknown reason ${String(answer.error.data?.reason)}`);
  const id = isObject ? (message as { id?: unknown }).id : undefined;
  assert.equal(answer.id, typeof id === 'string' || Number.isInteger(id) ? id : null);
  const pin = isObject ? ((message as { params?: { pin?: unknown } }).params?.pin ?? null) : null;
  if (typeof pin === 'string' && pin.length >= 8 && pin !== (message as { method?: unknown }).method) assert.equal(answer.error.message.includes(pin), false, 'an error never echoes the PIN');
}

describe('dispatcher (property tests, real software token)', () => {
  let home: string;
  let certs: ProvisionedCerts;
  let dispatcher: Dispatcher;
  const context: CallContext = { connectionId: 1, origin: TEST_ORIGIN, signal: new AbortController().signal };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-dispatch-property-'));
    const soft = new SoftTokenProvider(home);
    certs = await provisionSoft(soft, PIN, await createTestCa());
    const [tokenId, keyId] = certs['ECDSA-P256'].split('/') as [string, string];
    const key = { tokenId, keyId };
    for (let i = 0; i < SOFT_TOKEN_MAX_TRIES; i++) await soft.withKey(key, 'Wrong-pin-1', async () => undefined).catch(() => undefined);
    assert.equal((await soft.listTokens())[0]?.pin.locked, true);
    dispatcher = createDispatcher({ providers: [soft], audit: new AuditLog(join(home, 'audit.log')), logger: createLogger('error', () => undefined), tokenQueue: new KeyedQueue(), pinThrottle: new PinThrottle() });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('answers each of 10,000 arbitrary frames once, with a result or a structured error, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(frames(certs), async (frame) => {
        checkAnswer(frame, await dispatcher.handle(frame, context));
      }),
      { numRuns: 10_000 },
    );
    const info = await dispatcher.handle('{"jsonrpc":"2.0","id":"after","method":"agent.info"}', context);
    assert.ok(info && 'result' in info);
  });

  it('answers sign.data frames of 3 to just over 4 MiB (the documented limit)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3 * 1024 * 1024, max: 4 * 1024 * 1024 + 64 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('cms-detached', 'raw'), async (bytes, fill, format) => {
        const data = Buffer.alloc(bytes, fill).toString('base64');
        const frame = JSON.stringify({ jsonrpc: '2.0', id: bytes, method: 'sign.data', params: { certId: certs['ECDSA-P256'], pin: PIN, data, format } });
        const answer = await dispatcher.handle(frame, context);
        checkAnswer(frame, answer);
        // The token is locked: a request within the limit reaches it, one over the limit is refused as invalid.
        assert.equal(answer && 'error' in answer && answer.error.data?.reason, bytes <= 4 * 1024 * 1024 ? 'PIN_LOCKED' : 'INVALID_PARAMS');
      }),
      { numRuns: 12 },
    );
  });

  it('answers frames handled concurrently, each with its own id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frames(certs), { minLength: 1, maxLength: 16 }), async (batch) => {
        const answers = await Promise.all(batch.map((frame) => dispatcher.handle(frame, context)));
        batch.forEach((frame, i) => checkAnswer(frame, answers[i]));
      }),
      { numRuns: 300 },
    );
  });
});

describe('agent over WebSocket after arbitrary frames', () => {
  it('answers every frame except notifications exactly once (a result, an error or BUSY), then still answers agent.info', async () => {
    const home = mkdtempSync(join(tmpdir(), 'sicert-ws-property-'));
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    const ws = new WebSocket(agent.url, 'sicert.v1', { origin: TEST_ORIGIN });
    try {
      const answers: RpcResponse[] = [];
      ws.on('message', (data) => answers.push(JSON.parse((data as Buffer).toString('utf8')) as RpcResponse));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      const sample = fc.sample(frames({ 'ECDSA-P256': 'soft-default/00', 'RSA-2048': 'soft-default/01' }), { numRuns: 300, seed: 6 });
      const expected = sample.filter((frame) => !isNotification(frame)).length;
      for (const frame of sample) ws.send(frame);
      // Bounded wait for the answers (300 frames: beyond the burst allowance, some are answered BUSY).
      for (let i = 0; i < 1000 && answers.length < expected; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(answers.length, expected);
      for (const answer of answers) assert.ok('result' in answer || isReason(answer.error.data?.reason));
      let info: RpcResponse | undefined;
      for (let i = 0; i < 100 && !(info && 'result' in info); i++) {
        await new Promise((r) => setTimeout(r, 20));
        ws.send(`{"jsonrpc":"2.0","id":"probe${i}","method":"agent.info"}`);
        for (let j = 0; j < 100 && !answers.some((a) => a.id === `probe${i}`); j++) await new Promise((r) => setTimeout(r, 5));
        info = answers.find((a) => a.id === `probe${i}`);
      }
      assert.ok(info && 'result' in info, 'agent.info is answered after the burst');
    } finally {
      ws.close();
      await agent.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
