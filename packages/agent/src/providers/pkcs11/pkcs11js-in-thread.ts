import { createRequire } from 'node:module';

/**
 * The JavaScript expression a signing thread evaluates to get pkcs11js: a `require` of the installed package.
 * The single executable swaps this module for `sea/pkcs11js-in-thread.ts` (see packaging/sea.mjs), since a thread
 * there has no package on disk to require.
 */
export function pkcs11jsInThread(): string {
  return `require(${JSON.stringify(createRequire(import.meta.url).resolve('pkcs11js'))})`;
}
