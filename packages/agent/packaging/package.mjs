// `npm run package`: the agent as a native single executable and a .deb, under release/ (see docs/agent.md,
// "Installing"). Needs `tsc -b` first (the unit text comes from the built agent).
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildDeb } from './deb.mjs';
import { buildExecutable } from './sea.mjs';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');

/** Builds release/sicert-agent (with release/pkcs11.node) and release/sicert-agent_<version>_<arch>.deb. */
export async function packageAgent(out = join(ROOT, 'release')) {
  const work = join(out, 'build');
  const built = await buildExecutable({ out, work });
  const { PACKAGED_MARK, systemdUnit } = await import('../dist/autostart/systemd-unit.js');
  const unit = systemdUnit(['/usr/bin/sicert-agent'], PACKAGED_MARK);
  const deb = buildDeb({ ...built, unit, out, work });
  return { ...built, deb };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  // An output directory other than release/ (the tests build into a temporary one).
  const { executable, addon, deb } = await packageAgent(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`${executable}\n${addon}\n${deb}\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
