import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Loads the native addon `name` from beside the executable's real file (`/usr/bin/sicert-agent` is a link to
 * `/usr/lib/sicert-agent/sicert-agent`), the one way a single executable reaches a `.node` file: its `require`
 * knows only Node's built-in modules. The executable's bundle routes pkcs11js's `require` of its addon here, in
 * the main thread and in signing threads alike (packaging/sea.mjs).
 */
export function loadAddon(name: string): unknown {
  const file = join(dirname(realpathSync(process.execPath)), name);
  if (!existsSync(file)) {
    throw new Error(`缺少 ${file}，请重新安装 sicert-agent | ${file} is missing: reinstall sicert-agent`);
  }
  const module = { exports: {} };
  process.dlopen(module, file);
  return module.exports;
}
