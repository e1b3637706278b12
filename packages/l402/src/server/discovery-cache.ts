/**
 * The tenant's discovery document (branding for the payment page, the body of
 * /.well-known/l402.json), cached a minute per service and key as the protocol asks.
 * Concurrent misses share one request. Failures are cached briefly so a service that is
 * down does not add a timeout to every browser 402.
 */
import type { ServiceClient } from "./service-client.js";
import type { DiscoveryDocument } from "./service-types.js";

export const DISCOVERY_TTL_MS = 60_000;
const FAILURE_TTL_MS = 15_000;
const MAX_ENTRIES = 100;

interface Entry {
  expiresAt: number;
  document: Promise<DiscoveryDocument>;
}

const cache = new Map<string, Entry>();

/** Per service and key: two tenants behind one process must not see each other's branding. */
export function discoveryCacheKey(baseUrl: string, apiKey: string | undefined): string {
  return `${baseUrl} ${apiKey}`;
}

/** Rejects like ServiceClient.discovery when the document cannot be had. */
export function cachedDiscovery(cacheKey: string, service: ServiceClient, timeoutMs?: number): Promise<DiscoveryDocument> {
  const now = Date.now();
  const hit = cache.get(cacheKey);
  if (hit && hit.expiresAt > now) return hit.document;
  const document = service.discovery(timeoutMs);
  const entry: Entry = { expiresAt: now + DISCOVERY_TTL_MS, document };
  document.catch(() => {
    entry.expiresAt = Date.now() + FAILURE_TTL_MS;
  });
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(cacheKey, entry);
  return document;
}

/** Tests start from a cold cache. */
export function clearDiscoveryCache(): void {
  cache.clear();
}
