// The single store of earlier versions (every certificate on the computer under one password, soft-default.json,
// written by the earlier writer: test/fixtures/legacy-store) is split into one token per key at start, without
// losing a key or a certificate.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fromBase64, issueCertificate, toBase64, webCryptoSigner } from '@sicert/pki';
import { AgentError, type AgentClient, type Token } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type RunningAgent } from '../src/index.js';
import { readTokenFile } from '../src/providers/soft/soft-token-file.js';
import { splitLegacyStore } from '../src/providers/soft/soft-token-migration.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { homeWithLegacyStore, LEGACY } from './support/legacy-store.js';

const DATA = new TextEncoder().encode('养老金领取资格认证');
const refused = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('splitting the single software-token store', () => {
  const homes: string[] = [];
  after(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  async function withAgent<T>(home: string, use: (client: AgentClient, agent: RunningAgent, log: string[]) => Promise<T>): Promise<T> {
    const log: string[] = [];
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('info', (line) => log.push(line)));
    const client = connect(agent.url);
    try {
      return await use(client, agent, log);
    } finally {
      client.close();
      await agent.close();
    }
  }
  const fresh = () => {
    const made = homeWithLegacyStore();
    homes.push(made.home);
    return made;
  };
  const byLabel = (tokens: Token[]) => new Map(tokens.map((t) => [t.label, t]));

  it('gives each key its own token with its certificate, the old password and the old try count, and removes the store', async () => {
    const { home, dir } = fresh();
    const legacy = readTokenFile(join(dir, 'soft-default.json')).file!;
    const expected = splitLegacyStore(legacy);
    await withAgent(home, async (client, _agent, log) => {
      const tokens = byLabel((await client.request('token.list', undefined)).tokens);
      assert.deepEqual([...tokens.keys()].sort(), ['张三', '本机证书 (演示)', '李四'].sort());
      for (const token of tokens.values()) {
        assert.match(token.id, /^soft-[0-9a-f]{16}$/);
        // Two wrong PINs were entered into the store: each token starts from there, and says its password is shared.
        assert.deepEqual([token.pin.retriesLeft, token.pin.mustChange, token.pin.locked], [8, true, false]);
      }
      assert.deepEqual(readdirSync(dir).sort(), expected.map((t) => `${t.id}.json`).sort(), 'the store is gone; nothing else is left');
      assert.ok(log.some((line) => line.includes('split the single software-token store')));

      // Every certificate, byte for byte, beside its key, in its holder's token.
      const certificates = (await client.request('cert.list', undefined)).certificates;
      assert.deepEqual(
        certificates.map((c) => [c.tokenId, c.id.split('/')[1], c.der, c.hasPrivateKey]).sort(),
        legacy.certificates.map((c) => [tokens.get(c.keyId === LEGACY.zhang ? '张三' : '李四')!.id, c.keyId, c.der, true]).sort(),
      );
      // The old password signs with each key, verified by OpenSSL against the CA that issued them.
      for (const holder of ['张三', '李四']) {
        const certId = certificates.find((c) => c.tokenId === tokens.get(holder)!.id)!.id;
        const { signature } = await client.request('sign.data', { certId, pin: LEGACY.pin, data: toBase64(DATA) });
        assert.equal(opensslVerifyCms(fromBase64(signature), LEGACY.root, DATA).ok, true, holder);
      }
      // The pending key is there too, still able to sign its request.
      const pending = tokens.get('本机证书 (演示)')!.id;
      const { csr } = await client.request('csr.create', { tokenId: pending, keyId: LEGACY.pending, pin: LEGACY.pin, subject: { CN: '王五' } });
      assert.ok(csr.length > 0);
    });
    // A restart changes nothing.
    const before = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    await withAgent(home, async (client) => assert.equal((await client.request('token.list', undefined)).tokens.length, 3));
    assert.deepEqual(readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8')), before);
  });

  it('an application made before the split still installs: soft-default names the token that now holds its key', async () => {
    const { home } = fresh();
    await withAgent(home, async (client) => {
      const pending = readTokenFile(LEGACY.path).file!.keys.find((k) => k.id === LEGACY.pending)!;
      // The portal's CA approves the pending application: a certificate for the pending key (its own CA here).
      const caKeys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const certificate = await issueCertificate(
        { subject: { CN: '王五' }, publicKey: fromBase64(pending.publicKey), notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000), keyUsage: ['digitalSignature'] },
        { signer: webCryptoSigner(caKeys.privateKey) },
      );
      const { certId } = await client.request('cert.install', { tokenId: 'soft-default', pin: LEGACY.pin, certificate: toBase64(certificate) });
      const tokenId = certId.split('/')[0]!;
      assert.match(tokenId, /^soft-[0-9a-f]{16}$/);
      assert.equal(certId, `${tokenId}/${LEGACY.pending}`);
      assert.ok((await client.request('sign.data', { certId, pin: LEGACY.pin, data: toBase64(DATA) })).signature.length > 0);
      // A certificate id from before the split still signs.
      assert.ok((await client.request('sign.data', { certId: `soft-default/${LEGACY.zhang}`, pin: LEGACY.pin, data: toBase64(DATA) })).signature.length > 0);
      // The old id is no token of its own: it makes no key, and it is not listed.
      await assert.rejects(client.request('key.generate', { tokenId: 'soft-default', pin: LEGACY.pin, algorithm: 'ECDSA-P256' }), refused('TOKEN_NOT_FOUND'));
      assert.equal((await client.request('token.list', undefined)).tokens.some((t) => t.id === 'soft-default'), false);
    });
  });

  it("a holder's new password is theirs alone: the shared one no longer opens their token, and mustChange clears", async () => {
    const { home } = fresh();
    await withAgent(home, async (client) => {
      const tokens = byLabel((await client.request('token.list', undefined)).tokens);
      const zhang = tokens.get('张三')!.id;
      await client.request('pin.change', { tokenId: zhang, oldPin: LEGACY.pin, newPin: 'Zhang2468x' });
      const after = byLabel((await client.request('token.list', undefined)).tokens);
      assert.deepEqual([after.get('张三')!.pin.mustChange, after.get('张三')!.pin.retriesLeft], [false, 10]);
      assert.equal(after.get('李四')!.pin.mustChange, true);
      const certId = `${zhang}/${LEGACY.zhang}`;
      await assert.rejects(client.request('sign.data', { certId, pin: LEGACY.pin, data: toBase64(DATA) }), refused('PIN_INCORRECT'));
      assert.ok((await client.request('sign.data', { certId, pin: 'Zhang2468x', data: toBase64(DATA) })).signature.length > 0);
      assert.ok((await client.request('sign.data', { certId: `${tokens.get('李四')!.id}/${LEGACY.li}`, pin: LEGACY.pin, data: toBase64(DATA) })).signature.length > 0);
    });
  });

  it('a store restored from a backup after the split is an older copy: left alone, not served, nothing overwritten', async () => {
    const { home, dir } = fresh();
    let zhang = '';
    await withAgent(home, async (client) => {
      zhang = byLabel((await client.request('token.list', undefined)).tokens).get('张三')!.id;
      await client.request('pin.change', { tokenId: zhang, oldPin: LEGACY.pin, newPin: 'Zhang2468x' });
    });
    const changed = readFileSync(join(dir, `${zhang}.json`), 'utf8');
    copyFileSync(LEGACY.path, join(dir, 'soft-default.json'));
    await withAgent(home, async (client, _agent, log) => {
      const tokens = (await client.request('token.list', undefined)).tokens;
      assert.deepEqual(tokens.map((t) => t.label).sort(), ['张三', '本机证书 (演示)', '李四'].sort(), 'no token twice');
      assert.ok(log.some((line) => line.includes('older copy') && line.includes('soft-default.json')));
      assert.ok((await client.request('sign.data', { certId: `${zhang}/${LEGACY.zhang}`, pin: 'Zhang2468x', data: toBase64(DATA) })).signature.length > 0);
    });
    assert.equal(readFileSync(join(dir, `${zhang}.json`), 'utf8'), changed, 'the newer token was not overwritten');
    assert.deepEqual(readFileSync(join(dir, 'soft-default.json')), readFileSync(LEGACY.path), 'the copy is left as it was');
  });

  it('a damaged store is not split: it is listed as damaged, and left exactly as it was', async () => {
    const { home, dir } = fresh();
    const file = join(dir, 'soft-default.json');
    const damaged = readFileSync(file, 'utf8').replace('"failedTries": 2', '"failedTries": 3');
    writeFileSync(file, damaged);
    await withAgent(home, async (client) => {
      const { tokens } = await client.request('token.list', undefined);
      assert.deepEqual(tokens.map((t) => [t.id, t.damaged]), [['soft-default', true]]);
      await assert.rejects(client.request('sign.data', { certId: `soft-default/${LEGACY.zhang}`, pin: LEGACY.pin, data: toBase64(DATA) }), refused('TOKEN_DAMAGED'));
    });
    assert.equal(readFileSync(file, 'utf8'), damaged);
    assert.deepEqual(readdirSync(dir), ['soft-default.json']);
    assert.equal(existsSync(join(dir, 'soft-default.json')), true);
  });
});
