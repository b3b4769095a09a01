// Every scenario of the mock, as a page (or a portal's Node test) sees it over the wire, switched at run time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AgentError, SUBPROTOCOL, type AgentClient, type NotificationMap } from '@sicert/protocol';
import WebSocket from 'ws';
import { connect, TEST_ORIGIN, upgradeStatus } from '@sicert/test-support/agent-client';
import { toBase64 } from '@sicert/pki/light';
import { MOCK_MAX_TRIES, MOCK_TOKEN_ID, OUTDATED_AGENT_VERSION, startMockAgent, type MockAgent } from '../src/index.js';

const data = toBase64(new TextEncoder().encode('社保缴费申报'));

async function failure(promise: Promise<unknown>): Promise<AgentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AgentError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function health(mock: MockAgent, origin = TEST_ORIGIN): Promise<{ status: number; cors: string | null; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${mock.port}/v1/health`, { headers: { origin } });
  return { status: response.status, cors: response.headers.get('access-control-allow-origin'), body: await response.json() };
}

describe('mock scenarios', () => {
  let mock: MockAgent;
  let client: AgentClient;
  const events: string[] = [];
  beforeEach(async () => {
    mock = await startMockAgent({ origins: [TEST_ORIGIN], slowMs: 1_000 });
    client = connect(mock.url);
    events.length = 0;
    const record = (name: keyof NotificationMap) => (params: unknown) => events.push(`${name} ${JSON.stringify(params)}`);
    client.on('token.added', record('token.added'));
    client.on('token.removed', record('token.removed'));
    client.on('token.changed', record('token.changed'));
    await client.connect();
  });
  afterEach(async () => {
    client.close();
    await mock.close();
  });

  const certId = async () => (await client.request('cert.list', {})).certificates[0]!.id;
  const untilEvents = async (n: number) => {
    // Notifications travel on the same socket as answers: one round trip after the change has carried them.
    await client.request('agent.info', undefined);
    assert.equal(events.length, n, events.join('\n'));
  };

  it('valid: a v1 agent with a USB-Key and a valid certificate', async () => {
    assert.deepEqual((await health(mock)).body, { name: 'sicert-agent', agentVersion: '1.0.0-mock', protocol: 1, status: 'ok' });
    const info = await client.request('agent.info', undefined);
    assert.ok(info.capabilities.includes('sign.batch') && info.capabilities.includes('token.events'));
    const { tokens } = await client.request('token.list', undefined);
    assert.equal(tokens[0]!.id, MOCK_TOKEN_ID);
    assert.equal((await client.request('cert.list', {})).certificates[0]!.status, 'valid');
  });

  it('expiring and expired: the certificate status, announced as token.changed when switched', async () => {
    await mock.setScenario('expiring');
    assert.equal((await client.request('cert.list', {})).certificates[0]!.status, 'expiring');
    await mock.setScenario('expired');
    assert.equal((await client.request('cert.list', {})).certificates[0]!.status, 'expired');
    await untilEvents(2);
    assert.ok(events.every((e) => e.startsWith('token.changed')));
  });

  it('locked: PIN_LOCKED, and the token says so', async () => {
    await mock.setScenario('locked');
    assert.equal((await client.request('token.list', undefined)).tokens[0]!.pin.locked, true);
    assert.equal((await failure(client.request('sign.data', { certId: await certId(), pin: mock.pin, data }))).reason, 'PIN_LOCKED');
  });

  it('wrong-pin: retries left count down to a lock, each announced as token.changed', async () => {
    await mock.setScenario('wrong-pin');
    const id = await certId();
    const seen: (number | string | undefined)[] = [];
    for (let i = 0; i < MOCK_MAX_TRIES; i++) {
      const error = await failure(client.request('sign.data', { certId: id, pin: mock.pin, data }));
      seen.push(error.reason === 'PIN_INCORRECT' ? error.retriesLeft : error.reason);
    }
    assert.deepEqual(seen, [4, 3, 2, 1, 'PIN_LOCKED']);
    await untilEvents(MOCK_MAX_TRIES);
    const last = JSON.parse(events.at(-1)!.slice('token.changed '.length)) as NotificationMap['token.changed'];
    assert.deepEqual(last.token.pin, { initialized: true, locked: true, countLow: true, finalTry: false, retriesLeft: 0 });
  });

  it('a wrong PIN counts down in any scenario and a right one resets the count', async () => {
    const id = await certId();
    assert.equal((await failure(client.request('sign.data', { certId: id, pin: 'Wrong2468x', data }))).retriesLeft, MOCK_MAX_TRIES - 1);
    await client.request('sign.data', { certId: id, pin: mock.pin, data });
    assert.equal((await client.request('token.list', undefined)).tokens[0]!.pin.retriesLeft, MOCK_MAX_TRIES);
  });

  it('slow: a signature is answered after requests sent later', async () => {
    await mock.setScenario('slow');
    const order: string[] = [];
    const signing = client.request('sign.data', { certId: await certId(), pin: mock.pin, data }).then(() => order.push('sign.data'));
    await client.request('token.list', undefined).then(() => order.push('token.list'));
    await signing;
    assert.deepEqual(order, ['token.list', 'sign.data']);
  });

  it('unplugged, plug() and unplug(): token.added / token.removed, and TOKEN_REMOVED for its certificate', async () => {
    const id = await certId();
    mock.unplug();
    await untilEvents(1);
    assert.deepEqual(events, [`token.removed {"tokenId":"${MOCK_TOKEN_ID}"}`]);
    assert.deepEqual((await client.request('token.list', undefined)).tokens, []);
    assert.equal((await failure(client.request('sign.data', { certId: id, pin: mock.pin, data }))).reason, 'TOKEN_REMOVED');
    mock.plug();
    await untilEvents(2);
    assert.ok(events[1]!.startsWith('token.added'));
    await mock.setScenario('unplugged');
    assert.deepEqual((await client.request('cert.list', {})).certificates, []);
  });

  it('a USB-Key pulled during a slow signature fails it with TOKEN_REMOVED at once', { timeout: 20_000 }, async () => {
    // Far longer than any test's timeout: only the pull can end this signature.
    const slow = await startMockAgent({ origins: [TEST_ORIGIN], scenario: 'slow', slowMs: 600_000 });
    const page = connect(slow.url);
    try {
      const id = (await page.request('cert.list', {})).certificates[0]!.id;
      const signing = failure(page.request('sign.data', { certId: id, pin: slow.pin, data }));
      await page.request('token.list', undefined);
      slow.unplug();
      assert.equal((await signing).reason, 'TOKEN_REMOVED');
    } finally {
      page.close();
      await slow.close();
    }
  });

  it('not-allowed: no CORS for the page and its upgrade refused, though its origin is listed', async () => {
    assert.equal((await health(mock)).cors, TEST_ORIGIN);
    // A page connected before: closed with 1008, as the real agent closes a denied origin's connections.
    const open = new WebSocket(mock.url, SUBPROTOCOL, { headers: { origin: TEST_ORIGIN } });
    await new Promise((resolve, reject) => open.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => open.once('close', (code) => resolve(code)));
    await mock.setScenario('not-allowed');
    assert.equal(await closed, 1008);
    assert.equal((await health(mock)).cors, null);
    assert.equal(await upgradeStatus(mock.url, { origin: TEST_ORIGIN }), 403);
  });

  it('refuses an origin not listed, a foreign Host, and a missing subprotocol, as the real agent does', async () => {
    assert.equal(await upgradeStatus(mock.url, { origin: 'https://elsewhere.example' }), 403);
    assert.equal((await health(mock, 'https://elsewhere.example')).cors, null);
    assert.equal(await upgradeStatus(mock.url, { origin: TEST_ORIGIN, host: 'attacker.example:80' }), 403);
    assert.equal(await upgradeStatus(mock.url, { origin: TEST_ORIGIN, protocol: 'other' }), 403);
    assert.equal(await upgradeStatus(mock.url, { origin: TEST_ORIGIN }), 101);
  });

  for (const scenario of ['not-running', 'permission-denied'] as const) {
    it(`${scenario}: nothing listens, on the same port once switched back`, async () => {
      await mock.setScenario(scenario);
      await assert.rejects(fetch(`http://127.0.0.1:${mock.port}/v1/health`));
      assert.equal(await upgradeStatus(mock.url, { origin: TEST_ORIGIN }), 0);
      await mock.setScenario('valid');
      assert.equal((await health(mock)).status, 200);
    });
  }

  it('outdated: protocol 0 and an old version in the health answer', async () => {
    await mock.setScenario('outdated');
    assert.deepEqual((await health(mock)).body, { name: 'sicert-agent', agentVersion: OUTDATED_AGENT_VERSION, protocol: 0, status: 'ok' });
  });

  it('missing-capability: no sign.batch in agent.info, and METHOD_NOT_FOUND for it', async () => {
    await mock.setScenario('missing-capability');
    assert.equal((await client.request('agent.info', undefined)).capabilities.includes('sign.batch'), false);
    const error = await failure(client.request('sign.batch', { certId: await certId(), pin: mock.pin, items: [{ data }] }));
    assert.equal(error.reason, 'METHOD_NOT_FOUND');
  });

  it('answers bad params with INVALID_PARAMS and an unknown certificate with CERT_NOT_FOUND', async () => {
    assert.equal((await failure(client.request('sign.data', { certId: 'nope', pin: mock.pin, data }))).reason, 'CERT_NOT_FOUND');
    assert.equal((await failure(client.request('sign.data', { certId: await certId(), pin: mock.pin } as never))).reason, 'INVALID_PARAMS');
  });
});
