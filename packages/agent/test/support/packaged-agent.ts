// The agent as a citizen gets it: `npm run package`'s build into a temporary directory, the .deb extracted into a
// root of its own (`dpkg-deb -x`), and its /usr/bin/sicert-agent run with an empty PATH and nothing else of this
// machine's environment (`env -i PATH=`), so neither Node nor node_modules can be reached.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../../packaging/package.mjs', import.meta.url));

export interface ExtractedPackage {
  /** Where the package was built (`release/` of the run). */
  out: string;
  /** The root the .deb was extracted into. */
  root: string;
  /** `<root>/usr/bin/sicert-agent`. */
  bin: string;
  dispose(): void;
}

/** Builds the package (needs `tsc -b` done) and extracts its .deb. */
export function buildAndExtract(): ExtractedPackage {
  const dir = mkdtempSync(join(tmpdir(), 'sicert-package-'));
  const out = join(dir, 'release');
  execFileSync(process.execPath, [PACKAGE, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(out).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`no .deb in ${out}`);
  const root = join(dir, 'root');
  execFileSync('dpkg-deb', ['-x', join(out, deb), root]);
  return { out, root, bin: join(root, 'usr/bin/sicert-agent'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `env -i PATH= <vars> <bin> <args>`: the executable alone, as from a desktop session with nothing on PATH. */
export function runBare(bin: string, args: string[], vars: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/usr/bin/env', ['-i', 'PATH=', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `sicert-agent start` of the extracted package, the same way; resolves with its URL once it listens. */
export function startBare(bin: string, args: string[], vars: Record<string, string>): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const child = spawn('/usr/bin/env', ['-i', 'PATH=', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), bin, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      const url = /listening on (ws:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ url, child, log: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`the packaged agent exited (${code}): ${stderr}`)));
  });
}
