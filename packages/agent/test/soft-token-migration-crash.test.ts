// Splitting the single store is crash-safe at every step: an agent killed (SIGKILL) just before or just after each
// file it renames into place or removes, then started again, ends with exactly the tokens a clean split makes, byte
// for byte: no key or certificate lost, no token twice, no temporary file left.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { toBase64 } from '@sicert/pki';
import { createLogger, defaultConfig, startAgent } from '../src/index.js';
import { readTokenFile } from '../src/providers/soft/soft-token-file.js';
import { splitLegacyStore } from '../src/providers/soft/soft-token-migration.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { spawnAgent } from './support/cli-process.js';
import { homeWithLegacyStore, LEGACY } from './support/legacy-store.js';

const HOOK = fileURLToPath(new URL('./support/crash-hook.ts', import.meta.url));
const expected = splitLegacyStore(readTokenFile(LEGACY.path).file!);
/** Each token file renamed into place, then the store removed. */
const STEPS = expected.length + 1;

describe('splitting the single store, killed at every step', () => {
  const homes: string[] = [];
  after(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  for (let step = 1; step <= STEPS; step++) {
    for (const when of ['before', 'after'] as const) {
      it(`killed ${when} step ${step} of ${STEPS}: the next start finishes the split`, async () => {
        const { home, dir } = homeWithLegacyStore('sicert-legacy-crash-');
        homes.push(home);
        await assert.rejects(spawnAgent({ home, nodeArgs: ['--import', HOOK], env: { SICERT_CRASH_DIR: dir, SICERT_CRASH_AT: `${when}:${step}` } }), /exited/);
        assert.match(readFileSync(join(dirname(dir), 'crashed'), 'utf8'), new RegExp(`^${when}:${step} `), 'the agent died where the test meant it to');
        assert.equal(existsSync(join(dir, 'soft-default.json')), !(when === 'after' && step === STEPS), 'the store stays until the last step');

        const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
        const client = connect(agent.url);
        try {
          assert.deepEqual(readdirSync(dir).sort(), expected.map((t) => `${t.id}.json`).sort(), 'exactly the split tokens, and nothing else');
          for (const token of expected) assert.deepEqual(readTokenFile(join(dir, `${token.id}.json`)).file, token.file);
          const { tokens } = await client.request('token.list', undefined);
          assert.deepEqual(tokens.map((t) => t.id).sort(), expected.map((t) => t.id).sort());
          const zhang = expected.find((t) => t.file.keys.some((k) => k.id === LEGACY.zhang))!;
          const signed = await client.request('sign.data', { certId: `${zhang.id}/${LEGACY.zhang}`, pin: LEGACY.pin, data: toBase64(new Uint8Array([1])) });
          assert.ok(signed.signature.length > 0);
        } finally {
          client.close();
          await agent.close();
        }
      });
    }
  }
});
