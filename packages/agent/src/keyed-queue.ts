/**
 * Runs tasks one at a time per key (a token id), in arrival order. PKCS#11 login state is shared by every
 * session of the process, so two connections must never interleave login, operation and logout on one token.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** True when no task is queued or running for any key. */
  get idle(): boolean {
    return this.tails.size === 0;
  }
}
