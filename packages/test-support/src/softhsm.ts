// A real SoftHSM2 token in a private temporary directory, as the agent's tests, the browser tests, the
// end-to-end test and the benchmark use it. Never touches the system's SoftHSM2 configuration.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SOFTHSM_MODULE = process.env.SOFTHSM2_MODULE ?? '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsm {
  dir: string;
  conf: string;
  module: string;
  label: string;
  pin: string;
  soPin: string;
  /** Removes the token directory. */
  dispose(): void;
}

/**
 * Creates a token directory and one initialised token. Sets `SOFTHSM2_CONF` in this process, so it must be
 * called before the module is loaded (one SoftHSM2 configuration per process).
 */
export function createSoftHsm(label = 'sicert-test', pin = 'Ukey2468', soPin = 'So13579x'): SoftHsm {
  if (!existsSync(SOFTHSM_MODULE)) {
    throw new Error(`SoftHSM2 is not installed (${SOFTHSM_MODULE} is missing): apt-get install softhsm2`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'sicert-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'ignore',
  });
  return { dir, conf, module: SOFTHSM_MODULE, label, pin, soPin, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
