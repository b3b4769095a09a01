// One PKCS#11 module reached through two paths (Debian ships SoftHSM2 under /usr/lib/softhsm and a multiarch
// path, and vendors install symlinks too) is loaded once: otherwise every USB-Key is listed twice under two ids,
// and each id gets its own PIN-throttle budget, doubling the PIN guesses that reach the key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Pkcs11Provider } from '../src/providers/pkcs11/pkcs11-provider.js';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

describe('PKCS#11 modules', () => {
  let hsm: SoftHsm;
  let dir: string;

  before(() => {
    hsm = createSoftHsm('sicert-modules');
    dir = mkdtempSync(join(tmpdir(), 'sicert-modules-'));
  });

  after(() => {
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads a module reached through a symlink once, so each USB-Key is listed once', async () => {
    const alias = join(dir, 'vendor-pkcs11.so');
    symlinkSync(hsm.module, alias);
    const provider = new Pkcs11Provider([hsm.module, alias, join(dir, 'missing.so')]);
    try {
      const tokens = (await provider.listTokens()).filter((t) => t.label === hsm.label);
      assert.equal(tokens.length, 1);
    } finally {
      await provider.close();
    }
  });
});
