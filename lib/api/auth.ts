// API-key authentication for /api/v1: one middleware does the key lookup, expiry,
// revocation, scope, IP allow-list and rate limit, so every route states only its scope
// (and, when it is not the general one, which budget it spends: see budgets.ts).
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";
import { LruCache } from "../lru-cache";
import { onInvalidate } from "../redis/invalidation";
import { getDb } from "../db/client";
import { requestContext } from "../auth/request-context";
import { findApiKey, hashKey, type AuthenticatedKey } from "../keys/api-keys";
import { ipAllowed } from "../keys/ip-allowlist";
import type { ApiScope } from "../keys/scopes";
import { chargeGeneral, resetBudgets, type Budget } from "./budgets";
import type { ApiEnv } from "./app";

// Keys are looked up at most every few seconds per process. A revocation takes effect at
// once in the process that made it and, with REDIS_URL set, in every other one; without
// Redis, within API_KEY_CACHE_MS (default 5 s) everywhere else.
const CACHE_MS = Number(process.env.API_KEY_CACHE_MS ?? 5000);
const LAST_USED_EVERY_MS = 60_000;
// At most API_KEY_CACHE_MAX (default 10,000) lookups are kept, least recently used out
// first: presented keys are the caller's choice, and each well-formed unknown one is cached.
const keyCache = new LruCache<string, { key: AuthenticatedKey | null; at: number }>(
  Number(process.env.API_KEY_CACHE_MAX ?? 10_000),
  "API_KEY_CACHE_MAX",
);
const lastUsedWrites = new Map<string, number>();
// A revocation or rotation anywhere (dashboard, CLI, another process) clears the cache here
// at once: keys are cached by hash, so the whole cache goes (one lookup per key to refill).
onInvalidate((message) => {
  if (message.kind === "api-keys") keyCache.clear();
});

/** How many key lookups this process holds (for tests: it never exceeds API_KEY_CACHE_MAX). */
export function apiKeyCacheSize(): number {
  return keyCache.size;
}

export function resetApiAuthState() {
  keyCache.clear();
  lastUsedWrites.clear();
  resetBudgets();
}

// x-dashboard-secret is l402-kit's header for its stats endpoint: scripts written for it work
// against ours by changing the URL.
function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  if (apiKeyHeader) return apiKeyHeader.trim();
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

async function lookup(presented: string): Promise<AuthenticatedKey | null> {
  const cacheKey = hashKey(presented);
  const hit = keyCache.get(cacheKey);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.key;
  const key = await findApiKey(getDb(), presented);
  keyCache.set(cacheKey, { key, at: Date.now() });
  return key;
}

export function requireApiKey(scope: ApiScope, budget: Budget = "general"): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const presented = presentedKey(c.req.header("authorization"), c.req.header("x-api-key") ?? c.req.header("x-dashboard-secret"));
    if (!presented) throw new AppError("authentication_error", "missing_api_key", "Send your API key as `Authorization: Bearer tb_...`.");
    const key = await lookup(presented);
    if (!key) throw new AppError("authentication_error", "invalid_api_key", "This API key is not valid.");
    if (key.revokedAt)
      throw new AppError("authentication_error", "api_key_revoked", "This API key was revoked. Create a new one in the dashboard.");
    if (key.expiresAt && key.expiresAt <= new Date()) {
      throw new AppError(
        "authentication_error",
        "api_key_expired",
        `This API key expired at ${key.expiresAt.toISOString()}. Use the key that replaced it.`,
      );
    }
    // Suspension wins over scope and IP: whatever the key could do, its tenant may not now.
    // The reason stays with the operator and the owner; callers get a fixed message.
    if (key.tenantSuspendedAt)
      throw new AppError("permission_error", "tenant_suspended", "This tenant is suspended; contact the platform operator.");
    if (!key.scopes.includes(scope)) throw new AppError("permission_error", "missing_scope", `This API key lacks the ${scope} scope.`);
    const { ip } = requestContext(c.req.raw.headers);
    if (!ipAllowed(ip, key.allowedIps))
      throw new AppError(
        "permission_error",
        "ip_not_allowed",
        `Requests from ${ip ?? "an unknown address"} are not allowed for this API key.`,
      );

    if (budget === "general") await chargeGeneral(c, key);

    const lastWrite = lastUsedWrites.get(key.id) ?? 0;
    if (Date.now() - lastWrite > LAST_USED_EVERY_MS) {
      lastUsedWrites.set(key.id, Date.now());
      // Fire and forget: "last used" is informational and must not slow the request.
      getDb()
        .apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } })
        .catch(() => {});
    }
    c.set("apiKey", key);
    await next();
  };
}
