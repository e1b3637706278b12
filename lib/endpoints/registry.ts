// A tenant's priced endpoints. The invoice path looks endpoints up on every call, so it
// reads through a short in-process cache; edits made here clear it at once, edits made in
// another process are seen within ENDPOINT_CACHE_MS.
import { invalidate, onInvalidate } from "../redis/invalidation";
import { AppError, isUniqueViolation, parseInput } from "../errors";
import type { Db } from "../db/client";
import { compareSpecificity, normalizeRequestPath, pathMatches, samePattern } from "../l402/path-pattern";
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
  /** "fixed" or "metered" (priceSats is then the deposit). */
  pricingMode: string;
  maxCostPerCallSats: number | null;
  /** Metered: "owner" (a balance left at expiry is the owner's) or "never" (no expiry). */
  balanceExpiry: string;
  /** The code prices each request: every invoice carries the price the code sent. */
  dynamicPrice: boolean;
}

const CACHE_MS = Number(process.env.ENDPOINT_CACHE_MS ?? 5000);
const cache = new Map<string, { at: number; endpoints: EndpointRecord[] }>();

// Edits made in any process reach this one at once through Redis (lib/redis/invalidation.ts).
onInvalidate((message) => {
  if (message.kind === "endpoints") cache.delete(message.tenantId);
});

/** After an edit: this process's cache at once, and every other process's through Redis. */
export function clearEndpointCache(tenantId?: string) {
  if (!tenantId) return cache.clear();
  void invalidate({ kind: "endpoints", tenantId });
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
  return endpoints.filter((e) => e.method === method && pathMatches(e.path, path)).sort((a, b) => compareSpecificity(a.path, b.path))[0];
}

/** The endpoint a payer's request resolves to: the only endpoint whose token serves it.
 *  Invoicing and verify both resolve through here. */
export async function endpointForRequest(db: Db, tenantId: string, method: string, rawPath: string): Promise<EndpointRecord | undefined> {
  return matchEndpoint(await listEndpoints(db, tenantId), method, normalizeRequestPath(rawPath));
}

// Writers take a transaction client too, so a dashboard change commits with its audit event.
type EndpointWriter = Pick<Db, "endpoint">;

export async function createEndpoint(db: EndpointWriter, tenantId: string, input: unknown, discovered = false) {
  const data = parseInput(endpointInputSchema, input, "invalid_endpoint");
  try {
    const endpoint = await db.endpoint.create({ data: { tenantId, ...data, discovered } });
    clearEndpointCache(tenantId);
    return endpoint;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict_error", "endpoint_exists", `${data.method} ${data.path} is already registered.`, { param: "path" });
    throw error;
  }
}

export async function updateEndpoint(db: EndpointWriter, tenantId: string, endpointId: string, input: unknown) {
  const changes = parseInput(endpointUpdateSchema, input, "invalid_endpoint");
  // A person editing a discovered endpoint makes it theirs: its price stops following the code.
  const result = await db.endpoint.updateMany({ where: { id: endpointId, tenantId }, data: { ...changes, discovered: false } });
  if (result.count === 0) throw notFound();
  clearEndpointCache(tenantId);
  return db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
}

/** "Pin this price": a discovered endpoint becomes a registered one at the price it has now. */
export async function pinEndpoint(db: EndpointWriter, tenantId: string, endpointId: string) {
  const result = await db.endpoint.updateMany({ where: { id: endpointId, tenantId }, data: { discovered: false } });
  if (result.count === 0) throw notFound();
  clearEndpointCache(tenantId);
  return db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
}

/** Switching an endpoint off or on is not a price decision: a discovered endpoint stays
 *  discovered (its price keeps following the code). */
export async function setEndpointEnabled(db: EndpointWriter, tenantId: string, endpointId: string, enabled: boolean) {
  const result = await db.endpoint.updateMany({ where: { id: endpointId, tenantId }, data: { enabled } });
  if (result.count === 0) throw notFound();
  clearEndpointCache(tenantId);
  return db.endpoint.findUniqueOrThrow({ where: { id: endpointId } });
}

/** Deletes an endpoint. Tokens already sold for it stop being served (verify resolves the
 *  request to no endpoint); invoices and payments keep their records. If the middleware
 *  still declares it with a price, the next call registers it again as discovered. */
export async function deleteEndpoint(db: EndpointWriter, tenantId: string, endpointId: string) {
  const endpoint = await db.endpoint.findFirst({ where: { id: endpointId, tenantId } });
  if (!endpoint) throw notFound();
  await db.endpoint.deleteMany({ where: { id: endpointId, tenantId } });
  clearEndpointCache(tenantId);
  return endpoint;
}

const notFound = () => new AppError("not_found_error", "endpoint_not_found", "Endpoint not found.");

/** What an invoice request names: a registered endpoint's id, or what the owner's code
 *  protects (`declared`, a pattern) and the payer's request (`requestPath`, literal). */
export interface EndpointTarget {
  endpointId?: string;
  method?: string;
  /** The pattern the owner's code declares (its mount path, a route, an `endpoint` option). */
  path?: string;
  /** The payer's raw request path: only ever matched, never registered. */
  requestPath?: string;
  /** The price the code declares: registers a discovered endpoint, and a discovered endpoint follows it. */
  priceSats?: number;
  /** The code computed priceSats for this one request (a function of the request): a
   *  discovered endpoint charges it on this invoice only, without changing its stored price. */
  dynamicPrice?: boolean;
}

// A payer cannot make endpoints, but a careless `endpoint` function in the owner's code
// could mint one per request: cap what discovery may register per tenant.
const discoveredMax = () => Number(process.env.DISCOVERED_ENDPOINTS_MAX ?? 1000);

/**
 * What an invoice request is for. The request resolves to the most specific registered
 * endpoint, exactly as verify resolves it. A registered (person-made) endpoint keeps its
 * own price; a discovered one follows the price the code declares now. An unknown
 * request registers the declared pattern as discovered, if that pattern covers it.
 */
export async function resolveEndpoint(db: Db, tenantId: string, target: EndpointTarget): Promise<EndpointRecord> {
  const endpoints = await listEndpoints(db, tenantId);
  if (target.endpointId) {
    const byId =
      endpoints.find((e) => e.id === target.endpointId) ?? (await db.endpoint.findFirst({ where: { id: target.endpointId, tenantId } }));
    if (!byId)
      throw new AppError("not_found_error", "endpoint_not_found", "No endpoint with this id in your tenant.", { param: "endpoint" });
    return assertEnabled(byId);
  }
  const method = target.method!;
  const declared = target.path!;
  const requestPath = target.requestPath === undefined ? undefined : normalizeRequestPath(target.requestPath);
  const match =
    requestPath !== undefined
      ? await endpointForRequest(db, tenantId, method, requestPath)
      : (endpoints.find((e) => e.method === method && samePattern(e.path, declared)) ?? matchEndpoint(endpoints, method, declared));
  if (match && target.dynamicPrice && match.discovered && target.priceSats !== undefined && samePattern(match.path, declared))
    return assertEnabled(await markDynamic(db, match, target.priceSats));
  if (match) return assertEnabled(await followDeclaredPrice(db, match, declared, target.priceSats));
  if (target.priceSats === undefined) {
    throw new AppError(
      "invalid_request_error",
      "unknown_endpoint",
      `${method} ${requestPath ?? declared} is not registered. Register it, or send priceSats to register it on first use.`,
      { param: "endpoint" },
    );
  }
  if (requestPath !== undefined && !pathMatches(declared, requestPath)) {
    throw new AppError(
      "invalid_request_error",
      "path_not_covered",
      `The request path ${requestPath} is not covered by ${method} ${declared}, the endpoint your code declares.`,
      { param: "path" },
    );
  }
  const registered = await registerDiscovered(db, tenantId, { method, path: declared, priceSats: target.priceSats });
  return target.dynamicPrice ? markDynamic(db, registered, target.priceSats) : registered;
}

/** A dynamic price is the code's for this request only: fixed into this invoice (and so its
 *  token), never written over the endpoint's stored price. The flag tells the dashboard the
 *  price is "set by code". */
async function markDynamic(db: Db, endpoint: EndpointRecord, priceSats: number): Promise<EndpointRecord> {
  if (!endpoint.dynamicPrice) {
    await db.endpoint.updateMany({ where: { id: endpoint.id, discovered: true }, data: { dynamicPrice: true } });
    clearEndpointCache(endpoint.tenantId);
  }
  return { ...endpoint, dynamicPrice: true, priceSats };
}

/** A discovered endpoint's price is the code's: 10 → 25 sats in code, the next invoice is 25. */
async function followDeclaredPrice(
  db: Db,
  endpoint: EndpointRecord,
  declaredPath: string,
  priceSats: number | undefined,
): Promise<EndpointRecord> {
  if (!endpoint.discovered || priceSats === undefined || priceSats === endpoint.priceSats || !samePattern(endpoint.path, declaredPath))
    return endpoint;
  // discovered: true in the condition: a person's edit made meanwhile wins.
  const updated = await db.endpoint.updateMany({ where: { id: endpoint.id, discovered: true }, data: { priceSats } });
  clearEndpointCache(endpoint.tenantId);
  return updated.count === 1 ? { ...endpoint, priceSats } : endpoint;
}

async function registerDiscovered(
  db: Db,
  tenantId: string,
  input: { method: string; path: string; priceSats: number },
): Promise<EndpointRecord> {
  const discoveredCount = await db.endpoint.count({ where: { tenantId, discovered: true } });
  if (discoveredCount >= discoveredMax()) {
    throw new AppError(
      "invalid_request_error",
      "discovered_endpoint_limit",
      `Your tenant has ${discoveredCount} discovered endpoints, the most allowed (DISCOVERED_ENDPOINTS_MAX). Register ${input.method} ${input.path} on the dashboard, or delete unused discovered endpoints.`,
      { param: "endpoint", status: 409 },
    );
  }
  try {
    return await createEndpoint(db, tenantId, input, true);
  } catch (error) {
    // Two first calls racing: the other one registered it.
    if (error instanceof AppError && error.code === "endpoint_exists") {
      clearEndpointCache(tenantId);
      const endpoints = await listEndpoints(db, tenantId);
      return assertEnabled(endpoints.find((e) => e.method === input.method && samePattern(e.path, input.path))!);
    }
    throw error;
  }
}

export function assertEnabled(endpoint: EndpointRecord): EndpointRecord {
  if (!endpoint.enabled)
    throw new AppError("invalid_request_error", "endpoint_disabled", `${endpoint.method} ${endpoint.path} is disabled.`, {
      param: "endpoint",
    });
  return endpoint;
}
