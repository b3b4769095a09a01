// The single executable's entry (packaging/sea.mjs bundles from here): the doctor's module probe when asked for
// (`sea/probe-invocation.ts`), otherwise the CLI.
import { run } from '../cli.js';
import { printProbe } from '../doctor/probe-module.js';
import { PROBE_ARGUMENT } from './probe-invocation.js';

// In a single executable argv is [executable, how it was called, ...arguments], as for `node script`.
const args = process.argv.slice(2);
if (args[0] === PROBE_ARGUMENT) printProbe(args[1] ?? '');
else run(args);
