import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultConfig, resolveConfig } from '../src/index.js';

describe('limit settings', () => {
  it('caps connections per origin well under the global cap by default', () => {
    const config = defaultConfig();
    assert.ok(config.maxConnectionsPerOrigin >= 1 && config.maxConnectionsPerOrigin < config.maxConnections);
  });

  it('takes maxConnectionsPerOrigin from the environment and the config file, and refuses a limit that is not a positive integer', () => {
    const home = mkdtempSync(join(tmpdir(), 'sicert-config-'));
    try {
      assert.equal(resolveConfig({ home }, { SICERT_MAX_CONNECTIONS_PER_ORIGIN: '4' }).maxConnectionsPerOrigin, 4);
      assert.throws(() => resolveConfig({ home }, { SICERT_MAX_CONNECTIONS_PER_ORIGIN: 'many' }), /SICERT_MAX_CONNECTIONS_PER_ORIGIN/);
      const file = join(home, 'config.json');
      writeFileSync(file, JSON.stringify({ maxConnectionsPerOrigin: 3 }));
      assert.equal(resolveConfig({ home }, {}).maxConnectionsPerOrigin, 3);
      for (const bad of ['8', 0, -1, 2.5, null]) {
        writeFileSync(file, JSON.stringify({ maxInFlight: bad }));
        assert.throws(() => resolveConfig({ home }, {}), /maxInFlight: expected a positive integer/);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
