// The software tokens through their provider only: what the demo and the tests use to set them up. One token per
// holder, each with its own password and try counter.
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentError, Reason } from '@sicert/protocol';
import { SoftTokenProvider } from '../src/index.js';

const PIN = 'Home2468x';
const refusedWith = (reason: Reason) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('SoftTokenProvider', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'sicert-soft-provider-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('lists no token until one is created; each holder gets a token of its own that survives restarts', async () => {
    const soft = new SoftTokenProvider(home);
    assert.deepEqual(await soft.listTokens(), []);
    await assert.rejects(soft.createToken('张三', '123456'), refusedWith(Reason.PIN_POLICY));
    await assert.rejects(soft.createToken('  ', PIN), refusedWith(Reason.INVALID_PARAMS));
    assert.equal(existsSync(join(home, 'soft-token')) && readdirSync(join(home, 'soft-token')).length > 0, false, 'a refused token writes nothing');
    const zhang = await soft.createToken('张三', PIN);
    const li = await soft.createToken('李四', 'Li4pass88');
    assert.match(zhang, /^soft-[0-9a-f]{16}$/);
    assert.notEqual(zhang, li);
    const tokens = await new SoftTokenProvider(home).listTokens();
    // Listed by holder name (pinyin order where the ICU data has it): compared here by id.
    assert.deepEqual(
      tokens.map((t) => [t.id, t.label, t.provider, t.pin.initialized, t.pin.retriesLeft, t.pin.mustChange, t.serial]).sort(),
      [
        [zhang, '张三', 'soft', true, 10, false, zhang.slice(5)],
        [li, '李四', 'soft', true, 10, false, li.slice(5)],
      ].sort(),
    );
  });

  it('refuses every operation on a token id that is not one of its own, before any PIN try', async () => {
    const soft = new SoftTokenProvider(home);
    const tokenId = await soft.createToken('王五', PIN);
    const other = 'soft-0000000000000000';
    await assert.rejects(soft.generateKey(other, PIN, 'ECDSA-P256'), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.installCertificate(other, new Uint8Array([0x30, 0])), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.withKey({ tokenId: other, keyId: 'ab' }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.changePin(other, PIN, 'Next2468x'), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.deleteKey(other, 'ab', PIN), refusedWith(Reason.TOKEN_NOT_FOUND));
    await assert.rejects(soft.withKey({ tokenId, keyId: 'ab' }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.KEY_NOT_FOUND));
    assert.equal((await soft.listTokens()).find((t) => t.id === tokenId)?.pin.retriesLeft, 10);
  });

  it('hands withKey a signer over a generated key that OpenSSL (through Node) verifies, and counts a wrong PIN', async () => {
    const soft = new SoftTokenProvider(home);
    const tokenId = await soft.createToken('赵六', PIN);
    const { keyId, publicKey } = await soft.generateKey(tokenId, PIN, 'ECDSA-P256');
    const message = Buffer.from('社保缴费申报 2026-11');
    const signature = await soft.withKey({ tokenId, keyId }, PIN, async (key) => {
      assert.deepEqual(Buffer.from(key.publicKey()), Buffer.from(publicKey));
      assert.equal(key.certificate, undefined);
      return key.signer.signDigest(createHash('sha256').update(message).digest());
    });
    assert.equal(verify('sha256', message, { key: Buffer.from(publicKey), format: 'der', type: 'spki' }, signature), true);
    await assert.rejects(soft.withKey({ tokenId, keyId }, 'Wrong-pin-1', async () => undefined), refusedWith(Reason.PIN_INCORRECT));
    assert.equal((await soft.listTokens()).find((t) => t.id === tokenId)?.pin.retriesLeft, 9);
  });

  it('has no administrator PIN to unblock with', async () => {
    const soft = new SoftTokenProvider(home);
    const tokenId = await soft.createToken('钱七', PIN);
    await assert.rejects(soft.unblockPin(tokenId), refusedWith(Reason.NOT_SUPPORTED));
    await assert.rejects(soft.unblockPin('soft-0000000000000000'), refusedWith(Reason.TOKEN_NOT_FOUND));
  });
});
