// pin.change on a SoftHSM2 USB-Key (C_SetPIN) and on a software token (everything sealed afresh), from a page that
// bypasses the components: the PIN policy is the agent's, and the old PIN is a try like any other.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { AgentError, type AgentClient } from '@sicert/protocol';
import { PinThrottle, type RunningAgent } from '../src/index.js';
import { deriveKey, unseal, type Sealed } from '../src/providers/soft/sealed-box.js';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import type { ProvisionedCerts } from '@sicert/test-support/provision';
import type { TestCa } from '@sicert/test-support/test-ca';
import { startProvisionedAgent, type ProvisionedAgent } from './support/provisioned-agent.js';
import { rawReason } from './support/raw-call.js';

const SOFT_PIN = 'Home2468x';
const DATA = new TextEncoder().encode('转移接续申请');
const refused = (reason: string, retriesLeft?: number) => (e: unknown) => e instanceof AgentError && e.reason === reason && (retriesLeft === undefined || e.retriesLeft === retriesLeft);

interface TokenFileView {
  kdf: { salt: string };
  dataKey: Sealed;
  keys: { id: string; privateKey: Sealed }[];
}

describe('pin.change', () => {
  let setup: ProvisionedAgent;
  let hsm: ProvisionedAgent['hsm'];
  let home: string;
  let ca: TestCa;
  let agent: RunningAgent;
  let client: AgentClient;
  let usb: ProvisionedCerts;
  let soft: ProvisionedCerts;
  let now = 0;

  const tokenOf = (certId: string) => certId.split('/')[0]!;
  const retriesLeft = async (tokenId: string) => (await client.request('token.list', undefined)).tokens.find((t) => t.id === tokenId)?.pin.retriesLeft;
  const signs = async (certId: string, pin: string) => {
    const { signature } = await client.request('sign.data', { certId, pin, data: toBase64(DATA) });
    return opensslVerifyCms(fromBase64(signature), ca.root, DATA).ok;
  };

  before(async () => {
    setup = await startProvisionedAgent({ softPin: SOFT_PIN, label: 'sicert-pin-change', prefix: 'sicert-pin-change-', parts: { pinThrottle: new PinThrottle({ now: () => now }) } });
    ({ hsm, home, ca, agent, client } = setup);
    ({ pkcs11: usb, soft } = setup.certs);
  });

  after(() => setup.close());

  it('refuses a new PIN that breaks the policy, from a raw client, before the token is touched', async () => {
    const softToken = tokenOf(soft['ECDSA-P256']);
    const file = join(home, 'soft-token', `${softToken}.json`);
    const before = readFileSync(file);
    for (const [tokenId, oldPin] of [[tokenOf(usb['ECDSA-P256']), hsm.pin], [softToken, SOFT_PIN]] as const) {
      // Even with a wrong old PIN: the new one is checked first, so no try is spent on a request that cannot succeed.
      for (const newPin of ['123456', 'abc123', 'aaaa1111', 'ab12', 'Toolong123456', 'Pass-word12', '19491231ab']) {
        assert.equal(await rawReason(agent.url, 'pin.change', { tokenId, oldPin, newPin }), newPin === '19491231ab' ? 'ok' : 'PIN_POLICY', newPin);
        if (newPin === '19491231ab') await client.request('pin.change', { tokenId, oldPin: newPin, newPin: oldPin });
      }
      assert.equal(await rawReason(agent.url, 'pin.change', { tokenId, oldPin: 'Wrong1357x', newPin: '123456' }), 'PIN_POLICY');
    }
    assert.equal(await retriesLeft(softToken), 10, 'no try was counted');
    assert.notDeepEqual(readFileSync(file), before, 'the accepted change above did write');
  });

  it('USB-Key: a wrong old PIN is PIN_INCORRECT; the right one sets the new PIN (C_SetPIN), which signs', async () => {
    const certId = usb['ECDSA-P256'];
    const tokenId = tokenOf(certId);
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: 'Wrong1357x', newPin: 'Next2468x' }), refused('PIN_INCORRECT'));
    await client.request('pin.change', { tokenId, oldPin: hsm.pin, newPin: 'Next2468x' });
    assert.equal(await signs(certId, 'Next2468x'), true);
    await assert.rejects(client.request('sign.data', { certId, pin: hsm.pin, data: toBase64(DATA) }), refused('PIN_INCORRECT'));
    await client.request('pin.change', { tokenId, oldPin: 'Next2468x', newPin: hsm.pin });
    assert.equal(await signs(certId, hsm.pin), true);
  });

  it('the old PIN is a throttled try: on SoftHSM2 (which never locks) the 11th wrong one within a minute is refused unasked', async () => {
    const tokenId = tokenOf(usb['RSA-2048']);
    now += 60_000;
    for (let i = 0; i < 10; i++) await assert.rejects(client.request('pin.change', { tokenId, oldPin: `Wrong${i}357x`, newPin: 'Next2468x' }), refused('PIN_INCORRECT'));
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: hsm.pin, newPin: 'Next2468x' }), refused('PIN_THROTTLED'));
    now += 60_000;
    assert.equal(await signs(usb['RSA-2048'], hsm.pin), true, 'the throttled change did not happen');
  });

  it('software token: counts a wrong old PIN, then seals everything afresh: the old password and the old data key open nothing', async () => {
    const certId = soft['RSA-2048'];
    const tokenId = tokenOf(certId);
    const path = join(home, 'soft-token', `${tokenId}.json`);
    const old = JSON.parse(readFileSync(path, 'utf8')) as TokenFileView;
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: 'Wrong1357x', newPin: 'Next2468x' }), refused('PIN_INCORRECT', 9));
    assert.equal(await retriesLeft(tokenId), 9);
    await client.request('pin.change', { tokenId, oldPin: SOFT_PIN, newPin: 'Next2468x' });
    assert.equal(await retriesLeft(tokenId), 10, 'a new password starts a full count');
    assert.equal(await signs(certId, 'Next2468x'), true);
    assert.equal(await signs(soft['ECDSA-P256'], 'Next2468x'), true, 'every key of the token moved to the new password');
    await assert.rejects(client.request('sign.data', { certId, pin: SOFT_PIN, data: toBase64(DATA) }), refused('PIN_INCORRECT'));

    const fresh = JSON.parse(readFileSync(path, 'utf8')) as TokenFileView;
    assert.notEqual(fresh.kdf.salt, old.kdf.salt);
    // Someone who knew the old password, and kept the old file, holds the old data key: it opens no new key.
    const oldDataKey = unseal(await deriveKey(SOFT_PIN, Buffer.from(old.kdf.salt, 'base64')), old.dataKey);
    assert.equal(fresh.keys.length, 2);
    for (const key of fresh.keys) {
      assert.notDeepEqual(key.privateKey, old.keys.find((k) => k.id === key.id)!.privateKey);
      assert.throws(() => unseal(oldDataKey, key.privateKey), 'the old data key cannot open a re-sealed key');
    }
    assert.throws(() => unseal(oldDataKey, fresh.dataKey));
    await assert.rejects(deriveKey(SOFT_PIN, Buffer.from(fresh.kdf.salt, 'base64')).then((k) => unseal(k, fresh.dataKey)));
    // The control: the new password's data key opens them.
    const newDataKey = unseal(await deriveKey('Next2468x', Buffer.from(fresh.kdf.salt, 'base64')), fresh.dataKey);
    for (const key of fresh.keys) assert.ok(unseal(newDataKey, key.privateKey).length > 0);
  });

  it('a locked software token cannot change its password', async () => {
    const tokenId = (await client.request('token.create', { provider: 'soft', label: '冯十一', pin: SOFT_PIN })).tokenId;
    now += 60_000;
    for (let i = 0; i < 9; i++) await assert.rejects(client.request('pin.change', { tokenId, oldPin: `Wrong${i}357x`, newPin: 'Next2468x' }), refused('PIN_INCORRECT'));
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: 'Wrong9357x', newPin: 'Next2468x' }), refused('PIN_LOCKED'));
    now += 60_000;
    await assert.rejects(client.request('pin.change', { tokenId, oldPin: SOFT_PIN, newPin: 'Next2468x' }), refused('PIN_LOCKED'));
  });
});
