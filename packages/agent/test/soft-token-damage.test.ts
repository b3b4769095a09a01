// A damaged software-token file (issue 6, item 10): told apart from a wrong PIN (TOKEN_DAMAGED, no try counted),
// never rewritten, and the agent keeps starting and serving the USB-Keys.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider, type RunningAgent } from '../src/index.js';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { provisionPkcs11, provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';
import { homeWithLegacyStore, LEGACY } from './support/legacy-store.js';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const SOFT_PIN = 'Home2468x';
const WRONG_PIN = 'Wrong1357x';
const DATA = toBase64(new TextEncoder().encode('申报表'));

const reasonOf = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('a damaged software token', () => {
  let hsm: SoftHsm;
  let ca: TestCa;
  let template: string;
  let softTokenId: string;
  let softCerts: ProvisionedCerts;
  let usbCerts: ProvisionedCerts;
  const homes: string[] = [];

  /** A new home holding a copy of the provisioned token file, changed by `damage`. */
  function homeWith(damage: (text: string) => string): { home: string; file: string } {
    const home = mkdtempSync(join(tmpdir(), 'sicert-damage-'));
    homes.push(home);
    mkdirSync(join(home, 'soft-token'), { mode: 0o700 });
    const file = join(home, 'soft-token', `${softTokenId}.json`);
    writeFileSync(file, damage(readFileSync(template, 'utf8')), { mode: 0o600 });
    return { home, file };
  }

  async function withAgent<T>(home: string, use: (client: AgentClient, agent: RunningAgent, log: string[]) => Promise<T>): Promise<T> {
    const log: string[] = [];
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('warn', (line) => log.push(line)));
    const client = connect(agent.url);
    try {
      return await use(client, agent, log);
    } finally {
      client.close();
      await agent.close();
    }
  }

  before(async () => {
    hsm = createSoftHsm('sicert-damage');
    ca = await createTestCa();
    const home = mkdtempSync(join(tmpdir(), 'sicert-damage-'));
    homes.push(home);
    await withAgent(home, async (_client, agent) => {
      softCerts = await provisionSoft(agent.softToken!, SOFT_PIN, ca);
      usbCerts = await provisionPkcs11(agent.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider, hsm.label, hsm.pin, ca);
    });
    softTokenId = softCerts['ECDSA-P256'].split('/')[0]!;
    template = join(home, 'soft-token', `${softTokenId}.json`);
    copyFileSync(template, join(home, 'template.json'));
    template = join(home, 'template.json');
  });

  after(() => {
    hsm.dispose();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  it('a flipped byte in the sealed data key is TOKEN_DAMAGED, not a wrong PIN: no try counted, file unchanged', async () => {
    const { home, file } = homeWith((text) => {
      const json = JSON.parse(text) as { dataKey: { data: string } };
      const bytes = Buffer.from(json.dataKey.data, 'base64');
      bytes[5]! ^= 0x01;
      json.dataKey.data = bytes.toString('base64');
      return JSON.stringify(json, null, 2);
    });
    const before = readFileSync(file);
    await withAgent(home, async (client, _agent, log) => {
      for (const pin of [SOFT_PIN, WRONG_PIN, WRONG_PIN]) {
        await assert.rejects(client.request('sign.data', { certId: softCerts['ECDSA-P256'], pin, data: DATA }), reasonOf('TOKEN_DAMAGED'));
      }
      const soft = (await client.request('token.list', undefined)).tokens.find((t) => t.provider === 'soft')!;
      assert.equal(soft.damaged, true);
      assert.equal(soft.pin.locked, false);
      assert.equal(soft.pin.countLow, false, 'no PIN try was counted');
      assert.ok(log.some((line) => line.includes(file) && line.includes('checksum')), 'the log names the file and the problem');
    });
    assert.deepEqual(readFileSync(file), before, 'the damaged file is left exactly as it was');
    assert.equal((JSON.parse(before.toString('utf8')) as { failedTries: number }).failedTries, 0);
  });

  it('a truncated file: the agent starts, the USB-Key still signs, the software token reports TOKEN_DAMAGED and is never rewritten', async () => {
    const { home, file } = homeWith((text) => text.slice(0, Math.floor(text.length / 2)));
    const before = readFileSync(file);
    await withAgent(home, async (client, _agent, log) => {
      const { tokens } = await client.request('token.list', undefined);
      assert.equal(tokens.find((t) => t.provider === 'soft')?.damaged, true);
      assert.equal(tokens.find((t) => t.provider === 'pkcs11')?.damaged, undefined);
      const signed = await client.request('sign.data', { certId: usbCerts['ECDSA-P256'], pin: hsm.pin, data: DATA });
      assert.ok(signed.signature.length > 0);
      await assert.rejects(client.request('sign.data', { certId: softCerts['RSA-2048'], pin: SOFT_PIN, data: DATA }), reasonOf('TOKEN_DAMAGED'));
      await assert.rejects(client.request('key.generate', { tokenId: softTokenId, pin: SOFT_PIN, algorithm: 'ECDSA-P256' }), reasonOf('TOKEN_DAMAGED'));
      assert.deepEqual((await client.request('cert.list', { tokenId: softTokenId })).certificates, []);
      assert.ok(log.some((line) => line.includes(file) && line.includes('fix')), 'the log names the file and what to do');
    });
    assert.deepEqual(readFileSync(file), before);
  });

  it('a sealed blob of the wrong shape is damage even in a single store from before checksums', async () => {
    const { home, dir } = homeWithLegacyStore('sicert-damage-');
    homes.push(home);
    const store = join(dir, 'soft-default.json');
    const json = JSON.parse(readFileSync(store, 'utf8')) as { checksum?: string; keys: { privateKey: { iv: string } }[] };
    delete json.checksum;
    json.keys[0]!.privateKey.iv = Buffer.alloc(8).toString('base64');
    writeFileSync(store, JSON.stringify(json, null, 2));
    await withAgent(home, async (client) => {
      assert.deepEqual((await client.request('token.list', undefined)).tokens.filter((t) => t.provider === 'soft').map((t) => [t.id, t.damaged]), [['soft-default', true]]);
      await assert.rejects(client.request('sign.data', { certId: `soft-default/${LEGACY.zhang}`, pin: LEGACY.pin, data: DATA }), reasonOf('TOKEN_DAMAGED'));
    });
    assert.equal(readFileSync(store, 'utf8').includes('"checksum"'), false);
  });

  it('a single store from before checksums is split as it is, and each token gets one', async () => {
    const { home, dir } = homeWithLegacyStore('sicert-damage-');
    homes.push(home);
    const store = join(dir, 'soft-default.json');
    const { checksum: _gone, ...older } = JSON.parse(readFileSync(store, 'utf8')) as Record<string, unknown>;
    writeFileSync(store, JSON.stringify(older, null, 2));
    await withAgent(home, async (client) => {
      const soft = (await client.request('token.list', undefined)).tokens.filter((t) => t.provider === 'soft');
      assert.equal(soft.length, 3);
      assert.ok(soft.every((t) => t.damaged === undefined));
      const zhang = soft.find((t) => t.label === '张三')!.id;
      assert.ok((await client.request('sign.data', { certId: `${zhang}/${LEGACY.zhang}`, pin: LEGACY.pin, data: DATA })).signature.length > 0);
      for (const t of soft) assert.match(readFileSync(join(dir, `${t.id}.json`), 'utf8'), /"checksum": "sha256:[0-9a-f]{64}"/);
    });
  });

  it('an intact file signs with the right PIN and counts a wrong one', async () => {
    const { home, file } = homeWith((text) => text);
    await withAgent(home, async (client) => {
      await assert.rejects(client.request('sign.data', { certId: softCerts['ECDSA-P256'], pin: WRONG_PIN, data: DATA }), (e: unknown) => e instanceof AgentError && e.reason === 'PIN_INCORRECT' && e.retriesLeft === 9);
      assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { failedTries: number }).failedTries, 1);
      const signed = await client.request('sign.data', { certId: softCerts['ECDSA-P256'], pin: SOFT_PIN, data: DATA });
      assert.ok(signed.signature.length > 0);
      const soft = (await client.request('token.list', undefined)).tokens.find((t) => t.provider === 'soft')!;
      assert.equal(soft.damaged, undefined);
      assert.equal(soft.pin.retriesLeft, 10);
    });
  });

  it('a token file without its checksum is damaged: deleting it to reset the try count gives a dead token, not fresh tries', async () => {
    // A reviewer with file access deleted the checksum and set failedTries to 0; such a file used to pass as an
    // older one. Every per-holder token file has been written with a checksum, so one without it was edited.
    const { home, file } = homeWith((text) => {
      const json = JSON.parse(text) as { checksum?: string; failedTries: number };
      delete json.checksum;
      json.failedTries = 0;
      return JSON.stringify(json, null, 2);
    });
    const before = readFileSync(file);
    await withAgent(home, async (client, _agent, log) => {
      const soft = (await client.request('token.list', undefined)).tokens.find((t) => t.provider === 'soft')!;
      assert.deepEqual([soft.id, soft.damaged], [softTokenId, true]);
      await assert.rejects(client.request('sign.data', { certId: softCerts['ECDSA-P256'], pin: SOFT_PIN, data: DATA }), reasonOf('TOKEN_DAMAGED'));
      assert.ok(log.some((line) => line.includes(file) && line.includes('no checksum')), 'the log names the file and the problem');
    });
    assert.deepEqual(readFileSync(file), before, 'left as it was');
  });

  it("a token's file copied over another token's file name is damaged there: one token, one set of tries", async () => {
    // X's file saved under Y's name used to be listed as a second token with X's label, serial and keys, and its
    // own 10 tries. The serial recorded in the file must be the one its name gives.
    const { home, file } = homeWith((text) => text);
    const copy = join(home, 'soft-token', 'soft-0123456789abcdef.json');
    copyFileSync(file, copy);
    await withAgent(home, async (client, _agent, log) => {
      const soft = (await client.request('token.list', undefined)).tokens.filter((t) => t.provider === 'soft');
      assert.deepEqual(soft.map((t) => [t.id, t.damaged ?? false, t.serial === '' ? '' : 'serial']).sort(), [['soft-0123456789abcdef', true, ''], [softTokenId, false, 'serial']].sort());
      assert.equal(soft.filter((t) => t.label === '李小红').length, 1, "the holder's name is listed once");
      await assert.rejects(client.request('sign.data', { certId: `soft-0123456789abcdef/${softCerts['ECDSA-P256'].split('/')[1]!}`, pin: SOFT_PIN, data: DATA }), reasonOf('TOKEN_DAMAGED'));
      assert.ok((await client.request('sign.data', { certId: softCerts['ECDSA-P256'], pin: SOFT_PIN, data: DATA })).signature.length > 0);
      assert.ok(log.some((line) => line.includes(copy) && line.includes('belongs to another token')));
    });
  });
});
