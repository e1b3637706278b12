// Token buckets in Redis, shared by every API process and instance. One Lua script refills
// and takes atomically, on Redis's clock (instances' clocks may differ). While Redis is
// unreachable the limiter falls back to a bucket in this process: requests keep flowing
// under a per-process limit rather than failing or waiting on Redis.
import { RateLimiter, verdictFor, type RateLimitPolicy, type RateLimitVerdict } from "../api/rate-limit";
import type { Redis } from "ioredis";
import { redis } from "./client";

// KEYS[1]: the bucket. ARGV: rate per second, burst. Returns {allowed, tokens left}.
const TAKE = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or nowMs
tokens = math.min(burst, tokens + math.max(0, nowMs - updated) / 1000 * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(nowMs))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

export interface Limiter {
  take(key: string): Promise<RateLimitVerdict>;
}

/** Buckets in Redis when REDIS_URL is set, else (or while Redis is away) in this process. */
export class SharedRateLimiter implements Limiter {
  private readonly local: RateLimiter;

  constructor(
    private readonly policy: RateLimitPolicy,
    /** Keeps this limiter's buckets apart from the others' in Redis. */
    private readonly name: string,
  ) {
    this.local = new RateLimiter(policy);
  }

  async take(key: string): Promise<RateLimitVerdict> {
    const client = redis();
    if (client?.status === "ready") {
      try {
        const [allowed, tokens] = await takeCommand(client)(
          `tollbooth:rl:${this.name}:${key}`,
          this.policy.ratePerSecond,
          this.policy.burst,
        );
        return verdictFor(this.policy, allowed === 1, Number(tokens));
      } catch {
        // fall through to the local bucket
      }
    }
    return this.local.take(key);
  }
}

type TakeCommand = (key: string, ratePerSecond: number, burst: number) => Promise<[number, string]>;
const defined = new WeakSet<Redis>();

/** The script as a command of its own: ioredis sends EVALSHA, and the script only once. */
function takeCommand(client: Redis): TakeCommand {
  if (!defined.has(client)) {
    client.defineCommand("tollboothTake", { numberOfKeys: 1, lua: TAKE });
    defined.add(client);
  }
  const command = (client as unknown as { tollboothTake: TakeCommand }).tollboothTake;
  return command.bind(client);
}
