/**
 * Runs at most `limit` tasks at a time; the others wait their turn in arrival order. The software token signs
 * through it: a batch of a thousand signatures must neither fill libuv's thread pool (which file I/O and key
 * derivation for other pages share) nor sign synchronously in one turn of the event loop.
 */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The place goes straight to the next task waiting, or is given up.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
