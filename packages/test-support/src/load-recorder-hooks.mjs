// Module resolve hook (node:module register): appends the URL of every module the process resolves to the file
// named by SICERT_LOAD_LOG, so a test can see what a process loaded (for instance that pkijs stayed out).
import { appendFileSync } from 'node:fs';

const log = process.env.SICERT_LOAD_LOG;

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (log) appendFileSync(log, `${result.url}\n`);
  return result;
}
