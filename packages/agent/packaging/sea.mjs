// The agent as a native single executable (Node's single executable application): the agent bundled by esbuild
// into one CommonJS file, a preparation blob from `node --experimental-sea-config`, and the blob injected into a
// copy of this Node with postject. pkcs11js's native addon is copied beside it and loaded from there
// (src/sea/native-addon.ts): in the executable, `require` reaches only Node's built-in modules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const AGENT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(AGENT, 'package.json'));
/** The fuse Node's binary carries until a blob is injected (Node's documentation, "Single executable applications"). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const THREAD_ASSET = 'pkcs11js-thread.js';

/**
 * Modules the executable replaces with their `src/sea/` twin: where the agent finds files beside its own sources,
 * the executable has none. Each twin exports what the module exports.
 */
const TWINS = {
  'providers/pkcs11/pkcs11js-in-thread.ts': 'sea/pkcs11js-in-thread.ts',
  'doctor/probe-invocation.ts': 'sea/probe-invocation.ts',
};

/**
 * esbuild plugin: the twins, the version as a constant, pkcs11js's addon through `loadAddon`, and @sicert/pki's
 * `verifyMany` in its thread-less variant (its threads load files beside the package, which the executable has not;
 * the agent verifies no batches).
 */
function seams(version) {
  const src = join(AGENT, 'src');
  return {
    name: 'sicert-sea-seams',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith(src)) return undefined;
        const rel = args.path.slice(src.length + 1).replaceAll('\\', '/');
        if (rel === 'version.ts') return { contents: `export const AGENT_VERSION: string = ${JSON.stringify(version)};`, loader: 'ts' };
        if (TWINS[rel]) return { contents: readFileSync(join(src, TWINS[rel]), 'utf8'), loader: 'ts', resolveDir: join(src, 'sea') };
        return undefined;
      });
      b.onResolve({ filter: /^#verify-many$/ }, (args) => ({ path: join(dirname(args.importer), 'verify-many-browser.js') }));
      b.onResolve({ filter: /pkcs11\.node$/ }, () => ({ path: 'pkcs11-addon', namespace: 'sicert-addon' }));
      b.onLoad({ filter: /.*/, namespace: 'sicert-addon' }, () => ({
        contents: `module.exports = require(${JSON.stringify(join(src, 'sea/native-addon.ts'))}).loadAddon('pkcs11.node');`,
        loader: 'js',
        resolveDir: src,
      }));
    },
  };
}

/** Bundles with esbuild; a warning fails the build (an `import.meta` left in CommonJS would be undefined at run time). */
async function bundle(options, version) {
  const result = await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ws's optional native speed-ups are not shipped: ws is told not to look for them (a `require` of them in the
    // executable would print Node's warning that it loads only built-in modules) and uses its JavaScript.
    external: ['bufferutil', 'utf-8-validate'],
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
    plugins: [seams(version)],
    logLevel: 'silent',
    legalComments: 'none',
    ...options,
  });
  if (result.warnings.length) throw new Error(`esbuild: ${result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`).join('\n')}`);
}

/**
 * Builds `<out>/sicert-agent` and `<out>/pkcs11.node`; returns their paths. `work` holds the bundle and the blob.
 */
export async function buildExecutable({ out, work }) {
  const { version } = JSON.parse(readFileSync(join(AGENT, 'package.json'), 'utf8'));
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(out, { recursive: true });
  const main = join(work, 'sicert-agent.cjs');
  const thread = join(work, THREAD_ASSET);
  await bundle({ entryPoints: [join(AGENT, 'src/sea/main.ts')], outfile: main }, version);
  // pkcs11js for the signing threads, as one IIFE that sets `__sicertPkcs11js` (src/sea/pkcs11js-in-thread.ts).
  await bundle({ entryPoints: [require.resolve('pkcs11js')], outfile: thread, format: 'iife', globalName: '__sicertPkcs11js' }, version);
  const config = join(work, 'sea-config.json');
  const blob = join(work, 'sea-prep.blob');
  // execArgvExtension "none": the executable takes no Node options from NODE_OPTIONS (`--require` would load any
  // file into the agent). Node 20 does not know the field and still honours NODE_OPTIONS (docs/security.md); the
  // Node versions that know it (the 22 and 24 lines' later releases) apply it to a build made with them.
  writeFileSync(
    config,
    JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, execArgvExtension: 'none', assets: { [THREAD_ASSET]: thread } }, null, 2),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const executable = join(out, 'sicert-agent');
  const addon = join(out, 'pkcs11.node');
  rmSync(executable, { force: true });
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  // Node's symbol table is not needed to run (addons bind through the dynamic one, which stays); strip before the
  // blob goes in, as stripping rewrites the file.
  execFileSync('strip', ['--strip-unneeded', executable]);
  execFileSync(process.execPath, [require.resolve('postject/dist/cli.js'), executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { stdio: 'ignore' });
  copyFileSync(join(dirname(require.resolve('pkcs11js')), 'build/Release/pkcs11.node'), addon);
  chmodSync(addon, 0o644);
  return { executable, addon, version };
}
