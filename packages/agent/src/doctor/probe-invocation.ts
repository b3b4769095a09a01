import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How the doctor runs a module probe in a child process: the command and its arguments. */
export interface ProbeInvocation {
  command: string;
  args: string[];
}

/**
 * Node running `probe-module-main` beside this file: .js when built, .ts when run from sources under tsx (execArgv
 * carries the loader). The single executable swaps this module for `sea/probe-invocation.ts`.
 */
export function probeInvocation(modulePath: string): ProbeInvocation {
  const here = fileURLToPath(import.meta.url);
  return { command: process.execPath, args: [...process.execArgv, join(dirname(here), `probe-module-main${extname(here)}`), modulePath] };
}
