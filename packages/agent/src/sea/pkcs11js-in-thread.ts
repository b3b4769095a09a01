import { getAsset } from 'node:sea';

/** The name of the asset holding pkcs11js bundled for a signing thread (packaging/sea.mjs writes it). */
export const PKCS11JS_THREAD_ASSET = 'pkcs11js-thread.js';

/**
 * In the single executable: pkcs11js bundled for a signing thread, from the executable's own assets (its native
 * addon loaded through `sea/native-addon.ts`, like the main thread's). Same contract as
 * `providers/pkcs11/pkcs11js-in-thread.ts`, which it replaces there.
 */
export function pkcs11jsInThread(): string {
  // The asset is an IIFE that assigns pkcs11js's exports to one variable: wrapped so the whole is one expression.
  return `(function () {\n${getAsset(PKCS11JS_THREAD_ASSET, 'utf8')}\nreturn __sicertPkcs11js;\n})()`;
}
