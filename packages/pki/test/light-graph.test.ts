// `@sicert/pki/light` must never bring pkijs or asn1js in: the agent imports it at start and on every signature.
// A child process imports the entry under a resolve hook that records every module it loads; the same recorder
// sees pkijs when the full entry is imported, so an empty answer is not a recorder that saw nothing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadedUrls, pkijsUrls, RECORD_LOADS_ARGS } from '@sicert/test-support/load-recorder';

const dir = mkdtempSync(join(tmpdir(), 'sicert-light-graph-'));
const PACKAGE = new URL('..', import.meta.url);

/** The module URLs a fresh Node loads to import `specifier` (from this package's folder) and call `use`. */
function loadsOf(name: string, specifier: string, use = ''): string[] {
  const log = join(dir, `${name}.log`);
  const code = `const m = await import(${JSON.stringify(specifier)}); ${use}`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...RECORD_LOADS_ARGS, '--input-type=module', '-e', code], {
    cwd: PACKAGE,
    env: { ...process.env, SICERT_LOAD_LOG: log },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return loadedUrls(log);
}

// Use what the agent uses, so a lazy import inside one of them would show too.
const USE = `
  const der = m.ecPublicKeyInfo(new Uint8Array(65).fill(4));
  await m.keyIdOf(der);
  m.publicKeyAlgorithm(der);
  try { m.certificateFields(new Uint8Array([0x30, 0])); } catch {}
  await m.createSignedData({ digest: new Uint8Array(32), certificate: new Uint8Array([0x30, 0]) }, m.messageSigner({ algorithm: 'ECDSA-P256', signDigest: async () => new Uint8Array(8) })).catch(() => {});
`;

describe('the light entry point', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('its source graph loads neither pkijs nor asn1js', () => {
    const urls = loadsOf('source', './src/light.ts', USE);
    assert.ok(urls.some((url) => url.endsWith('/src/cms-sign.ts')), 'the recorder saw the entry’s own modules');
    assert.deepEqual(pkijsUrls(urls), []);
  });

  it('the published subpath @sicert/pki/light (the build, through package.json exports) loads neither', () => {
    const urls = loadsOf('subpath', '@sicert/pki/light', USE);
    assert.ok(urls.some((url) => url.endsWith('/packages/pki/dist/light.js')), 'the subpath resolves to dist/light.js');
    assert.deepEqual(pkijsUrls(urls), []);
  });

  it('the recorder does see pkijs and asn1js where they are loaded: the full entry', () => {
    const urls = loadsOf('full', './src/index.ts');
    assert.ok(pkijsUrls(urls).some((url) => url.includes('/node_modules/pkijs/')));
    assert.ok(pkijsUrls(urls).some((url) => url.includes('/node_modules/asn1js/')));
  });

  it('declares the subpath with its types', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', PACKAGE), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    assert.deepEqual(manifest.exports['./light'], { types: './dist/light.d.ts', default: './dist/light.js' });
  });
});
