/**
 * Per-destination token buckets for "at most N deliveries per second". Each process keeps
 * its own buckets; with several workers the cluster-wide rate is at most N × workers.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** 0 when a send may start now (and takes a token), else ms to wait. */
  take(key: string, perSecond: number, now: number): number {
    const burst = Math.max(1, perSecond);
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / perSecond) * 1000);
  }
}
