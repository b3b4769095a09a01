// The dispatcher on its own: each routing branch, each error mapping and the helpers it is built from. The
// handlers are the dispatcher's own seam (what the agent passes in), so plain functions stand in for methods.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentError, ErrorCode, Reason, type RpcResponse } from '@sicert/protocol';
import { Dispatcher, idOf, idOfText, internalFailure, isNotification, parseOrUndefined, rpcFailure } from '../src/dispatch.js';
import { createLogger } from '../src/log.js';
import type { CallContext, Handlers } from '../src/methods/context.js';

const CONTEXT: CallContext = { connectionId: 7, origin: 'https://portal.example.cn', signal: new AbortController().signal };
const INFO = { agentVersion: '1.2.3', protocol: 1 as const, providers: ['soft'], capabilities: [], algorithms: ['ECDSA-P256'] };
const PIN = 'Secret7531x';

function dispatcher(handlers: Handlers): { dispatcher: Dispatcher; lines: string[] } {
  const lines: string[] = [];
  return { dispatcher: new Dispatcher(handlers, createLogger('debug', (line) => lines.push(line))), lines };
}

const request = (method: string, params?: unknown, id: unknown = 1) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const failure = (response: RpcResponse | undefined) => {
  assert.ok(response && 'error' in response, `expected an error, got ${JSON.stringify(response)}`);
  return response;
};

describe('rpcFailure', () => {
  it('carries the reason, and the tries left or the wait only when given', () => {
    assert.deepEqual(rpcFailure(3, -32000, 'm', Reason.BUSY), { jsonrpc: '2.0', id: 3, error: { code: -32000, message: 'm', data: { reason: 'BUSY' } } });
    assert.deepEqual(rpcFailure('a', -32000, 'm', Reason.PIN_INCORRECT, { retriesLeft: 0 }).error.data, { reason: 'PIN_INCORRECT', retriesLeft: 0 });
    assert.deepEqual(rpcFailure(null, -32000, 'm', Reason.PIN_THROTTLED, { retryAfterMs: 1500 }).error.data, { reason: 'PIN_THROTTLED', retryAfterMs: 1500 });
    const both = rpcFailure(1, -32000, 'm', Reason.PIN_INCORRECT, { retriesLeft: 2, retryAfterMs: 9 });
    assert.deepEqual(both.error.data, { reason: 'PIN_INCORRECT', retriesLeft: 2, retryAfterMs: 9 });
    // undefined fields are left out, not sent as null
    assert.deepEqual(Object.keys(rpcFailure(1, -32000, 'm', Reason.BUSY, { retriesLeft: undefined, retryAfterMs: undefined }).error.data ?? {}), ['reason']);
  });

  it('internalFailure is INTERNAL with the internal-error code and no details', () => {
    assert.deepEqual(internalFailure(5), { jsonrpc: '2.0', id: 5, error: { code: ErrorCode.INTERNAL_ERROR, message: 'Internal error: see the agent log', data: { reason: 'INTERNAL' } } });
    assert.equal(internalFailure(null).id, null);
  });
});

describe('ids and notifications', () => {
  it('idOf takes a string or integer id of an object, and nothing else', () => {
    assert.equal(idOf({ id: 'x' }), 'x');
    assert.equal(idOf({ id: '' }), '');
    assert.equal(idOf({ id: 0 }), 0);
    assert.equal(idOf({ id: -4 }), -4);
    for (const value of [{ id: 1.5 }, { id: null }, { id: true }, { id: {} }, {}, null, undefined, 1, 'id', [{ id: 1 }], Object.assign([], { id: 2 })]) assert.equal(idOf(value), null, JSON.stringify(value));
  });

  it('isNotification: an object with a method and no id', () => {
    assert.equal(isNotification({ method: 'x' }), true);
    assert.equal(isNotification({ jsonrpc: '2.0', method: 'x', params: {} }), true);
    for (const value of [{ method: 'x', id: 1 }, { method: 'x', id: null }, { method: 'x', id: undefined }, {}, { params: {} }, [{ method: 'x' }], Object.assign([], { method: 'x' }), null, 'method', 3]) {
      assert.equal(isNotification(value), false, JSON.stringify(value));
    }
  });

  it('parseOrUndefined and idOfText never throw', () => {
    assert.equal(parseOrUndefined('{'), undefined);
    assert.equal(parseOrUndefined(''), undefined);
    assert.equal(parseOrUndefined('null'), null);
    assert.deepEqual(parseOrUndefined('{"a":[1]}'), { a: [1] });
    assert.equal(idOfText('{"id":9,'), null);
    assert.equal(idOfText('{"id":9}'), 9);
    assert.equal(idOfText('{"id":"q"}'), 'q');
    assert.equal(idOfText('[{"id":9}]'), null);
  });
});

describe('Dispatcher', () => {
  it('runs the method and answers its result under the request id', async () => {
    const seen: unknown[] = [];
    const { dispatcher: d } = dispatcher({ 'agent.info': (params, context) => (seen.push([params, context]), Promise.resolve(INFO)) });
    assert.deepEqual(await d.handle(request('agent.info', undefined, 'abc'), CONTEXT), { jsonrpc: '2.0', id: 'abc', result: INFO });
    // The method also learns the id it answers under (sign.batch's progress notifications carry it).
    assert.deepEqual(seen, [[undefined, { ...CONTEXT, requestId: 'abc' }]]);
  });

  it('answers text that is not JSON with a parse error and a null id', async () => {
    const response = failure(await dispatcher({}).dispatcher.handle('{"id":1,', CONTEXT));
    assert.deepEqual(response, { jsonrpc: '2.0', id: null, error: { code: ErrorCode.PARSE_ERROR, message: 'Parse error: the message is not JSON', data: { reason: 'INVALID_REQUEST' } } });
  });

  it('does not answer a notification, and does not run it', async () => {
    let ran = false;
    const { dispatcher: d } = dispatcher({ 'agent.info': () => ((ran = true), Promise.resolve(INFO)) });
    assert.equal(await d.handle(JSON.stringify({ jsonrpc: '2.0', method: 'agent.info' }), CONTEXT), undefined);
    assert.equal(ran, false);
  });

  it('refuses what is not a JSON-RPC 2.0 request, keeping the id when there is one', async () => {
    const { dispatcher: d } = dispatcher({ 'agent.info': () => Promise.resolve(INFO) });
    for (const [text, id] of [
      [JSON.stringify({ jsonrpc: '1.0', id: 4, method: 'agent.info' }), 4],
      [JSON.stringify({ jsonrpc: '2.0', id: 'k', method: 42 }), 'k'],
      [JSON.stringify({ jsonrpc: '2.0', id: 1.5, method: 'agent.info' }), null],
      [JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'agent.info' }]), null],
      ['42', null],
    ] as const) {
      const response = failure(await d.handle(text, CONTEXT));
      assert.equal(response.id, id, text);
      assert.equal(response.error.code, ErrorCode.INVALID_REQUEST, text);
      assert.equal(response.error.data?.reason, 'INVALID_REQUEST', text);
      assert.equal(response.error.message, 'Invalid request: expected a JSON-RPC 2.0 request with an id', text);
    }
  });

  it('says METHOD_NOT_FOUND for an unknown method, a method without a handler, and Object.prototype names', async () => {
    const { dispatcher: d } = dispatcher({ 'agent.info': () => Promise.resolve(INFO) });
    for (const method of ['key.steal', 'token.list', 'constructor', '__proto__', 'toString']) {
      const response = failure(await d.handle(request(method), CONTEXT));
      assert.deepEqual([response.id, response.error.code, response.error.data?.reason], [1, ErrorCode.METHOD_NOT_FOUND, 'METHOD_NOT_FOUND'], method);
      assert.equal(response.error.message, `Method not found: ${method}`);
    }
    const long = 'x'.repeat(500);
    assert.equal(failure(await d.handle(request(long), CONTEXT)).error.message, `Method not found: ${'x'.repeat(64)}`);
  });

  it('refuses params that do not match the protocol before the method runs, without echoing them', async () => {
    let ran = false;
    const { dispatcher: d } = dispatcher({ 'sign.data': () => ((ran = true), Promise.reject(new Error('must not run'))) });
    const response = failure(await d.handle(request('sign.data', { certId: 'c', pin: PIN, data: 17 }, 2), CONTEXT));
    assert.deepEqual([response.id, response.error.code, response.error.data?.reason], [2, ErrorCode.INVALID_PARAMS, 'INVALID_PARAMS']);
    assert.match(response.error.message, /^Invalid params: /);
    assert.equal(JSON.stringify(response).includes(PIN), false);
    assert.equal(ran, false);
  });

  it('maps an AgentError to its reason with the application code, tries left and wait', async () => {
    const errors: Record<string, AgentError> = {
      'sign.data': new AgentError(Reason.PIN_INCORRECT, 'the PIN is incorrect', { retriesLeft: 3 }),
      'key.generate': new AgentError(Reason.PIN_THROTTLED, 'wait', { retryAfterMs: 4000 }),
      'token.list': new AgentError(Reason.BUSY, 'busy'),
    };
    const { dispatcher: d } = dispatcher({
      'sign.data': () => Promise.reject(errors['sign.data']!),
      'key.generate': () => Promise.reject(errors['key.generate']!),
      'token.list': () => Promise.reject(errors['token.list']!),
    });
    assert.deepEqual(failure(await d.handle(request('sign.data', { certId: 'c', pin: PIN, data: 'AA==' }), CONTEXT)).error, {
      code: ErrorCode.APPLICATION,
      message: 'the PIN is incorrect',
      data: { reason: 'PIN_INCORRECT', retriesLeft: 3 },
    });
    assert.deepEqual(failure(await d.handle(request('key.generate', { tokenId: 't', pin: PIN, algorithm: 'ECDSA-P256' }), CONTEXT)).error, {
      code: ErrorCode.APPLICATION,
      message: 'wait',
      data: { reason: 'PIN_THROTTLED', retryAfterMs: 4000 },
    });
    assert.deepEqual(failure(await d.handle(request('token.list'), CONTEXT)).error, { code: ErrorCode.APPLICATION, message: 'busy', data: { reason: 'BUSY' } });
  });

  it('gives an AgentError of INVALID_PARAMS the invalid-params code', async () => {
    const { dispatcher: d } = dispatcher({ 'token.list': () => Promise.reject(new AgentError(Reason.INVALID_PARAMS, 'no')) });
    assert.deepEqual(failure(await d.handle(request('token.list'), CONTEXT)).error, { code: ErrorCode.INVALID_PARAMS, message: 'no', data: { reason: 'INVALID_PARAMS' } });
  });

  it('hides any other failure behind INTERNAL, and logs it without the params', async () => {
    for (const thrown of [new Error(`stack-and-secrets ${PIN}`), new AgentError(Reason.INTERNAL, `internal ${PIN}`), new TypeError('not a function')]) {
      const { dispatcher: d, lines } = dispatcher({ 'sign.data': () => Promise.reject(thrown) });
      const response = await d.handle(request('sign.data', { certId: 'c', pin: PIN, data: 'AA==' }, 11), CONTEXT);
      assert.deepEqual(response, internalFailure(11));
      assert.equal(lines.length, 1);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      assert.equal(line.message, 'method failed');
      assert.equal(line.method, 'sign.data');
      assert.equal(line.connection, 7);
      assert.equal(lines[0]!.includes('"certId"'), false, 'params are not logged');
    }
  });

  it('answers INTERNAL under the request id when routing itself throws, and never rejects', async () => {
    const handlers = {
      get 'agent.info'(): never {
        throw new Error('routing broke');
      },
    } as Handlers;
    const { dispatcher: d, lines } = dispatcher(handlers);
    assert.deepEqual(await d.handle(request('agent.info', undefined, 'r1'), CONTEXT), internalFailure('r1'));
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), { ...(JSON.parse(lines[0]!) as object), level: 'error', message: 'dispatch failed', connection: 7, error: 'routing broke' });
  });
});
