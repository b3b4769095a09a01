/**
 * Per-connection rate limit: a token bucket refilled at `ratePerSecond`, holding up to twice that, so a page
 * may burst (listing then signing) but cannot flood the token.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  constructor(private readonly ratePerSecond: number) {
    this.tokens = ratePerSecond * 2;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.ratePerSecond * 2, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Open connections per page origin, for the per-origin cap (so one allowed origin cannot take every slot). */
export class OriginCounter {
  private readonly counts = new Map<string, number>();

  count(origin: string): number {
    return this.counts.get(origin) ?? 0;
  }

  add(origin: string): void {
    this.counts.set(origin, this.count(origin) + 1);
  }

  remove(origin: string): void {
    const left = this.count(origin) - 1;
    if (left > 0) this.counts.set(origin, left);
    else this.counts.delete(origin);
  }
}
