// Loads one PKCS#11 module and prints what it sees as JSON. The doctor runs this in a child process
// (probe-module-main.ts), so a vendor module that crashes or hangs cannot take the doctor down with it.
import pkcs11js from 'pkcs11js';

/** What a module reported. */
export interface ModuleReport {
  library: string;
  tokens: { label: string; manufacturer: string; model: string; serial: string; initialized: boolean; locked: boolean; countLow: boolean; finalTry: boolean }[];
}

const clean = (text: string) => text.replace(/\0/g, '').trim();

/** Loads `path`, lists its tokens with their PIN flags, and finalises it. Throws what the module threw. */
export function probeModule(path: string): ModuleReport {
  const lib = new pkcs11js.PKCS11();
  lib.load(path);
  lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  try {
    const info = lib.C_GetInfo();
    const tokens = lib.C_GetSlotList(true).map((slot) => {
      const t = lib.C_GetTokenInfo(slot);
      const f = t.flags;
      return {
        label: clean(t.label),
        manufacturer: clean(t.manufacturerID),
        model: clean(t.model),
        serial: clean(t.serialNumber),
        initialized: Boolean(f & pkcs11js.CKF_TOKEN_INITIALIZED) && Boolean(f & pkcs11js.CKF_USER_PIN_INITIALIZED),
        locked: Boolean(f & pkcs11js.CKF_USER_PIN_LOCKED),
        countLow: Boolean(f & pkcs11js.CKF_USER_PIN_COUNT_LOW),
        finalTry: Boolean(f & pkcs11js.CKF_USER_PIN_FINAL_TRY),
      };
    });
    return { library: `${clean(info.manufacturerID)} ${clean(info.libraryDescription)}`.trim(), tokens };
  } finally {
    lib.C_Finalize();
  }
}

/** The child process's work: the report of `path` as JSON on stdout, or the error (exit code 3). */
export function printProbe(path: string): void {
  try {
    process.stdout.write(JSON.stringify(probeModule(path)));
  } catch (error) {
    process.stdout.write(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    process.exitCode = 3;
  }
}
