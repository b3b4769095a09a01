// The single software-token store of earlier versions (test/fixtures/legacy-store), copied into an agent home.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/legacy-store/', import.meta.url));

/** What the fixture holds: its password, the CA, and the key ids of 张三 (ECDSA), 李四 (RSA) and a pending key. */
export const LEGACY = {
  ...(JSON.parse(readFileSync(join(FIXTURE, 'keys.json'), 'utf8')) as { pin: string; zhang: string; li: string; pending: string }),
  root: new Uint8Array(readFileSync(join(FIXTURE, 'root.der'))),
  path: join(FIXTURE, 'soft-default.json'),
};

/** A new agent home whose token directory holds a copy of the single store; returns the home and that directory. */
export function homeWithLegacyStore(prefix = 'sicert-legacy-'): { home: string; dir: string } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(home, 'soft-token');
  mkdirSync(dir, { mode: 0o700 });
  copyFileSync(LEGACY.path, join(dir, 'soft-default.json'));
  return { home, dir };
}
