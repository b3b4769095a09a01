// Hot-plug on real parts: a SoftHSM2 token directory that other programs change (softhsm2-util, pkcs11-tool)
// while the agent runs, and real WebSocket clients that receive token.added, token.removed and token.changed.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider, type RunningAgent } from '../src/index.js';
import { EventRecorder, pkcs11Tool, softhsmUtil, tokenIdOf, until } from './support/token-events.js';

const PIN = 'Plug2468x';
const SO_PIN = 'So24680x';
const DATA = toBase64(new TextEncoder().encode('2026年11月 缴费申报'));

describe('token events (hot-plug)', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let events: EventRecorder;

  const tokenByLabel = async (label: string) => (await client.request('token.list', undefined)).tokens.find((t) => t.label === label);

  /** A key and certificate on `tokenId` through the agent, as a page installs them; returns the certificate id. */
  async function enrol(tokenId: string, pin: string, holder: string): Promise<string> {
    const key = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: holder }, fromBase64(key.publicKey));
    return (await client.request('cert.install', { tokenId, pin, certificate: toBase64(certificate) })).certId;
  }

  before(async () => {
    hsm = createSoftHsm('sicert-hotplug');
    home = mkdtempSync(join(tmpdir(), 'sicert-hotplug-'));
    ca = await createTestCa();
    agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error'));
    client = connect(agent.url);
    events = new EventRecorder(client);
    // The connection listens from its opening on; an answer proves it is open.
    await client.request('agent.info', undefined);
  });

  after(async () => {
    events.stop();
    client.close();
    await agent.close();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('agent.info offers the capability token.events', async () => {
    assert.ok((await client.request('agent.info', undefined)).capabilities.includes('token.events'));
  });

  it('a token created by softhsm2-util while the agent runs is announced with token.added, and listed', async (t) => {
    const since = events.mark();
    const started = performance.now();
    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', 'plugged-in', '--pin', PIN, '--so-pin', SO_PIN);
    const created = performance.now();
    const added = await events.waitFor((e) => e.method === 'token.added' && e.params.token.label === 'plugged-in', since, 'token.added');
    t.diagnostic(`softhsm2-util took ${Math.round(created - started)} ms; token.added came ${Math.round(added.at - created)} ms after it exited`);
    assert.equal(added.method === 'token.added' && added.params.token.provider, 'pkcs11');
    assert.equal(added.method === 'token.added' && added.params.token.pin.initialized, true);
    assert.equal((await tokenByLabel('plugged-in'))?.id, tokenIdOf(added));
    // Only the new token was announced: the one already there and the free slot are not "added" again.
    assert.deepEqual(events.events.slice(since).filter((e) => e.method === 'token.added').map((e) => e.method === 'token.added' && e.params.token.label), ['plugged-in']);
  });

  it('a token seen half-made (its directory before its description) is announced once it is complete', async () => {
    // softhsm2-util makes the token's directory first and writes the token into it after; a re-initialisation in
    // between sees no token there. Made here step by step: the token is made in a store of its own, then moved in.
    const elsewhere = mkdtempSync(join(tmpdir(), 'sicert-elsewhere-'));
    try {
      const conf = join(elsewhere, 'softhsm2.conf');
      mkdirSync(join(elsewhere, 'tokens'));
      writeFileSync(conf, `directories.tokendir = ${join(elsewhere, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
      await softhsmUtil(conf, '--init-token', '--free', '--label', 'half-made', '--pin', PIN, '--so-pin', SO_PIN);
      const [made] = readdirSync(join(elsewhere, 'tokens'));
      const target = join(hsm.dir, 'tokens', made!);
      mkdirSync(target);
      // The agent looks now, and re-initialises SoftHSM2 with the directory still empty.
      assert.equal(await tokenByLabel('half-made'), undefined);
      const since = events.mark();
      for (const file of readdirSync(join(elsewhere, 'tokens', made!))) cpSync(join(elsewhere, 'tokens', made!, file), join(target, file));
      await events.waitFor((e) => e.method === 'token.added' && e.params.token.label === 'half-made', since, 'token.added of the completed token');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('a certificate installed through the agent on a USB-Key gives token.changed for that token', async () => {
    const token = (await tokenByLabel('plugged-in'))!;
    const key = await client.request('key.generate', { tokenId: token.id, pin: PIN, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '钱七' }, fromBase64(key.publicKey));
    const since = events.mark();
    await client.request('cert.install', { tokenId: token.id, pin: PIN, certificate: toBase64(certificate) });
    await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed after cert.install');
  });

  it('a certificate written or deleted by another program gives token.changed', async () => {
    const token = (await tokenByLabel('plugged-in'))!;
    const der = join(home, 'ca.der');
    writeFileSync(der, ca.root);
    let since = events.mark();
    await pkcs11Tool(hsm.conf, '--module', hsm.module, '--token-label', 'plugged-in', '--login', '--pin', PIN, '--write-object', der, '--type', 'cert', '--id', '0a0b', '--label', 'external');
    await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed after an external write');
    assert.ok((await client.request('cert.list', { tokenId: token.id })).certificates.some((c) => c.id === `${token.id}/0a0b`));
    since = events.mark();
    await pkcs11Tool(hsm.conf, '--module', hsm.module, '--token-label', 'plugged-in', '--login', '--pin', PIN, '--delete-object', '--type', 'cert', '--id', '0a0b');
    await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed after an external delete');
  });

  it('a wrong PIN changes the PIN state, announced with token.changed; the right PIN clears it again', async () => {
    const token = (await tokenByLabel('plugged-in'))!;
    const certId = (await client.request('cert.list', { tokenId: token.id })).certificates[0]!.id;
    let since = events.mark();
    await assert.rejects(client.request('sign.data', { certId, pin: 'Wrong2468x', data: DATA }), (e: unknown) => e instanceof AgentError && e.reason === 'PIN_INCORRECT');
    const low = await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed after a wrong PIN');
    assert.equal(low.method === 'token.changed' && low.params.token.pin.countLow, true);
    since = events.mark();
    await client.request('sign.data', { certId, pin: PIN, data: DATA });
    const cleared = await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === token.id, since, 'token.changed after the right PIN');
    assert.equal(cleared.method === 'token.changed' && cleared.params.token.pin.countLow, false);
  });

  it('a software token made for a holder gives token.added; a certificate installed on it, or a wrong PIN for it, token.changed', async () => {
    let since = events.mark();
    const { tokenId } = await client.request('token.create', { provider: 'soft', label: '孙八', pin: PIN });
    const added = await events.waitFor((e) => e.method === 'token.added' && e.params.token.id === tokenId, since, 'token.added of the software token');
    assert.equal(added.method === 'token.added' && added.params.token.label, '孙八');
    since = events.mark();
    const certId = await enrol(tokenId, PIN, '孙八');
    const changed = await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === tokenId && e.params.token.pin.initialized, since, 'token.changed of the software token');
    assert.equal(changed.method === 'token.changed' && changed.params.token.provider, 'soft');
    since = events.mark();
    await assert.rejects(client.request('sign.data', { certId, pin: 'Wrong2468x', data: DATA }), (e: unknown) => e instanceof AgentError && e.reason === 'PIN_INCORRECT');
    const counted = await events.waitFor((e) => e.method === 'token.changed' && e.params.token.id === tokenId, since, 'token.changed after a wrong PIN');
    assert.equal(counted.method === 'token.changed' && counted.params.token.pin.retriesLeft, 9);
  });

  it('a token deleted by softhsm2-util is announced with token.removed; requests for it answer TOKEN_REMOVED', async () => {
    const token = (await tokenByLabel('plugged-in'))!;
    const certId = (await client.request('cert.list', { tokenId: token.id })).certificates[0]!.id;
    const since = events.mark();
    await softhsmUtil(hsm.conf, '--delete-token', '--token', 'plugged-in');
    await events.waitFor((e) => e.method === 'token.removed' && e.params.tokenId === token.id, since, 'token.removed');
    assert.equal(await tokenByLabel('plugged-in'), undefined);
    assert.ok(await tokenByLabel(hsm.label), 'the other USB-Key stays');
    const removed = (e: unknown) => e instanceof AgentError && e.reason === 'TOKEN_REMOVED';
    await assert.rejects(client.request('sign.data', { certId, pin: PIN, data: DATA }), removed);
    await assert.rejects(client.request('cert.list', { tokenId: token.id }), removed);
    await assert.rejects(client.request('key.generate', { tokenId: token.id, pin: PIN, algorithm: 'ECDSA-P256' }), removed);
  });

  it('a connection that closed gets no more events and stops listening; the others still hear them', async () => {
    const second = connect(agent.url);
    const secondEvents = new EventRecorder(second);
    await second.request('agent.info', undefined);
    assert.equal(agent.tokenEvents.listenerCount, 2);
    second.close();
    await until(() => agent.tokenEvents.listenerCount === 1, 'the closed connection stops listening');
    const since = events.mark();
    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', 'second-key', '--pin', PIN, '--so-pin', SO_PIN);
    await events.waitFor((e) => e.method === 'token.added' && e.params.token.label === 'second-key', since, 'token.added on the open connection');
    assert.deepEqual(secondEvents.events, []);
    secondEvents.stop();
  });

  it('with no connection left, the agent stops polling the slots; a new connection starts it again', async () => {
    const pkcs11 = agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider;
    assert.equal(pkcs11.watching, true);
    events.stop();
    client.close();
    await until(() => agent.tokenEvents.listenerCount === 0, 'the last connection stops listening');
    assert.equal(pkcs11.watching, false);
    client = connect(agent.url);
    events = new EventRecorder(client);
    await client.request('agent.info', undefined);
    assert.equal(pkcs11.watching, true);
    const since = events.mark();
    await softhsmUtil(hsm.conf, '--delete-token', '--token', 'second-key');
    await events.waitFor((e) => e.method === 'token.removed', since, 'token.removed after watching again');
  });
});
