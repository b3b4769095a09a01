// What a child process loads, seen from inside: a resolve hook records every module URL it resolves. Tests use it
// to prove that a module graph (the light pki entry, the agent's start and signing path) never loads pkijs.
import { existsSync, readFileSync } from 'node:fs';

const HOOKS = new URL('./load-recorder-hooks.mjs', import.meta.url).href;

/** Node arguments that register the recorder; give the child `SICERT_LOAD_LOG=<file>` in its environment. */
export const RECORD_LOADS_ARGS = ['--import', `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(HOOKS)})`];

/** The module URLs recorded in `logFile` so far, without repeats, in the order first seen. */
export function loadedUrls(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  return [...new Set(readFileSync(logFile, 'utf8').split('\n').filter(Boolean))];
}

/** The URLs among `urls` inside the pkijs or asn1js packages. */
export function pkijsUrls(urls: readonly string[]): string[] {
  return urls.filter((url) => /\/node_modules\/(?:pkijs|asn1js)\//.test(url));
}
