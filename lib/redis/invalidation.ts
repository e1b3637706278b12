// Cache invalidation that reaches every process at once. Each process caches API keys and
// endpoint lists for a few seconds (the hot path must not ask Postgres every time); a
// revocation or an edit calls invalidate(), which clears this process's caches and, with
// REDIS_URL set, publishes the same message to every other process and instance. Without
// Redis the others catch up when their cache entries expire (API_KEY_CACHE_MS, 5 s).
import { readyRedis, redisSubscriber } from "./client";

export type Invalidation =
  /** Keys of this tenant changed (revoked, rotated, expiry edited, tenant suspended). */
  | { kind: "api-keys"; tenantId: string }
  /** This tenant's endpoints changed. */
  | { kind: "endpoints"; tenantId: string };

const CHANNEL = "tollbooth:invalidate";
const handlers: ((message: Invalidation) => void)[] = [];
let subscribed = false;

/** Registers what to clear; called once per cache, at module load. */
export function onInvalidate(handler: (message: Invalidation) => void): void {
  handlers.push(handler);
  subscribe();
}

function apply(message: Invalidation) {
  for (const handler of handlers) handler(message);
}

function subscribe() {
  if (subscribed) return;
  const subscriber = redisSubscriber();
  if (!subscriber) return;
  subscribed = true;
  subscriber.subscribe(CHANNEL).catch(() => {});
  subscriber.on("message", (channel, text) => {
    if (channel !== CHANNEL) return;
    try {
      apply(JSON.parse(text) as Invalidation);
    } catch {
      // not ours: ignore
    }
  });
}

/** Clears the caches here at once, and everywhere else through Redis when it is set. */
export async function invalidate(message: Invalidation): Promise<void> {
  apply(message);
  // Redis away: the others' caches expire within seconds anyway.
  const client = await readyRedis();
  await client?.publish(CHANNEL, JSON.stringify(message)).catch(() => {});
}
