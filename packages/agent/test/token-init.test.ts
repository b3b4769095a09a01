// token.init: the service hall initialises a blank USB-Key (C_InitToken with the hall's SO PIN and a label, then
// C_InitPIN with the holder's password) — only on an agent started in hall mode, and only on a blank key. Real
// SoftHSM2: its free slot is the blank key; the key made on it after initialisation signs, verified by OpenSSL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { rawReason } from './support/raw-call.js';

const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;
const HALL_SO_PIN = 'Hall2468So';
const HOLDER_PIN = 'Chen2468x';

describe('token.init (hall mode)', () => {
  let hsm: SoftHsm;
  let homes: string[] = [];
  let ca: TestCa;
  let hall: RunningAgent;
  let citizen: RunningAgent;
  let client: AgentClient;

  async function start(hallMode: boolean): Promise<RunningAgent> {
    const home = mkdtempSync(join(tmpdir(), 'sicert-init-'));
    homes.push(home);
    return startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], softToken: false, allowOrigins: [TEST_ORIGIN], hallMode }, createLogger('error', () => undefined));
  }
  const blank = async (c: AgentClient) => (await c.request('token.list', undefined)).tokens.find((t) => !t.pin.initialized);

  before(async () => {
    hsm = createSoftHsm('sicert-init-used');
    ca = await createTestCa();
    hall = await start(true);
    citizen = await start(false);
    client = connect(hall.url);
  });

  after(async () => {
    client.close();
    await hall.close();
    await citizen.close();
    hsm.dispose();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    homes = [];
  });

  it("a citizen's agent does not serve it and does not list it; a hall agent lists token.init", async () => {
    const plain = connect(citizen.url);
    try {
      assert.equal((await plain.request('agent.info', undefined)).capabilities.includes('token.init'), false);
      const tokenId = (await blank(plain))!.id;
      assert.equal(await rawReason(citizen.url, 'token.init', { tokenId, soPin: HALL_SO_PIN, label: '陈小华', pin: HOLDER_PIN }), 'METHOD_NOT_FOUND');
      assert.ok(await blank(plain), 'the blank key is still blank');
    } finally {
      plain.close();
    }
    assert.equal((await client.request('agent.info', undefined)).capabilities.includes('token.init'), true);
  });

  it('refuses a key that is already initialised, a weak holder password and a label over 32 bytes, before writing', async () => {
    const used = (await client.request('token.list', undefined)).tokens.find((t) => t.label === hsm.label)!;
    await assert.rejects(client.request('token.init', { tokenId: used.id, soPin: hsm.soPin, label: '陈小华', pin: HOLDER_PIN }), refused('TOKEN_NOT_BLANK'));
    assert.ok((await client.request('token.list', undefined)).tokens.some((t) => t.id === used.id && t.pin.initialized), 'the used key keeps its label and PIN');
    const tokenId = (await blank(client))!.id;
    assert.equal(await rawReason(hall.url, 'token.init', { tokenId, soPin: HALL_SO_PIN, label: '陈小华', pin: '123456' }), 'PIN_POLICY');
    assert.equal(await rawReason(hall.url, 'token.init', { tokenId, soPin: HALL_SO_PIN, label: '一二三四五六七八九十甲', pin: HOLDER_PIN }), 'INVALID_PARAMS');
    assert.ok(await blank(client), 'still blank');
  });

  it('an SO PIN the key does not take (SoftHSM2: 4-255 bytes) is INVALID_PARAMS, not a wrong password, and nothing is written', async () => {
    // SoftHSM2 answers CKR_PIN_INCORRECT to C_InitToken with a PIN out of its range: the agent used to pass that on as
    // PIN_INCORRECT, the citizen's "wrong certificate password" message. It checks the key's range first now.
    const tokenId = (await blank(client))!.id;
    for (const soPin of ['x', 'abc']) {
      await assert.rejects(client.request('token.init', { tokenId, soPin, label: '陈小华', pin: HOLDER_PIN }), (e: unknown) => e instanceof AgentError && e.reason === 'INVALID_PARAMS' && /4-255/.test(e.message), soPin);
    }
    assert.ok(await blank(client), 'still blank');
  });

  it('initialises the blank key: the holder password works, the hall SO PIN resets it, and a key made on it signs', async () => {
    const tokenId = (await blank(client))!.id;
    const { tokenId: initialised } = await client.request('token.init', { tokenId, soPin: HALL_SO_PIN, label: '陈小华', pin: HOLDER_PIN });
    const token = (await client.request('token.list', undefined)).tokens.find((t) => t.id === initialised);
    assert.ok(token, 'listed under the id token.init answered');
    assert.deepEqual([token.label, token.pin.initialized], ['陈小华', true]);
    await assert.rejects(client.request('token.init', { tokenId: initialised, soPin: HALL_SO_PIN, label: '陈小华', pin: HOLDER_PIN }), refused('TOKEN_NOT_BLANK'));
    const key = await client.request('key.generate', { tokenId: initialised, pin: HOLDER_PIN, algorithm: 'ECDSA-P256' });
    const certificate = await ca.issue({ CN: '陈小华' }, fromBase64(key.publicKey));
    const { certId } = await client.request('cert.install', { tokenId: initialised, pin: HOLDER_PIN, certificate: toBase64(certificate) });
    // The citizen forgets the password at once: the hall's SO PIN (set by token.init) resets it.
    await client.request('pin.unblock', { tokenId: initialised, soPin: HALL_SO_PIN, newPin: 'Chen1357y' });
    const data = new TextEncoder().encode('现场制作 USB-Key 演示签名');
    const { signature } = await client.request('sign.data', { certId, pin: 'Chen1357y', data: toBase64(data) });
    const verified = opensslVerifyCms(fromBase64(signature), ca.root, data);
    assert.ok(verified.ok, verified.output);
  });
});
