// A tenant's priced endpoints. The invoice path looks endpoints up on every call, so it
// reads through a short in-process cache; edits made here clear it at once, edits made in
// another process are seen within ENDPOINT_CACHE_MS.
import { AppError, isUniqueViolation, parseInput } from "../errors";
import type { Db } from "../db/client";
import { pathMatches, patternSpecificity } from "../l402/path-pattern";
import { endpointInputSchema, endpointUpdateSchema } from "./schemas";

export interface EndpointRecord {
  id: string;
  tenantId: string;
  method: string;
  path: string;
  priceSats: number;
  description: string | null;
  enabled: boolean;
  tokenLifetimeSeconds: number;
  usesPerPayment: number;
  discovered: boolean;
}

const CACHE_MS = Number(process.env.ENDPOINT_CACHE_MS ?? 5000);
const cache = new Map<string, { at: number; endpoints: EndpointRecord[] }>();

export function clearEndpointCache(tenantId?: string) {
  if (tenantId) cache.delete(tenantId);
  else cache.clear();
}

export async function listEndpoints(db: Db, tenantId: string): Promise<EndpointRecord[]> {
  const hit = cache.get(tenantId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.endpoints;
  const endpoints = await db.endpoint.findMany({ where: { tenantId }, orderBy: [{ method: "asc" }, { path: "asc" }] });
  cache.set(tenantId, { at: Date.now(), endpoints });
  return endpoints;
}

/** The registered endpoint serving `method path`: exact first, then patterns by specificity. */
export function matchEndpoint(endpoints: EndpointRecord[], method: string, path: string): EndpointRecord | undefined {
  return endpoints
    .filter((e) => e.method === method && pathMatches(e.path, path))
    .sort((a, b) => patternSpecificity(a.path) - patternSpecificity(b.path))[0];
}

export async function createEndpoint(db: Db, tenantId: string, input: unknown, discovered = false) {
  const data = parseInput(endpointInputSchema, input, "invalid_endpoint");
  try {
    const endpoint = await db.endpoint.create({ data: { tenantId, ...data, discovered } });
    clearEndpointCache(tenantId);
    return endpoint;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict_error", "endpoint_exists", `${data.method} ${data.path} is already registered.`, { param: "path" });
    throw error;
  }
}

export async function updateEndpoint(db: Db, tenantId: string, endpointId: string, input: unknown) {
  const changes = parseInput(endpointUpdateSchema, input, "invalid_endpoint");
  // A person editing a discovered endpoint makes it theirs.
  const result = await db.endpoint.updateMany({ where: { id: endpointId, tenantId }, data: { ...changes, discovered: false } });
  if (result.count === 0) throw new AppError("not_found_error", "endpoint_not_found", "Endpoint not found.");
  clearEndpointCache(tenantId);
  return db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
}

/**
 * What an invoice request is for. A registered endpoint's own price always wins; an
 * unknown endpoint that declares a price is registered as "discovered" with that price;
 * an unknown endpoint without a price is an error.
 */
export async function resolveEndpoint(db: Db, tenantId: string, target: { endpointId?: string; method?: string; path?: string; priceSats?: number }): Promise<EndpointRecord> {
  const endpoints = await listEndpoints(db, tenantId);
  if (target.endpointId) {
    const byId = endpoints.find((e) => e.id === target.endpointId) ?? (await db.endpoint.findFirst({ where: { id: target.endpointId, tenantId } }));
    if (!byId) throw new AppError("not_found_error", "endpoint_not_found", "No endpoint with this id in your tenant.", { param: "endpoint" });
    return assertEnabled(byId);
  }
  const method = target.method!;
  const path = target.path!;
  const match = matchEndpoint(endpoints, method, path);
  if (match) return assertEnabled(match);
  if (target.priceSats === undefined) {
    throw new AppError("invalid_request_error", "unknown_endpoint", `${method} ${path} is not registered. Register it, or send priceSats to register it on first use.`, { param: "endpoint" });
  }
  try {
    return await createEndpoint(db, tenantId, { method, path, priceSats: target.priceSats }, true);
  } catch (error) {
    // Two first calls racing: the other one registered it.
    if (error instanceof AppError && error.code === "endpoint_exists") {
      clearEndpointCache(tenantId);
      return assertEnabled(matchEndpoint(await listEndpoints(db, tenantId), method, path)!);
    }
    throw error;
  }
}

function assertEnabled(endpoint: EndpointRecord): EndpointRecord {
  if (!endpoint.enabled) throw new AppError("invalid_request_error", "endpoint_disabled", `${endpoint.method} ${endpoint.path} is disabled.`, { param: "endpoint" });
  return endpoint;
}
