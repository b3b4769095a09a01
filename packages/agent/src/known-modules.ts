/** A PKCS#11 module the doctor looks for, with the places its installer usually puts it. */
export interface KnownModule {
  /** Product, as a citizen or a hall operator would name it. */
  name: string;
  paths: Partial<Record<NodeJS.Platform, string[]>>;
}

/**
 * Well-known install paths of PKCS#11 modules: SoftHSM2 and OpenSC as packaged by the common distributions and
 * installers, and examples of USB-Key vendors' modules. Vendors' paths change with driver versions: these are
 * examples a doctor can find, never a substitute for `--module`, and nothing is loaded unless configured.
 */
export const KNOWN_MODULES: readonly KnownModule[] = [
  {
    name: 'SoftHSM2 (testing)',
    paths: {
      linux: ['/usr/lib/softhsm/libsofthsm2.so', '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so', '/usr/lib64/pkcs11/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      darwin: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'],
      win32: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll', 'C:\\SoftHSM2\\lib\\softhsm2.dll'],
    },
  },
  {
    name: 'OpenSC (smart cards and many USB-Keys)',
    paths: {
      linux: ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so', '/usr/lib64/opensc-pkcs11.so', '/usr/lib/opensc-pkcs11.so'],
      darwin: ['/Library/OpenSC/lib/opensc-pkcs11.so', '/opt/homebrew/lib/opensc-pkcs11.so', '/usr/local/lib/opensc-pkcs11.so'],
      win32: ['C:\\Windows\\System32\\opensc-pkcs11.dll', 'C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll'],
    },
  },
  {
    name: '飞天诚信 Feitian ePass2003 (example)',
    paths: { linux: ['/usr/lib/libcastle.so.1.0.0', '/usr/local/lib/libcastle.so.1.0.0'], win32: ['C:\\Windows\\System32\\eps2003csp11.dll'] },
  },
  {
    name: 'SafeNet / Thales eToken (example)',
    paths: { linux: ['/usr/lib/libeTPkcs11.so'], darwin: ['/usr/local/lib/libeTPkcs11.dylib'], win32: ['C:\\Windows\\System32\\eTPKCS11.dll'] },
  },
];

/**
 * Known modules present on this computer, each file once (distributions link one module under several paths):
 * `identity` maps a path to the file it is, e.g. its real path.
 */
export function findKnownModules(exists: (path: string) => boolean, identity: (path: string) => string = (p) => p, platform: NodeJS.Platform = process.platform): { name: string; path: string; file: string }[] {
  const seen = new Set<string>();
  return KNOWN_MODULES.flatMap((m) => (m.paths[platform] ?? []).filter(exists).map((path) => ({ name: m.name, path, file: identity(path) }))).filter((m) => !seen.has(m.file) && Boolean(seen.add(m.file)));
}
