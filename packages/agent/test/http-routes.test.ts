// The agent's plain HTTP (GET/HEAD/OPTIONS /v1/health, 404 for the rest, 403 for a foreign Host) served by
// node:http. The expected answers are the exact bytes the express version gave (recorded from it, the Date header
// aside), so a page, a health monitor or the doctor sees no difference; the one deliberate change is that
// `If-None-Match: *` no longer turns the health answer into a bodiless 304.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { requestPath } from '../src/http-routes.js';
import { TEST_ORIGIN } from '@sicert/test-support/agent-client';

const BODY = '{"name":"sicert-agent","agentVersion":"0.1.0","protocol":1,"status":"ok"}';
const KEEP = 'Date: X\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n';
const CORS = `Access-Control-Allow-Origin: ${TEST_ORIGIN}\r\nVary: Origin\r\n`;
const OK_HEAD = `Cache-Control: no-store\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${BODY.length}\r\n${KEEP}`;
const OK = `HTTP/1.1 200 OK\r\n${OK_HEAD}${BODY}`;
const NOT_FOUND = `HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 10\r\n${KEEP}Not found\n`;

/**
 * Sends `text` over a raw socket and half-closes it: node answers every request it read, then closes, so the
 * whole answer is what arrived before the close (no timing involved).
 */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received.replace(/\r\nDate: [^\r]*\r\n/g, '\r\nDate: X\r\n')));
    socket.end(text);
  });
}

describe('agent HTTP routes (node:http, the bytes express gave)', () => {
  let home: string;
  let agent: RunningAgent;
  let host: string;
  const get = (target: string, headers = '', method = 'GET') => exchange(agent.port, `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n${headers}\r\n`);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'sicert-http-'));
    agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN], softToken: false }, createLogger('error', () => undefined));
    host = `127.0.0.1:${agent.port}`;
  });
  after(async () => {
    await agent.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('GET /v1/health: CORS and Private Network Access for an allowed page only, no X-Powered-By, no ETag', async () => {
    assert.equal(await get('/v1/health', `Origin: ${TEST_ORIGIN}\r\n`), `HTTP/1.1 200 OK\r\n${CORS}${OK_HEAD}${BODY}`);
    assert.equal(
      await get('/v1/health', `Origin: ${TEST_ORIGIN}\r\nAccess-Control-Request-Private-Network: true\r\n`),
      `HTTP/1.1 200 OK\r\n${CORS}Access-Control-Allow-Private-Network: true\r\n${OK_HEAD}${BODY}`,
    );
    assert.equal(await get('/v1/health', 'Origin: https://evil.example\r\nAccess-Control-Request-Private-Network: true\r\n'), OK);
    assert.equal(await get('/v1/health'), OK);
  });

  it('OPTIONS /v1/health: 204 with the allowed methods for an allowed page, 403 for any other', async () => {
    const preflight = `Origin: ${TEST_ORIGIN}\r\nAccess-Control-Request-Private-Network: true\r\nAccess-Control-Request-Method: GET\r\n`;
    assert.equal(
      await get('/v1/health', preflight, 'OPTIONS'),
      `HTTP/1.1 204 No Content\r\n${CORS}Access-Control-Allow-Private-Network: true\r\nAccess-Control-Allow-Methods: GET\r\nAccess-Control-Max-Age: 600\r\n${KEEP}`,
    );
    const refused = `HTTP/1.1 403 Forbidden\r\n${KEEP.replace('\r\n\r\n', '\r\nContent-Length: 0\r\n\r\n')}`;
    assert.equal(await get('/v1/health', 'Origin: https://evil.example\r\n', 'OPTIONS'), refused);
    assert.equal(await get('/v1/health', '', 'OPTIONS'), refused);
    assert.equal(await get('/elsewhere', `Origin: ${TEST_ORIGIN}\r\n`, 'OPTIONS'), NOT_FOUND.replace('\r\nContent-Type', `\r\n${CORS}Content-Type`));
  });

  it('HEAD /v1/health: the GET headers, Content-Length included, and no body', async () => {
    assert.equal(await get('/v1/health', `Origin: ${TEST_ORIGIN}\r\n`, 'HEAD'), `HTTP/1.1 200 OK\r\n${CORS}${OK_HEAD}`);
    assert.equal(await get('/elsewhere', '', 'HEAD'), NOT_FOUND.replace('Not found\n', ''));
  });

  it('other methods on /v1/health are 404, as any other path, with CORS for an allowed page', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'TRACE']) assert.equal(await get('/v1/health', 'Content-Length: 0\r\n', method), NOT_FOUND, method);
    assert.equal(await get('/v1/health', `Origin: ${TEST_ORIGIN}\r\nContent-Length: 3\r\n\r\nabc`.slice(0, -2), 'POST'), NOT_FOUND.replace('\r\nContent-Type', `\r\n${CORS}Content-Type`));
    for (const path of ['/', '/v1', '/v1/health//', '/v1/%68ealth', '//v1/health', '/v1/./health', '/v1/health;x', '*']) assert.equal(await get(path), NOT_FOUND, path);
  });

  it('the path as express matched it: any query or fragment, one trailing slash, any letter case, absolute form', async () => {
    for (const target of ['/v1/health?x=1&y=%zz', '/v1/health?', '/v1/health#x', '/v1/health/', '/V1/HEALTH', `http://${host}/v1/health`, 'https://elsewhere/V1/Health/?q']) {
      assert.equal(await get(target), OK, target);
    }
  });

  it('a long URL: 8 KB of query is served; past the header limit node answers 431 and the agent serves on', async () => {
    assert.equal(await get(`/v1/health?${'a'.repeat(8_000)}`), OK);
    assert.equal(await get(`/v1/health?${'a'.repeat(20_000)}`), 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
    assert.equal(await get('/v1/health'), OK);
  });

  it('a foreign or missing Host is refused before anything else, on every path and method', async () => {
    const refused = `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\n${KEEP}Forbidden: wrong Host\n`;
    assert.equal(await exchange(agent.port, `GET /v1/health HTTP/1.1\r\nHost: evil.example:${agent.port}\r\nOrigin: ${TEST_ORIGIN}\r\n\r\n`), refused);
    assert.equal(await exchange(agent.port, `OPTIONS /v1/health HTTP/1.1\r\nHost: evil.example:${agent.port}\r\nOrigin: ${TEST_ORIGIN}\r\n\r\n`), refused);
    assert.equal(await exchange(agent.port, 'GET /v1/health HTTP/1.0\r\n\r\n'), refused.replace(KEEP, 'Date: X\r\nConnection: close\r\n\r\n'));
  });

  it('keeps the connection for pipelined requests, and never answers 304', async () => {
    assert.equal(await exchange(agent.port, `GET /v1/health HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), OK + NOT_FOUND.replace(KEEP, 'Date: X\r\nConnection: close\r\n\r\n'));
    assert.equal(await get('/v1/health', 'If-None-Match: *\r\n'), OK);
    assert.equal(await get('/v1/health', 'If-Modified-Since: Wed, 21 Oct 2099 07:28:00 GMT\r\n'), OK);
  });

  it('requestPath drops the query, the fragment and an absolute form\'s scheme and authority, and decodes nothing', () => {
    assert.equal(requestPath('/v1/health?a#b'), '/v1/health');
    assert.equal(requestPath('/v1/health#a?b'), '/v1/health');
    assert.equal(requestPath('http://127.0.0.1:1/v1/health?x'), '/v1/health');
    assert.equal(requestPath('http://127.0.0.1:1'), '/');
    assert.equal(requestPath('/v1/%68ealth'), '/v1/%68ealth');
    assert.equal(requestPath('*'), '*');
  });
});
