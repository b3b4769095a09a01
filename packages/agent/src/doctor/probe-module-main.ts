// The doctor's child process (see probe-invocation.ts): probes the module named by the first argument.
import { printProbe } from './probe-module.js';

printProbe(process.argv[2] ?? '');
