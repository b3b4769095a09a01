// key.generate on the software token proves the PIN before it generates anything: a wrong or locked PIN costs no
// key generation (RSA-2048 is up to half a second of work), so refused requests cannot keep the agent busy, and
// generation itself runs off the event loop.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentError } from '@sicert/protocol';
import { SoftTokenProvider } from '../src/providers/soft/soft-token-provider.js';
import { SOFT_TOKEN_MAX_TRIES } from '../src/providers/soft/soft-token-file.js';

const PIN = 'Keys2468x';
const WRONG = 'Wrong1357x';
const reasonOf = (reason: string) => (e: unknown) => e instanceof AgentError && e.reason === reason;

describe('software token key generation', () => {
  const crypto = createRequire(import.meta.url)('node:crypto') as Record<string, unknown>;
  const originals = { generateKeyPair: crypto.generateKeyPair, generateKeyPairSync: crypto.generateKeyPairSync };
  const calls = { generateKeyPair: 0, generateKeyPairSync: 0 };
  let home: string;
  let provider: SoftTokenProvider;

  before(() => {
    // Count key generations where node:crypto does them; the module's ESM bindings follow (syncBuiltinESMExports).
    for (const name of ['generateKeyPair', 'generateKeyPairSync'] as const) {
      const original = originals[name] as (...args: unknown[]) => unknown;
      crypto[name] = (...args: unknown[]) => {
        calls[name]++;
        return original(...args);
      };
    }
    syncBuiltinESMExports();
    home = mkdtempSync(join(tmpdir(), 'sicert-keygen-'));
    provider = new SoftTokenProvider(home);
  });

  after(() => {
    Object.assign(crypto, originals);
    syncBuiltinESMExports();
    rmSync(home, { recursive: true, force: true });
  });

  const generated = () => calls.generateKeyPair + calls.generateKeyPairSync;

  it('generates nothing for a wrong PIN or a locked token, and generates asynchronously for the right one', async () => {
    const SOFT_TOKEN_ID = await provider.createToken('张三', PIN);
    await provider.generateKey(SOFT_TOKEN_ID, PIN, 'ECDSA-P256');
    assert.equal(calls.generateKeyPair, 1, 'the first key, asynchronously');
    assert.equal(calls.generateKeyPairSync, 0, 'never on the event loop');

    const before = generated();
    await assert.rejects(provider.generateKey(SOFT_TOKEN_ID, WRONG, 'RSA-2048'), reasonOf('PIN_INCORRECT'));
    assert.equal(generated(), before, 'a wrong PIN generates no key');
    for (let i = 1; i < SOFT_TOKEN_MAX_TRIES; i++) await assert.rejects(provider.generateKey(SOFT_TOKEN_ID, WRONG, 'RSA-2048'));
    await assert.rejects(provider.generateKey(SOFT_TOKEN_ID, PIN, 'RSA-2048'), reasonOf('PIN_LOCKED'));
    assert.equal(generated(), before, 'a locked token generates no key');
    assert.equal((await provider.listTokens())[0]?.pin.locked, true);
  });
});
