// OpenSC's pkcs11-tool, as a citizen's or a vendor's tooling provisions a USB-Key: a private key and a certificate
// written as objects, with no public key object beside them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SoftHsm } from '@sicert/test-support/softhsm';

export const PKCS11_TOOL = process.env.PKCS11_TOOL ?? '/usr/bin/pkcs11-tool';

/** Runs pkcs11-tool against the SoftHSM2 token of `hsm`, logged in as its user. Fails loudly when OpenSC is missing. */
export function pkcs11Tool(hsm: SoftHsm, args: string[]): string {
  if (!existsSync(PKCS11_TOOL)) throw new Error(`OpenSC's pkcs11-tool is not installed (${PKCS11_TOOL} is missing): apt-get install opensc`);
  return execFileSync(PKCS11_TOOL, ['--module', hsm.module, '--token-label', hsm.label, '--login', '--pin', hsm.pin, ...args], {
    env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Writes a DER object (`privkey` as PKCS#8, or `cert`) with CKA_ID `id` (hex) and a label. */
export function writeObject(hsm: SoftHsm, file: string, type: 'privkey' | 'cert', id: string, label: string): void {
  pkcs11Tool(hsm, ['--write-object', file, '--type', type, '--id', id, '--label', label]);
}
