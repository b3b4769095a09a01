// When SoftHSM2 must be re-initialised: its token directory changed (a token created or deleted by another program).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BLIND_REINIT_MS, parseSoftHsmConf, softHsmPolicy, softHsmTokenDir } from '../src/providers/pkcs11/pkcs11-reinit.js';

describe('SoftHSM2 re-initialisation policy', () => {
  it('reads directories.tokendir from the configuration SoftHSM2 reads, ignoring comments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-reinit-'));
    try {
      const conf = join(dir, 'softhsm2.conf');
      writeFileSync(conf, '# directories.tokendir = /wrong\ndirectories.tokendir = /var/tokens dir \nobjectstore.backend = file\n');
      assert.equal(softHsmTokenDir({ SOFTHSM2_CONF: conf }), '/var/tokens dir');
      writeFileSync(conf, 'log.level = ERROR\n');
      assert.equal(softHsmTokenDir({ SOFTHSM2_CONF: conf }), '/var/lib/softhsm/tokens/', 'the built-in default');
      assert.equal(softHsmTokenDir({ SOFTHSM2_CONF: join(dir, 'missing.conf') }), undefined);
      assert.deepEqual([...parseSoftHsmConf('a.b=1\n  # c = 2\nslots.removable = true').entries()], [['a.b', '1'], ['slots.removable', 'true']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is stale until first accepted, then when a token directory appears or goes, or its description is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-reinit-'));
    try {
      const policy = softHsmPolicy(dir);
      let look = policy.look();
      assert.equal(policy.stale(look), true, 'never initialised against this look');
      policy.accept(look);
      assert.equal(policy.stale(policy.look()), false);
      mkdirSync(join(dir, 'b1c2'));
      look = policy.look();
      assert.equal(policy.stale(look), true, 'a token created');
      policy.accept(look);
      assert.equal(policy.stale(policy.look()), false);
      // softhsm2-util makes the directory first and writes the token into it after: seen half-made, it is not a token yet.
      writeFileSync(join(dir, 'b1c2', 'token.object'), 'initialised');
      look = policy.look();
      assert.equal(policy.stale(look), true, 'the new token written into its directory');
      policy.accept(look);
      writeFileSync(join(dir, 'b1c2', '4f1e.object'), 'a certificate');
      assert.equal(policy.stale(policy.look()), false, 'an object added to a token needs no re-initialisation');
      // SoftHSM2 rewrites the description on every login (same size, new content and time): the sessions the agent
      // keeps open must survive it.
      writeFileSync(join(dir, 'b1c2', 'token.object'), 'initialisee');
      utimesSync(join(dir, 'b1c2', 'token.object'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
      assert.equal(policy.stale(policy.look()), false, 'a login rewriting the description needs no re-initialisation');
      // ...and SoftHSM2 empties it first: another program's login caught half-way is no change either.
      writeFileSync(join(dir, 'b1c2', 'token.object'), '');
      assert.equal(policy.stale(policy.look()), false, 'a description being rewritten needs no re-initialisation');
      rmSync(join(dir, 'b1c2', 'token.object'));
      assert.equal(policy.stale(policy.look()), false, 'a deletion under way is seen once the directory is gone');
      rmSync(join(dir, 'b1c2'), { recursive: true });
      assert.equal(policy.stale(policy.look()), true, 'a token deleted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a readable token directory, re-initialises at most every BLIND_REINIT_MS', () => {
    let now = 1_000;
    const policy = softHsmPolicy(undefined, () => now);
    assert.equal(policy.look(), undefined);
    assert.equal(policy.stale(undefined), true);
    policy.accept(undefined);
    now += BLIND_REINIT_MS - 1;
    assert.equal(policy.stale(undefined), false);
    now += 1;
    assert.equal(policy.stale(undefined), true);
    assert.equal(softHsmPolicy('/nonexistent/sicert').look(), undefined);
  });
});
