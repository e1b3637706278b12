// Rate-limit buckets in Redis: shared by every limiter of the same name (as by the API's
// processes), refilled on Redis's clock; and while Redis is away, a local bucket answers
// at once instead of failing or waiting.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { closeRedis, readyRedis } from "../../lib/redis/client";
import { invalidate, onInvalidate, type Invalidation } from "../../lib/redis/invalidation";
import { SharedRateLimiter } from "../../lib/redis/rate-limit";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

afterEach(async () => {
  await closeRedis();
  delete process.env.REDIS_URL;
});

describe("SharedRateLimiter", () => {
  it("limiters of one name share one bucket in Redis", async () => {
    process.env.REDIS_URL = REDIS_URL;
    expect(await readyRedis(2000)).toBeDefined();
    const name = `test-${randomUUID()}`;
    const policy = { ratePerSecond: 0.001, burst: 5 };
    const [a, b] = [new SharedRateLimiter(policy, name), new SharedRateLimiter(policy, name)];
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await a.take("key"), await b.take("key"));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
    expect(verdicts.at(-1)).toMatchObject({ allowed: false, remaining: 0, limit: 5 });
    expect(verdicts.at(-1)!.retryAfterSeconds).toBeGreaterThan(0);
    // Another key, another bucket.
    expect((await a.take("other key")).allowed).toBe(true);
  });

  it("with Redis unreachable, answers from a local bucket at once", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    const limiter = new SharedRateLimiter({ ratePerSecond: 0.001, burst: 3 }, `test-${randomUUID()}`);
    const started = Date.now();
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.take("key"));
    expect(Date.now() - started).toBeLessThan(200);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
  });
});

describe("invalidate", () => {
  it("applies here at once and reaches other processes' subscribers through Redis", async () => {
    process.env.REDIS_URL = REDIS_URL;
    const seen: Invalidation[] = [];
    onInvalidate((message) => seen.push(message));
    // A second process, as a raw subscriber on the channel.
    const { Redis } = await import("ioredis");
    const other = new Redis(REDIS_URL);
    const received: string[] = [];
    await other.subscribe("tollbooth:invalidate");
    other.on("message", (_channel, text) => received.push(text));
    try {
      const tenantId = randomUUID();
      await invalidate({ kind: "api-keys", tenantId });
      expect(seen).toContainEqual({ kind: "api-keys", tenantId });
      const deadline = Date.now() + 2000;
      while (!received.some((text) => text.includes(tenantId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received.map((text) => JSON.parse(text))).toContainEqual({ kind: "api-keys", tenantId });
    } finally {
      other.disconnect();
    }
  });
});
