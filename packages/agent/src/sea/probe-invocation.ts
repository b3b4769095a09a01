import type { ProbeInvocation } from '../doctor/probe-invocation.js';

/** The argument that makes the executable probe one module and exit (read by `sea/main.ts`, before the CLI). */
export const PROBE_ARGUMENT = '--sicert-probe-module';

/** In the single executable: the executable itself, told to probe (it has no probe file to run). */
export function probeInvocation(modulePath: string): ProbeInvocation {
  return { command: process.execPath, args: [PROBE_ARGUMENT, modulePath] };
}
