// Per-key rate limits: a token bucket per API key, in this process's memory. With several
// API processes each enforces its own bucket (the effective limit is N × the setting);
// fine for abuse protection, and it costs no database round trip on the hot path.
export interface RateLimitPolicy {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests allowed in a burst. */
  burst: number;
}

export function defaultRateLimit(): RateLimitPolicy {
  const ratePerSecond = Number(process.env.API_RATE_LIMIT_PER_SECOND ?? 100);
  return { ratePerSecond, burst: Number(process.env.API_RATE_LIMIT_BURST ?? ratePerSecond * 2) };
}

export type RateLimitVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  /** maxKeys bounds memory when keys are client addresses (anyone can bring new ones):
   *  past it, the bucket used longest ago is forgotten, which at worst gives that client a full bucket again. */
  constructor(private readonly policy: RateLimitPolicy = defaultRateLimit(), private readonly maxKeys = 100_000) {}

  take(key: string, now = Date.now()): RateLimitVerdict {
    const { ratePerSecond, burst } = this.policy;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    // Re-inserted, so the Map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const missing = Math.max(0, 1 - bucket.tokens);
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((burst - bucket.tokens) / ratePerSecond),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(missing / ratePerSecond)),
    };
  }
}
