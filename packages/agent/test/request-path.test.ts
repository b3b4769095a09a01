// Every request gets an answer: the documented 4 MiB sign.data through the real agent, and a failure anywhere in
// dispatch answered as INTERNAL with the request's id instead of leaving the page to time out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64, verifySignedData } from '@sicert/pki';
import { AgentClient, MAX_SIGN_BYTES, type RpcResponse } from '@sicert/protocol';
import { createLogger, defaultConfig, Dispatcher, OriginAllowlist, startAgent, type RunningAgent } from '../src/index.js';
import type { CallContext, Handlers } from '../src/methods/context.js';
import { startServer } from '../src/server.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { nodeSocket, rawExchange, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';

const PIN = 'Home2468x';
const quiet = () => createLogger('error', () => undefined);
const context: CallContext = { connectionId: 1, origin: TEST_ORIGIN, signal: new AbortController().signal };

/** Resolves with the first answer, or rejects after `ms` (an unanswered request is the defect under test). */
function answerWithin(url: string, text: string, ms: number): Promise<unknown> {
  return Promise.race([rawExchange(url, text), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

describe('every request is answered', () => {
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let certs: ProvisionedCerts;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-request-path-'));
    ca = await createTestCa();
    agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, quiet());
    certs = await provisionSoft(agent.softToken!, PIN, ca);
  });
  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('signs sign.data with the documented 4 MiB of data over the WebSocket (verified by pkijs and OpenSSL)', async () => {
    const data = new Uint8Array(MAX_SIGN_BYTES);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 9)) & 0xff;
    const params = { certId: certs['ECDSA-P256'], pin: PIN, data: toBase64(data) };
    // The frame carrying the largest allowed data must fit the agent's message limit, or the limit is not served.
    const frame = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sign.data', params });
    assert.ok(Buffer.byteLength(frame) + 1024 <= agent.config.maxMessageBytes, 'maxMessageBytes must carry 4 MiB of data with room for the envelope');
    const client = new AgentClient(agent.url, { createSocket: nodeSocket(), reconnect: false, requestTimeoutMs: 20_000 });
    try {
      // A page signs small things first. It matters: V8 interprets a regular expression on its first run and
      // compiles it afterwards, and only the compiled backtracking overflowed the stack on a few MiB.
      await client.request('sign.data', { certId: certs['ECDSA-P256'], pin: PIN, data: toBase64(data.subarray(0, 300)) });
      const result = await client.request('sign.data', params);
      const cms = fromBase64(result.signature);
      const expectedSigner = { certificate: fromBase64(result.certificate) };
      const verdict = await verifySignedData(cms, { content: data, expectedSigner, trustedRoots: [ca.root] });
      assert.equal(verdict.valid, true, verdict.message);
      const openssl = opensslVerifyCms(cms, ca.root, data);
      assert.equal(openssl.ok, true, openssl.output);
      // Attached: the answer carries the 4 MiB inside the CMS, and the client checks that base64 the same way.
      const attached = fromBase64((await client.request('sign.data', { ...params, format: 'cms-attached' })).signature);
      assert.equal((await verifySignedData(attached, { content: data, expectedSigner, trustedRoots: [ca.root] })).valid, true);
      assert.equal(opensslVerifyCms(attached, ca.root).ok, true);
    } finally {
      client.close();
    }
  });

  it('refuses data over 4 MiB with INVALID_PARAMS, answered at once', async () => {
    const data = Buffer.alloc(MAX_SIGN_BYTES + 3, 1).toString('base64');
    const answer = (await answerWithin(agent.url, JSON.stringify({ jsonrpc: '2.0', id: 'big', method: 'sign.data', params: { certId: certs['ECDSA-P256'], pin: PIN, data } }), 10_000)) as RpcResponse;
    assert.equal(answer.id, 'big');
    assert.ok('error' in answer);
    assert.equal(answer.error.data?.reason, 'INVALID_PARAMS');
  });
});

describe('a failure in dispatch itself', () => {
  it('is answered by the dispatcher as INTERNAL with the request id, without details', async () => {
    // A handler table that throws when read: the failure happens outside any method, in routing.
    const handlers = new Proxy({} as Handlers, {
      get() {
        throw new Error('routing table exploded: secret detail');
      },
    });
    const dispatcher = new Dispatcher(handlers, quiet());
    const answer = await dispatcher.handle(JSON.stringify({ jsonrpc: '2.0', id: 42, method: 'agent.info' }), context);
    assert.deepEqual(answer, { jsonrpc: '2.0', id: 42, error: { code: -32603, message: 'Internal error: see the agent log', data: { reason: 'INTERNAL' } } });
  });

  it('is answered by the server as INTERNAL with the request id when dispatch rejects', async () => {
    class RejectingDispatcher extends Dispatcher {
      override handle(): Promise<RpcResponse | undefined> {
        return Promise.reject(new Error('dispatch broke'));
      }
    }
    const config = { ...defaultConfig(), port: 0, allowOrigins: [TEST_ORIGIN] };
    const server = await startServer(config, new OriginAllowlist(config.allowOrigins), new RejectingDispatcher({}, quiet()), quiet());
    try {
      const url = `ws://127.0.0.1:${server.port}/v1`;
      const answer = (await answerWithin(url, JSON.stringify({ jsonrpc: '2.0', id: 'req-7', method: 'agent.info' }), 10_000)) as RpcResponse;
      assert.equal(answer.id, 'req-7');
      assert.ok('error' in answer);
      assert.equal(answer.error.data?.reason, 'INTERNAL');
      const garbled = (await answerWithin(url, '{"id": 3, ', 10_000)) as RpcResponse;
      assert.equal(garbled.id, null);
    } finally {
      await server.close();
    }
  });
});
