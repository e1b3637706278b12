// The token buckets behind /api/v1's budgets, and how a payer's address becomes a bucket.
import { describe, expect, it } from "vitest";
import { payerBucket } from "../../lib/api/payer-ip";
import { RateLimiter } from "../../lib/api/rate-limit";

describe("payerBucket", () => {
  it("keeps IPv4 as it is and reads IPv4-mapped IPv6 as IPv4", () => {
    expect(payerBucket("203.0.113.5")).toBe("203.0.113.5");
    expect(payerBucket(" 203.0.113.5 ")).toBe("203.0.113.5");
    expect(payerBucket("::ffff:203.0.113.5")).toBe("203.0.113.5");
  });

  it("counts IPv6 by its /64, however the address is written", () => {
    expect(payerBucket("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(payerBucket("2001:0DB8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(payerBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(payerBucket("::1")).toBe("0:0:0:0::/64");
    expect(payerBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(payerBucket("64:ff9b::198.51.100.1")).toBe("64:ff9b:0:0::/64");
  });

  it("ignores what is not an IP address", () => {
    for (const junk of [undefined, "", "unknown", "1.2.3", "203.0.113.5, 10.0.0.1", "x".repeat(200), ":::"])
      expect(payerBucket(junk)).toBeUndefined();
  });
});

describe("RateLimiter", () => {
  it("allows the burst, then refills at the rate, with the numbers the headers report", () => {
    const limiter = new RateLimiter({ ratePerSecond: 2, burst: 3 });
    const now = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("k", now).allowed)).toEqual([true, true, true]);
    const refused = limiter.take("k", now);
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 1 });
    expect(limiter.take("k", now + 500).allowed).toBe(true);
  });

  it("keeps at most maxBuckets, dropping the least recently used", () => {
    const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1 }, 3);
    const now = 1_000_000;
    for (const key of ["a", "b", "c"]) limiter.take(key, now);
    limiter.take("a", now); // refused, and now the most recently used
    limiter.take("d", now); // evicts b, the least recently used
    expect(limiter.size).toBe(3);
    expect(limiter.take("a", now).allowed).toBe(false);
    expect(limiter.take("b", now).allowed).toBe(true); // forgotten: a fresh bucket
  });
});
