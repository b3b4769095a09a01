// Another program logging in to the same SoftHSM2 token while the agent works: SoftHSM2 empties and rewrites the
// token's description on every C_Login, and while it does, the agent's SoftHSM2 answers C_GetTokenInfo with
// CKR_GENERAL_ERROR or blank fields, and a re-initialisation would not find the token. None of it is the key being
// pulled out: the token stays listed under its id, no token.removed is announced, and no operation answers
// TOKEN_REMOVED. A real SoftHSM2, a real second process (test/support/login-loop.ts).
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '@sicert/pki';
import { AgentError, Reason } from '@sicert/protocol';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { Pkcs11Provider } from '../src/index.js';
import type { TokenChange } from '../src/providers/token-changes.js';

const LOOP = fileURLToPath(new URL('./support/login-loop.ts', import.meta.url));
const LOOKS = 400;

describe('another program logging in to the same SoftHSM2 token', () => {
  let hsm: SoftHsm;
  let provider: Pkcs11Provider;
  let loop: ChildProcess | undefined;

  before(() => {
    hsm = createSoftHsm('sicert-shared');
    provider = new Pkcs11Provider([hsm.module]);
  });

  after(async () => {
    loop?.kill();
    await provider.close();
    hsm.dispose();
  });

  it('keeps the token listed, announces no removal, and never answers TOKEN_REMOVED', async () => {
    const tokenId = (await provider.listTokens()).find((t) => t.label === hsm.label)!.id;
    const { keyId } = await provider.generateKey(tokenId, hsm.pin, 'ECDSA-P256');
    const changes: TokenChange[] = [];
    const stop = provider.onChange((change) => changes.push(change));
    const digest = await sha256(new TextEncoder().encode('失业保险金申领'));

    const child = fork(LOOP, [hsm.conf, hsm.module, hsm.label, hsm.pin], { execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    loop = child;
    let reports = 0;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (message) => {
        reports++;
        if (message === 'ready') resolve();
      });
    });

    const reportsBefore = reports;
    let signed = 0;
    for (let look = 0; look < LOOKS; look++) {
      // listTokens looks at the token directory (re-initialising SoftHSM2 when it changed) and at every slot.
      const listed = (await provider.listTokens()).map((t) => t.id);
      assert.ok(listed.includes(tokenId), `look ${String(look)}: the token is still plugged in (listed: ${JSON.stringify(listed)})`);
      if (look % 10 !== 0) continue;
      try {
        await provider.withKey({ tokenId, keyId }, hsm.pin, ({ signer }) => signer.signDigest(digest));
        signed++;
      } catch (error) {
        // SoftHSM2 itself may fail a login that meets the other process's (CKR_GENERAL_ERROR): never a removal.
        assert.ok(error instanceof AgentError && error.reason !== Reason.TOKEN_REMOVED && error.reason !== Reason.TOKEN_NOT_FOUND, `look ${String(look)}: ${String(error)}`);
      }
    }
    stop();
    assert.ok(reports > reportsBefore, 'the other program logged in while the agent looked');
    assert.ok(signed > 0, 'some signatures went through');
    assert.deepEqual(changes.filter((c) => c.kind === 'removed'), [], 'no token.removed for a token still plugged in');
  });
});
