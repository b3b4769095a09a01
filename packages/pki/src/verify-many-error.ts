/**
 * A {@link verifyMany} call that could not finish: a verification thread ended before it answered (it crashed,
 * ran out of memory, or the pool was closed), or verification threw. None of the call's verdicts is returned;
 * the pool has replaced the thread, so calling again is safe.
 */
export class VerifyManyError extends Error {
  override readonly name = 'VerifyManyError';

  constructor(
    /** `THREAD_ENDED`: a thread ended under the call; `POOL_CLOSED`: `closeVerifyPool` ran during it; `FAILED`: verification threw. */
    readonly code: 'THREAD_ENDED' | 'POOL_CLOSED' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}
