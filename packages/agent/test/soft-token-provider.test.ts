// The software token through its provider only: what the demo and the tests use to set it up.
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentError, Reason } from '@sicert/protocol';
import { SOFT_TOKEN_ID, SoftTokenProvider } from '../src/index.js';

const PIN = 'Home2468x';
const refusedWith = (reason: Reason) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('SoftTokenProvider', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-soft-provider-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('creates the token once, with its holder label and a PIN that meets the policy, and keeps it across restarts', async () => {
    const soft = new SoftTokenProvider(home);
    assert.equal((await soft.listTokens())[0]?.pin.initialized, false);
    await assert.rejects(soft.createToken('张三的证书', '123456'), refusedWith(Reason.PIN_POLICY));
    assert.equal(await soft.createToken('张三的证书', PIN), SOFT_TOKEN_ID);
    await assert.rejects(soft.createToken('另一个', PIN), refusedWith(Reason.INVALID_PARAMS));
    const [token] = await new SoftTokenProvider(home).listTokens();
    assert.equal(token?.label, '张三的证书');
    assert.equal(token?.pin.initialized, true);
    assert.equal(token?.pin.retriesLeft, 10);
  });

  it('refuses every operation on a token id that is not its own, before any PIN try', async () => {
    const soft = new SoftTokenProvider(home);
    await assert.rejects(soft.generateKey('soft-other', PIN, 'ECDSA-P256'), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.installCertificate('soft-other', new Uint8Array([0x30, 0])), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.withKey({ tokenId: 'soft-other', keyId: 'ab' }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.withKey({ tokenId: SOFT_TOKEN_ID, keyId: 'ab' }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.KEY_NOT_FOUND));
    assert.equal((await soft.listTokens())[0]?.pin.retriesLeft, 10);
  });

  it('hands withKey a signer over a generated key that OpenSSL (through Node) verifies, and counts a wrong PIN', async () => {
    const soft = new SoftTokenProvider(home);
    const { keyId, publicKey } = await soft.generateKey(SOFT_TOKEN_ID, PIN, 'ECDSA-P256');
    const message = Buffer.from('社保缴费申报 2026-11');
    const signature = await soft.withKey({ tokenId: SOFT_TOKEN_ID, keyId }, PIN, async (key) => {
      assert.deepEqual(Buffer.from(key.publicKey()), Buffer.from(publicKey));
      assert.equal(key.certificate, undefined);
      return key.signer.signDigest(createHash('sha256').update(message).digest());
    });
    assert.equal(verify('sha256', message, { key: Buffer.from(publicKey), format: 'der', type: 'spki' }, signature), true);
    await assert.rejects(soft.withKey({ tokenId: SOFT_TOKEN_ID, keyId }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.PIN_INCORRECT));
    assert.equal((await soft.listTokens())[0]?.pin.retriesLeft, 9);
  });
});
