// Shared by `npm start` and `npm test`: check Node, install system packages when asked, `npm ci`, build.
// Plain Node with no dependencies: it runs before node_modules exists.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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
export function runCapture(command, args) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export function build() {
  run('npm', ['run', '--silent', 'build']);
}

export function commandExists(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
