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
