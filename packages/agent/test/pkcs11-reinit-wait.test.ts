// SoftHSM2's re-initialisation (C_Finalize closes every session) waits for the operation in flight, and holds the
// operations that arrive meanwhile until it has run: a real SoftHSM2, a real token created by softhsm2-util while
// an operation holds the module, and the provider's own calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '@sicert/pki';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { Pkcs11Provider } from '../src/index.js';
import { softhsmUtil, until } from './support/token-events.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('re-initialising SoftHSM2 while operations run', () => {
  let hsm: SoftHsm;
  let provider: Pkcs11Provider;
  const keys: { tokenId: string; keyId: string }[] = [];

  before(async () => {
    hsm = createSoftHsm('sicert-reinit-a');
    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', 'sicert-reinit-b', '--pin', hsm.pin, '--so-pin', hsm.soPin);
    provider = new Pkcs11Provider([hsm.module]);
    for (const label of ['sicert-reinit-a', 'sicert-reinit-b']) {
      const token = (await provider.listTokens()).find((t) => t.label === label)!;
      keys.push({ tokenId: token.id, keyId: (await provider.generateKey(token.id, hsm.pin, 'ECDSA-P256')).keyId });
    }
  });

  after(async () => {
    await provider.close();
    hsm.dispose();
  });

  it('waits for the session in use, holds a new operation until it has run, and then both sign', async () => {
    const digest = await sha256(new TextEncoder().encode('养老保险待遇申领'));
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = provider.withKey(keys[0]!, hsm.pin, async ({ signer }) => {
      log.push('first holds its session');
      await held;
      return signer.signDigest(digest);
    });
    await until(() => log.length === 1, 'the first operation holds its session');

    await softhsmUtil(hsm.conf, '--init-token', '--free', '--label', 'sicert-reinit-new', '--pin', hsm.pin, '--so-pin', hsm.soPin);
    // Finding the new token needs C_Finalize + C_Initialize, which must wait for the first operation.
    const listed = provider.listTokens().then((tokens) => {
      log.push('listed');
      return tokens;
    });
    const second = provider.withKey(keys[1]!, hsm.pin, async ({ signer }) => {
      log.push('second starts');
      return signer.signDigest(digest);
    });
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(log, ['first holds its session'], 'neither the re-initialisation nor the new operation ran while the first holds the module');

    release();
    assert.ok((await first).length > 0, 'the first session was not finalised under it');
    assert.ok((await listed).some((t) => t.label === 'sicert-reinit-new'), 'the re-initialisation ran once the module was free');
    assert.ok((await second).length > 0);
    assert.deepEqual(new Set(log), new Set(['first holds its session', 'listed', 'second starts']));
  });
});
