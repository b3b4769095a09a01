import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentError } from '@sicert/protocol';
import { createLogger, defaultConfig, isLoopbackHost, OriginAllowlist, resolveConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, rawExchange, TEST_ORIGIN, upgradeStatus } from '@sicert/test-support/agent-client';

function httpGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Failure = { id: unknown; error: { code: number; message: string; data: { reason: string } } };

describe('agent server', () => {
  let home: string;
  let agent: RunningAgent;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-server-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN, 'https://*.hrss.example.cn'] }, createLogger('error', () => undefined));
  });
  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('health answers version and protocol, with CORS only for allowed origins', async () => {
    const allowed = await httpGet(agent.port, '/v1/health', { origin: TEST_ORIGIN });
    assert.equal(allowed.status, 200);
    const body = JSON.parse(allowed.body) as { protocol: number; status: string; agentVersion: string };
    assert.equal(body.protocol, 1);
    assert.equal(body.status, 'ok');
    assert.equal(allowed.headers['access-control-allow-origin'], TEST_ORIGIN);
    const foreign = await httpGet(agent.port, '/v1/health', { origin: 'https://evil.example' });
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    const preflight = await httpGet(agent.port, '/v1/health', { origin: TEST_ORIGIN, 'access-control-request-private-network': 'true', 'access-control-request-method': 'GET' }, 'OPTIONS');
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-private-network'], 'true');
    assert.equal((await httpGet(agent.port, '/v1/health', { origin: 'https://evil.example' }, 'OPTIONS')).status, 403);
  });

  it('refuses a foreign Host on HTTP and on the WebSocket (DNS rebinding)', async () => {
    assert.equal((await httpGet(agent.port, '/v1/health', { host: `evil.example:${agent.port}` })).status, 403);
    assert.equal((await httpGet(agent.port, '/v1/health', { host: '127.0.0.1:1' })).status, 403);
    assert.equal(await upgradeStatus(agent.url, { origin: TEST_ORIGIN, host: `attacker.example:${agent.port}` }), 403);
    assert.equal(await upgradeStatus(agent.url, { origin: TEST_ORIGIN, host: `localhost:${agent.port}` }), 101);
  });

  it('refuses a WebSocket from an origin not on the allowlist, or with no origin, or without the subprotocol', async () => {
    assert.equal(await upgradeStatus(agent.url, { origin: 'https://evil.example' }), 403);
    assert.equal(await upgradeStatus(agent.url, { origin: 'null' }), 403);
    assert.equal(await upgradeStatus(agent.url, {}), 403);
    assert.equal(await upgradeStatus(agent.url, { origin: TEST_ORIGIN, protocol: 'other.v1' }), 403);
    assert.equal(await upgradeStatus(agent.url, { origin: 'https://rsj.hrss.example.cn' }), 101);
    assert.equal(await upgradeStatus(agent.url.replace('/v1', '/v2'), { origin: TEST_ORIGIN }), 404);
    await assert.rejects(connect(agent.url, 'https://evil.example').request('agent.info', undefined), (e: unknown) => (e as AgentError).reason === 'DISCONNECTED');
  });

  it('answers malformed input with structured errors and keeps serving', async () => {
    const parse = (await rawExchange(agent.url, '{not json')) as Failure;
    assert.equal(parse.error.code, -32700);
    assert.equal(parse.id, null);
    const notRpc = (await rawExchange(agent.url, JSON.stringify({ hello: 1 }))) as Failure;
    assert.equal(notRpc.error.code, -32600);
    const unknown = (await rawExchange(agent.url, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'key.steal' }))) as Failure;
    assert.equal(unknown.error.code, -32601);
    assert.equal(unknown.error.data.reason, 'METHOD_NOT_FOUND');
    assert.equal(unknown.id, 7);
    const badParams = (await rawExchange(agent.url, JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'sign.data', params: { certId: 'a', pin: 'Secret123', data: '%%%' } }))) as Failure;
    assert.equal(badParams.error.code, -32602);
    assert.equal(badParams.error.data.reason, 'INVALID_PARAMS');
    assert.equal(badParams.error.message.includes('Secret123'), false);
    const both = (await rawExchange(agent.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sign.data', params: { certId: 'a', pin: 'p', data: 'AA==', digest: 'AA==' } }))) as Failure;
    assert.equal(both.error.data.reason, 'INVALID_PARAMS');
    const binary = (await rawExchange(agent.url, Buffer.from([1, 2, 3]))) as Failure;
    assert.equal(binary.error.data.reason, 'INVALID_REQUEST');
    const client = connect(agent.url);
    try {
      assert.equal((await client.request('agent.info', undefined)).protocol, 1);
    } finally {
      client.close();
    }
  });

  it('recognises loopback hosts and origins exactly', () => {
    assert.equal(isLoopbackHost('127.0.0.1:21260', 21260), true);
    assert.equal(isLoopbackHost('LOCALHOST:21260', 21260), true);
    assert.equal(isLoopbackHost('[::1]:21260', 21260), true);
    assert.equal(isLoopbackHost('127.0.0.1', 21260), false);
    assert.equal(isLoopbackHost('127.0.0.1.evil.com:21260', 21260), false);
    const list = new OriginAllowlist(['https://a.example.cn', 'https://*.b.example.cn:8443']);
    assert.equal(list.allows('https://a.example.cn:443'), true);
    assert.equal(list.allows('http://a.example.cn'), false);
    assert.equal(list.allows('https://x.b.example.cn:8443'), true);
    assert.equal(list.allows('https://b.example.cn:8443'), false);
    assert.equal(list.allows('https://x.b.example.cn'), false);
    assert.equal(list.allows('https://evilb.example.cn:8443'), false);
    assert.equal(list.allows('http://x.b.example.cn:8443'), false, 'a plain-http page never matches an https wildcard');
    // An allowlist entry that is not an origin (a path, a query, credentials) is a configuration mistake: refused loudly.
    for (const entry of ['https://a.example.cn/path', 'https://a.example.cn/?q=1', 'https://a.example.cn/#x', 'https://user@a.example.cn', 'ftp://a.example.cn']) {
      assert.throws(() => new OriginAllowlist([entry]), /is not an origin/, entry);
    }
  });

  it('takes settings from flags over environment over file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-config-'));
    try {
      // <home>/config.json is found without being named; it sets every setting the test then overrides.
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ port: 5000, allowOrigins: ['https://file.cn'], softToken: true, logLevel: 'warn', maxInFlight: 3 }));
      const fileOnly = resolveConfig({ home: dir }, {});
      assert.deepEqual([fileOnly.port, fileOnly.allowOrigins, fileOnly.softToken, fileOnly.logLevel, fileOnly.maxInFlight], [5000, ['https://file.cn'], true, 'warn', 3]);
      const config = resolveConfig({ port: 3000, home: dir }, { SICERT_PORT: '4000', SICERT_ALLOW_ORIGINS: 'https://a.cn,https://b.cn', SICERT_SOFT_TOKEN: 'false' });
      assert.equal(config.port, 3000, 'a flag beats the environment and the file');
      assert.deepEqual(config.allowOrigins, ['https://a.cn', 'https://b.cn'], 'the environment beats the file');
      assert.equal(config.softToken, false, 'the environment beats the file');
      assert.equal(config.logLevel, 'warn', 'the file beats the default');
      assert.equal(config.maxInFlight, 3, 'the file beats the default');
      assert.equal(resolveConfig({ home: dir }, { SICERT_PORT: '4000' }).port, 4000, 'the environment beats the file');
      // A named file (flag, then SICERT_CONFIG) is read instead of <home>/config.json.
      const named = join(dir, 'named.json');
      writeFileSync(named, JSON.stringify({ port: 6000 }));
      const other = join(dir, 'other.json');
      writeFileSync(other, JSON.stringify({ port: 7000 }));
      assert.equal(resolveConfig({ home: dir }, { SICERT_CONFIG: named }).port, 6000);
      assert.equal(resolveConfig({ home: dir }, { SICERT_CONFIG: named }).logLevel, defaultConfig().logLevel);
      assert.equal(resolveConfig({ home: dir, config: other }, { SICERT_CONFIG: named }).port, 7000);
      assert.equal(resolveConfig({}, { SICERT_HOME: dir }).port, 5000, 'SICERT_HOME names where config.json is');
      assert.throws(() => resolveConfig({ home }, { SICERT_PORT: 'abc' }), /SICERT_PORT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
