// Token buckets: per API key for its general calls, and for challenges (unpaid requests)
// per payer IP within the key plus one ceiling per key. RateLimiter keeps them in this
// process's memory; with REDIS_URL set the API's buckets live in Redis instead
// (SharedRateLimiter, lib/redis/rate-limit.ts), so N processes and instances share one
// limit. Without Redis each process enforces its own (the effective limit is N × the
// setting). Neither costs a database round trip on the hot path.
export interface RateLimitPolicy {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests allowed in a burst. */
  burst: number;
}

function policyFromEnv(rateName: string, burstName: string, defaultRate: number, defaultBurst: (rate: number) => number): RateLimitPolicy {
  const ratePerSecond = Number(process.env[rateName] ?? defaultRate);
  return { ratePerSecond, burst: Number(process.env[burstName] ?? defaultBurst(ratePerSecond)) };
}

/** Per key: its general calls; separately, the ceiling on all its challenges together. */
export function defaultRateLimit(): RateLimitPolicy {
  return policyFromEnv("API_RATE_LIMIT_PER_SECOND", "API_RATE_LIMIT_BURST", 100, (rate) => rate * 2);
}

/** Per payer IP within a key: the challenges (new invoices) one payer can make us mint. */
export function challengeRateLimit(): RateLimitPolicy {
  return policyFromEnv("CHALLENGE_RATE_LIMIT_PER_SECOND", "CHALLENGE_RATE_LIMIT_BURST", 5, (rate) => rate * 4);
}

export type RateLimitVerdict = { allowed: boolean; limit: number; remaining: number; resetSeconds: number; retryAfterSeconds: number };

// Per-IP buckets come from the network, so their number must be bounded. A bucket idle long
// enough to refill is indistinguishable from a new one, so dropping the least recently used
// loses nothing but the state of payers who stopped calling.
const DEFAULT_MAX_BUCKETS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  /** maxBuckets bounds memory when keys are client addresses (anyone can bring new ones):
   *  past it, the bucket used longest ago is forgotten, which at worst gives that client a full bucket again. */
  constructor(
    private readonly policy: RateLimitPolicy = defaultRateLimit(),
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {}

  take(key: string, now = Date.now()): RateLimitVerdict {
    const { ratePerSecond, burst } = this.policy;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
    bucket.updatedAt = now;
    // Delete and set again: the Map's order is then least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return verdictFor(this.policy, allowed, bucket.tokens);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** The verdict for a bucket left with `tokens` after taking one (allowed) or not. */
export function verdictFor({ ratePerSecond, burst }: RateLimitPolicy, allowed: boolean, tokens: number): RateLimitVerdict {
  const missing = Math.max(0, 1 - tokens);
  return {
    allowed,
    limit: burst,
    remaining: Math.floor(tokens),
    resetSeconds: Math.ceil((burst - tokens) / ratePerSecond),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(missing / ratePerSecond)),
  };
}
