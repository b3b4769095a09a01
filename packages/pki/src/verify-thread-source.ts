/// <reference types="node" />

/**
 * Where a verification thread finds its code. The thread's own script is plain JavaScript (a TypeScript entry
 * would need tsx's loader hooks, which Node 20 does not run in worker threads: the agent's signing threads do the
 * same); it imports verify-chunk from beside this file. Built, that is dist/verify-chunk.js. Run from the sources
 * under tsx (the tests), it is verify-chunk.ts, and the thread first registers tsx's hooks in itself.
 */
export interface ThreadData {
  task: string;
  tsx?: string;
}

export function threadData(): ThreadData {
  const task = new URL('./verify-chunk.js', import.meta.url).href;
  if (!import.meta.url.endsWith('.ts')) return { task };
  return { task, tsx: import.meta.resolve('tsx/esm/api') };
}

/**
 * The thread's script, valid as a script and as a module (a thread inherits the process's flags, and
 * `--input-type=module` makes an evaluated script a module, where `require` is not defined): it answers each chunk,
 * in turn, with `{ id, results }` or `{ id, error }`. `exitForTest` ends the thread mid-call, as a crash would.
 */
export const THREAD_SOURCE = `'use strict';
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const task = (async () => {
    if (workerData.tsx) (await import(workerData.tsx)).register();
    return import(workerData.task);
  })();
  // A failed load is answered to each chunk below; it must not also end the thread as an unhandled rejection.
  task.catch(() => {});
  // Chunks sent before this listener wait in the port's queue; those that arrive while one is verified wait in
  // this promise chain, one after another.
  let queue = Promise.resolve();
  parentPort.on('message', (job) => {
    if (job.exitForTest) process.exit(70);
    queue = queue.then(() => task).then(async (code) => {
      const results = await code.verifyChunk(job);
      return [results, code.transferables(results)];
    }).then(
      ([results, transfer]) => parentPort.postMessage({ id: job.id, results }, transfer),
      (error) => parentPort.postMessage({ id: job.id, error: String((error && error.stack) || error) }),
    );
  });
})();`;
