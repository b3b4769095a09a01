// The single executable's entry (packaging/sea.mjs bundles from here): the doctor's module probe when asked for
// (`sea/probe-invocation.ts`), otherwise the CLI. The probe is imported only then: it loads pkcs11js and its
// addon, which the CLI's other commands load only when they need them.
import { run } from '../cli.js';
import { PROBE_ARGUMENT } from './probe-invocation.js';

// In a single executable argv is [executable, how it was called, ...arguments], as for `node script`.
const args = process.argv.slice(2);
if (args[0] === PROBE_ARGUMENT) void import('../doctor/probe-module.js').then(({ printProbe }) => printProbe(args[1] ?? ''));
else run(args);
