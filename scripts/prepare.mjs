// Shared by `npm start` and `npm test`: check Node, install system packages when asked, `npm ci`, build.
// Plain Node with no dependencies: it runs before node_modules exists.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Stops with a message a person can act on. */
export function die(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Runs a command in the repository root, inheriting stdio; stops on failure. */
export function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) die(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

/** Like {@link run}, but also returns what the command printed (streamed through as it comes). */
export function runCapture(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) die(`Node.js ≥ 20.19 is required; this is ${process.versions.node}.`);
}

/**
 * Makes sure the Debian packages exist: installs them through apt when running as root, otherwise names them.
 * `packages` maps a package name to a file it provides.
 */
export function ensureSystemPackages(packages) {
  const missing = Object.entries(packages).filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    die(`Missing system packages: ${missing.join(', ')}.\n  Install them (Debian/Ubuntu): sudo apt-get install -y ${missing.join(' ')}`);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const still = Object.entries(packages).filter(([, file]) => !existsSync(file)).map(([name]) => name);
  if (still.length) die(`apt-get did not provide: ${still.join(', ')}`);
}

const DEPENDENCIES_STAMP = join(ROOT, 'node_modules', '.cache', 'sicert-dependencies.stamp');

const lockHash = () => createHash('sha256').update(readFileSync(join(ROOT, 'package-lock.json'))).digest('hex');

/**
 * `npm ci` when node_modules is missing or older than the lockfile, unless the lockfile's content is the one the
 * last `npm ci` here installed (a checkout touches its time without changing it).
 */
export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  const installed = existsSync(marker) && (statSync(marker).mtimeMs >= statSync(lock).mtimeMs || (existsSync(DEPENDENCIES_STAMP) && readFileSync(DEPENDENCIES_STAMP, 'utf8') === lockHash()));
  if (!installed) run('npm', ['ci', '--no-audit', '--no-fund']);
  if (!existsSync(DEPENDENCIES_STAMP) || readFileSync(DEPENDENCIES_STAMP, 'utf8') !== lockHash()) {
    mkdirSync(dirname(DEPENDENCIES_STAMP), { recursive: true });
    writeFileSync(DEPENDENCIES_STAMP, lockHash());
  }
}

export function build() {
  run('npm', ['run', '--silent', 'build']);
}

/** What the build reads and what it writes: a change to any of them (or a missing output) means build again. */
const BUILD_INPUTS = ['package-lock.json', 'tsconfig.json', 'tsconfig.base.json', 'rollup.config.mjs', 'custom-elements-manifest.config.mjs', 'packages', 'demo/server', 'demo/package.json', 'demo/tsconfig.json', 'demo/dist'];
const BUILD_OUTPUTS = ['packages/protocol/dist', 'packages/pki/dist', 'packages/agent/dist', 'packages/elements/dist', 'demo/dist/main.js'];
const SKIPPED = new Set(['node_modules', 'test', 'e2e', 'bin']);
export const BUILD_STAMP = join(ROOT, 'node_modules', '.cache', 'sicert-build.stamp');

/** Every file under `paths` with its size and modification time, hashed: the build's fingerprint. */
export function buildFingerprint() {
  const hash = createHash('sha256');
  const visit = (relative) => {
    const path = join(ROOT, relative);
    if (!existsSync(path)) return hash.update(`${relative} missing\n`);
    const stat = statSync(path);
    if (!stat.isDirectory()) return hash.update(`${relative} ${stat.size} ${stat.mtimeMs}\n`);
    for (const name of readdirSync(path).sort()) if (!SKIPPED.has(name)) visit(`${relative}/${name}`);
  };
  for (const relative of BUILD_INPUTS) visit(relative);
  return hash.digest('hex');
}

/**
 * Builds unless nothing the build reads or writes changed since the last build this function made (a second
 * `npm start` is then ready in a couple of seconds). A missing output always builds.
 */
export function buildIfStale() {
  const missing = BUILD_OUTPUTS.filter((relative) => !existsSync(join(ROOT, relative)));
  if (missing.length === 0 && existsSync(BUILD_STAMP) && readFileSync(BUILD_STAMP, 'utf8') === buildFingerprint()) {
    console.log('Build is current; not rebuilding. / 已是最新构建。');
    return;
  }
  build();
  mkdirSync(dirname(BUILD_STAMP), { recursive: true });
  writeFileSync(BUILD_STAMP, buildFingerprint());
}

export function commandExists(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
