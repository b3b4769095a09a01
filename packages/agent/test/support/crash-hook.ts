// Loaded with `node --import` into an agent child process: kills the process (SIGKILL, no cleanup at all) at a
// chosen file-system step, so a test can stop the agent at any step of a multi-file change and check what the next
// start makes of it.
//
//   SICERT_CRASH_DIR   only renames and removals of paths inside this directory count
//   SICERT_CRASH_AT    `before:N` or `after:N`: die just before, or just after, the N-th counted call
//                      (renameSync, rmSync, unlinkSync), having written `<SICERT_CRASH_DIR>/../crashed` first
import { appendFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { dirname, join } from 'node:path';

const watched = process.env.SICERT_CRASH_DIR;
const at = /^(before|after):(\d+)$/.exec(process.env.SICERT_CRASH_AT ?? '');

if (watched && at) {
  const fs = createRequire(import.meta.url)('node:fs') as Record<string, (...args: unknown[]) => unknown>;
  const [, when, nth] = at;
  let calls = 0;
  const die = (step: string) => {
    appendFileSync(join(dirname(watched), 'crashed'), `${when}:${nth} ${step}\n`);
    process.kill(process.pid, 'SIGKILL');
  };
  for (const name of ['renameSync', 'rmSync', 'unlinkSync']) {
    const original = fs[name]!;
    fs[name] = (...args: unknown[]) => {
      const path = String(name === 'renameSync' ? args[1] : args[0]);
      const counted = path.startsWith(watched) ? ++calls : 0;
      if (counted === Number(nth) && when === 'before') die(`${name} ${path}`);
      const result = original(...args);
      if (counted === Number(nth) && when === 'after') die(`${name} ${path}`);
      return result;
    };
  }
  syncBuiltinESMExports();
}
