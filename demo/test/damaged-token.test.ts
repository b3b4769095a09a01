// A damaged software-token file must not keep the demo from starting: the portal comes up, the token says
// TOKEN_DAMAGED, and the file is left exactly as it was for recovery.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startDemo } from '../server/demo.js';
import { testStore } from './support/store.js';

describe('demo with a damaged software token', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sicert-demo-damaged-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts anyway, lists the token as damaged and leaves the file untouched', { timeout: 60_000 }, async () => {
    const tokenDir = join(dataDir, 'agent', 'soft-token');
    mkdirSync(tokenDir, { recursive: true, mode: 0o700 });
    const file = join(tokenDir, 'soft-default.json');
    const damaged = '{"format":"sicert-soft-token","version":1,"label":"本机证书 (演示)","ser';
    writeFileSync(file, damaged, { mode: 0o600 });
    const demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, logLevel: 'error' });
    try {
      const page = await fetch(`${demo.portalUrl}/declaration`);
      assert.equal(page.status, 200);
      // The single store of earlier versions, damaged: listed as such, never split; the demo certificate gets a token of its own.
      const tokens = await demo.agent.softToken!.listTokens();
      assert.equal(tokens.find((t) => t.id === 'soft-default')?.damaged, true);
      assert.equal(readFileSync(file, 'utf8'), damaged);
    } finally {
      await demo.close();
    }
  });
});
