// `npm test`: the whole suite, on real parts. Installs Chromium, SoftHSM2, OpenSC and OpenSSL through apt when
// missing (as root), `npm ci`, builds, type-checks the tests, lints, then runs:
//   node:test   protocol, pki, agent (SoftHSM2 + software token, verified by OpenSSL), demo API, end to end, docs site
//   postgres    the demo's API tests and one end-to-end application again, on PostgreSQL instead of SQLite
//   browser     the elements in Chromium under web-test-runner, against a real agent
// `npm test -- node` or `npm test -- elements` runs one part. Anything missing fails the run: nothing is skipped.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, build, checkNode, die, ensureDependencies, ensureSystemPackages, run, runCapture } from './prepare.mjs';

const only = process.argv[2];

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(ROOT, dir, name);
    if (name === 'node_modules' || name === 'support') continue;
    if (statSync(path).isDirectory()) out.push(...testFiles(relative(ROOT, path)));
    else if (name.endsWith('.test.ts')) out.push(relative(ROOT, path));
  }
  return out.sort();
}

checkNode();
ensureSystemPackages({
  chromium: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  softhsm2: '/usr/lib/softhsm/libsofthsm2.so',
  // pkcs11-tool provisions a USB-Key the way OpenSC and PKCS#12 imports do (test/pkcs11-hidden-keys.test.ts).
  opensc: '/usr/bin/pkcs11-tool',
  openssl: '/usr/bin/openssl',
  // `npm run package` and its test (packages/agent/test/package.test.ts): strip, dpkg-shlibdeps, systemd-analyze.
  binutils: '/usr/bin/strip',
  'dpkg-dev': '/usr/bin/dpkg-shlibdeps',
  systemd: '/usr/bin/systemd-analyze',
  // The demo's store on a server database (demo/test/support/store.ts); the server package brings postgresql-common.
  postgresql: '/usr/bin/pg_ctlcluster',
});
ensureDependencies();
build();
// Tests are type-checked too: the test runners strip types without checking them.
if (!only) run('npm', ['run', '--silent', 'typecheck:tests']);
if (!only) run('npm', ['run', '--silent', 'lint']);

const totals = { passed: 0, failed: 0 };
let failedSuites = 0;

/**
 * Runs node:test over `files` (with `env` added) and adds up what passed and failed. --conditions=sicert-source:
 * @sicert/pki's `#verify-backend` import resolves to its TypeScript source rather than dist/, so the tests (and
 * Stryker, whose sandbox has no dist/) exercise the sources.
 */
async function nodeTests(files, env = {}) {
  const { code, output } = await runCapture(process.execPath, ['--conditions=sicert-source', '--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { env: { ...process.env, ...env } });
  const passed = Number(/^ℹ pass (\d+)/m.exec(output)?.[1] ?? 0);
  const failed = Number(/^ℹ fail (\d+)/m.exec(output)?.[1] ?? 0);
  if (passed === 0) die('node:test ran no test');
  totals.passed += passed;
  totals.failed += failed;
  if (code !== 0) failedSuites++;
}

if (!only || only === 'node') {
  // One throwaway PostgreSQL for the whole run; each demo test file makes a database of its own in it.
  const { tsImport } = await import('tsx/esm/api');
  const { startThrowawayPostgres } = await tsImport('../packages/test-support/src/postgres.ts', import.meta.url);
  const postgres = await startThrowawayPostgres();
  try {
    const env = { SICERT_TEST_POSTGRES_URL: postgres.url };
    await nodeTests(['packages/protocol/test', 'packages/pki/test', 'packages/agent/test', 'packages/elements/test/node', 'packages/agent-mock/test', 'demo/test', 'demo/e2e', 'docs/test'].flatMap(testFiles), env);
    // Again on PostgreSQL: every demo test file that opens the store, and the wizard-to-installed-certificate e2e
    // (the two-servers test is on PostgreSQL already).
    const onStore = testFiles('demo/test').filter((f) => readFileSync(join(ROOT, f), 'utf8').includes('testStore('));
    await nodeTests([...onStore, 'demo/e2e/apply-for-certificate.test.ts'], { ...env, SICERT_TEST_STORE: 'postgres' });
  } finally {
    await postgres.close();
  }
}
if (!only || only === 'elements') {
  const { code, output } = await runCapture(process.execPath, ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs']);
  const counts = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  if (!counts || Number(counts[1]) === 0) die('web-test-runner ran no test');
  totals.passed += Number(counts[1]);
  totals.failed += Number(counts[2]);
  if (code !== 0) failedSuites++;
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSuites || totals.failed ? 1 : 0);
