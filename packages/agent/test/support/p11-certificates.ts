// Lists the certificate objects on a SoftHSM2 token from a fresh process, so a test sees what is really stored
// (a process that already loaded SoftHSM2 keeps its own view of the token).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pkcs11js from 'pkcs11js';

/** One certificate object: its CKA_ID (hex, empty for a chain certificate) and DER (base64). */
export interface StoredObject {
  id: string;
  der: string;
}

/** The certificate objects on the token labelled `label`, read by a new process with `conf` as SOFTHSM2_CONF. */
export function certificatesOnToken(conf: string, module: string, label: string): StoredObject[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), module, label], { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' });
  return JSON.parse(out) as StoredObject[];
}

function list(module: string, label: string): StoredObject[] {
  const lib = new pkcs11js.PKCS11();
  lib.load(module);
  lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.replace(/\0/g, '').trim() === label);
    if (slot === undefined) throw new Error(`no token labelled ${label}`);
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }]);
    const handles = lib.C_FindObjects(session, 1000);
    lib.C_FindObjectsFinal(session);
    const out = handles.map((h) => {
      const [id, value] = lib.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_VALUE }]);
      return { id: (id?.value as Buffer | undefined)?.toString('hex') ?? '', der: (value?.value as Buffer).toString('base64') };
    });
    lib.C_CloseSession(session);
    return out;
  } finally {
    lib.C_Finalize();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(list(process.argv[2]!, process.argv[3]!)));
}
