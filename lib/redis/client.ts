// Redis, when REDIS_URL is set: shared rate-limit buckets and cache invalidation across API
// processes and instances. Without it every process keeps its own (see README, "More than
// one process"). Commands fail fast while Redis is away (no offline queue), so callers fall
// back to their local state instead of waiting on it.
import { Redis } from "ioredis";

let commands: Redis | undefined;
let subscriber: Redis | undefined;
let warned = false;

// Read once (the hot path asks on every request; process.env is slow to read), again after
// closeRedis() (tests switch it).
let url: string | null | undefined;

export function redisUrl(): string | undefined {
  url ??= process.env.REDIS_URL?.trim() || null;
  return url ?? undefined;
}

function connect(address: string, role: string): Redis {
  const client = new Redis(address, {
    lazyConnect: false,
    enableOfflineQueue: role === "subscriber", // subscriptions are re-sent on reconnect
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  client.on("error", (error) => {
    if (!warned) console.error(`[redis] ${role}: ${error.message} (falling back to per-process state until it is back)`);
    warned = true;
  });
  client.on("ready", () => {
    warned = false;
  });
  return client;
}

/** The command connection, or undefined without REDIS_URL. */
export function redis(): Redis | undefined {
  const address = redisUrl();
  if (!address) return undefined;
  commands ??= connect(address, "commands");
  return commands;
}

/** The command connection once it is ready (waiting up to timeoutMs for a fresh one), or
 *  undefined without REDIS_URL or when it does not come up in time. */
export async function readyRedis(timeoutMs = 1000): Promise<Redis | undefined> {
  const client = redis();
  if (!client || client.status === "ready") return client;
  const ready = await Promise.race([
    new Promise<boolean>((resolve) => client.once("ready", () => resolve(true))),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref()),
  ]);
  return ready ? client : undefined;
}

/** A connection in subscriber mode (Redis allows nothing else on it). */
export function redisSubscriber(): Redis | undefined {
  const address = redisUrl();
  if (!address) return undefined;
  subscriber ??= connect(address, "subscriber");
  return subscriber;
}

/** Closes both connections (tests, shutdown). */
export async function closeRedis(): Promise<void> {
  const clients = [commands, subscriber].filter((client): client is Redis => Boolean(client));
  commands = subscriber = undefined;
  url = undefined;
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
}
