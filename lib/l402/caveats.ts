/**
 * Caveats: `key=value` strings, split at the first "=" as Aperture does.
 *
 *   services=<name>:<tier>[,<name>:<tier>]   Aperture/lnget; the request's service must be listed
 *   <name>_valid_until=<unix seconds>        Aperture; applies to requests for service <name>
 *   valid_until=<unix seconds>               ours; applies to every request
 *   tenant=<id>                              ours; the tenant whose API the token pays for
 *   endpoint=<METHOD /path>                  ours; method and path pattern (/users/:id, /files/*)
 *   uses=<n>                                 ours; the token serves at most n requests
 *
 * A token is valid "until" a second: it is expired from that second on (as Aperture).
 *
 * Narrowing: anyone holding a macaroon may append caveats, so each caveat must hold on
 * its own. Like Aperture we also reject, as `caveat_widens`, a repeated key whose later
 * value is wider than the one before it (a later expiry, more uses, a service not listed
 * before, another tenant or endpoint): such a token is malformed, not merely "still
 * limited by the earlier caveat". Tiers are carried but not compared.
 *
 * Unknown keys fail the check (`unknown_caveat`): a restriction we cannot evaluate must
 * not be ignored. (Aperture ignores them; we only accept tokens we minted.)
 */
import { L402Error } from "./errors";
import { pathMatches } from "./path-pattern";

export interface ServiceTier {
  name: string;
  tier: number;
}

export interface Endpoint {
  /** Upper case, e.g. "GET". */
  method: string;
  /** Starts with "/", no query string. */
  path: string;
}

export type Caveat =
  | { kind: "services"; raw: string; services: ServiceTier[] }
  | { kind: "valid_until"; raw: string; service: string | null; validUntil: number }
  | { kind: "tenant"; raw: string; tenantId: string }
  | { kind: "endpoint"; raw: string; endpoint: Endpoint }
  | { kind: "uses"; raw: string; maxUses: number }
  | { kind: "unknown"; raw: string; key: string; value: string };

/** What to mint. Produces caveats in a fixed order: services, <service>_valid_until, tenant, endpoint, uses, valid_until. */
export interface CaveatSpec {
  service?: { name: string; tier?: number };
  tenantId?: string;
  endpoint?: Endpoint;
  uses?: number;
  /** Unix seconds; also written as <service>_valid_until when a service is given, for Aperture-style clients. */
  validUntil?: number;
}

/** The effective restrictions of a caveat list (after narrowing, the last value of each key). */
export interface CaveatSet {
  services?: ServiceTier[];
  /** Keyed by service name, from <name>_valid_until. */
  serviceValidUntil: Record<string, number>;
  validUntil?: number;
  tenantId?: string;
  endpoint?: Endpoint;
  uses?: number;
  /** Raw caveats with keys we do not know; checkCaveats fails on them. */
  unknown: string[];
}

/** What the request is; all of it is needed, so that no caveat is skipped for lack of context. */
export interface RequestContext {
  service: string;
  tenantId: string;
  method: string;
  /** The request path; a query string is ignored. */
  path: string;
  /** How many times this token has already been redeemed. Enforce `uses` atomically at redemption too. */
  usesSoFar: number;
}

export type CaveatFailureCode =
  | "expired"
  | "wrong_service"
  | "wrong_tenant"
  | "wrong_endpoint"
  | "used_up"
  | "unknown_caveat"
  | "malformed_caveat"
  | "caveat_widens";

export type CaveatCheckResult = { ok: true } | { ok: false; code: CaveatFailureCode; caveat: string; message: string };

// At most 15 digits: always a safe integer in JS.
const UNSIGNED_INTEGER = /^(0|[1-9][0-9]{0,14})$/;
const SERVICE_NAME = /^[A-Za-z0-9_.-]+$/;
const KEY = /^[A-Za-z0-9_.-]+$/;
const VALID_UNTIL_SUFFIX = "_valid_until";

export function formatCaveat(key: string, value: string): string {
  if (!KEY.test(key)) throw new L402Error("invalid_argument", `caveat key ${JSON.stringify(key)} must match ${KEY}`);
  // Control characters would make caveats ambiguous in logs and headers; nothing we mint needs them.
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new L402Error("invalid_argument", `caveat value for ${key} has control characters`);
  return `${key}=${value}`;
}

export function buildCaveats(spec: CaveatSpec): string[] {
  const caveats: string[] = [];
  if (spec.service) {
    caveats.push(formatCaveat("services", `${spec.service.name}:${spec.service.tier ?? 0}`));
    if (spec.validUntil !== undefined) caveats.push(formatCaveat(spec.service.name + VALID_UNTIL_SUFFIX, String(spec.validUntil)));
  }
  if (spec.tenantId !== undefined) caveats.push(formatCaveat("tenant", spec.tenantId));
  if (spec.endpoint) caveats.push(formatCaveat("endpoint", `${spec.endpoint.method.toUpperCase()} ${spec.endpoint.path}`));
  if (spec.uses !== undefined) caveats.push(formatCaveat("uses", String(spec.uses)));
  if (spec.validUntil !== undefined) caveats.push(formatCaveat("valid_until", String(spec.validUntil)));
  // Parse what we built: a spec that would not parse back (bad name, 0 uses...) must fail here, not at verify time.
  for (const caveat of caveats) {
    try {
      parseCaveat(caveat);
    } catch (error) {
      throw new L402Error("invalid_argument", (error as Error).message);
    }
  }
  return caveats;
}

/** Throws L402Error("malformed_caveat"). */
export function parseCaveat(raw: string): Caveat {
  const equals = raw.indexOf("=");
  if (equals <= 0) throw malformed(raw, "not key=value");
  const key = raw.slice(0, equals);
  const value = raw.slice(equals + 1);
  switch (key) {
    case "services": {
      const services = value.split(",").map((entry) => {
        const [name, tier, extra] = entry.split(":");
        if (!name || !SERVICE_NAME.test(name) || tier === undefined || !UNSIGNED_INTEGER.test(tier) || extra !== undefined) {
          throw malformed(raw, `service ${JSON.stringify(entry)} is not <name>:<tier>`);
        }
        return { name, tier: Number(tier) };
      });
      return { kind: "services", raw, services };
    }
    case "tenant":
      if (!/^\S+$/.test(value)) throw malformed(raw, "tenant id must be non-empty without spaces");
      return { kind: "tenant", raw, tenantId: value };
    case "endpoint": {
      const match = /^([A-Z]+) (\/\S*)$/.exec(value);
      if (!match || match[2]!.includes("?")) throw malformed(raw, "endpoint must be `METHOD /path` (upper-case method, no query)");
      return { kind: "endpoint", raw, endpoint: { method: match[1]!, path: match[2]! } };
    }
    case "uses":
      if (!UNSIGNED_INTEGER.test(value) || value === "0") throw malformed(raw, "uses must be a positive integer");
      return { kind: "uses", raw, maxUses: Number(value) };
  }
  if (key === "valid_until" || key.endsWith(VALID_UNTIL_SUFFIX)) {
    const service = key === "valid_until" ? null : key.slice(0, -VALID_UNTIL_SUFFIX.length);
    if (service !== null && !SERVICE_NAME.test(service)) throw malformed(raw, "bad service name");
    if (!UNSIGNED_INTEGER.test(value)) throw malformed(raw, "valid_until must be unix seconds");
    return { kind: "valid_until", raw, service, validUntil: Number(value) };
  }
  return { kind: "unknown", raw, key, value };
}

/** Parses and applies the narrowing rule. Throws L402Error("malformed_caveat" | "caveat_widens"). */
export function parseCaveats(raws: readonly string[]): CaveatSet {
  const set: CaveatSet = { serviceValidUntil: {}, unknown: [] };
  const latestByKey = new Map<string, Caveat>();
  for (const raw of raws) {
    const caveat = parseCaveat(raw);
    const widened = recordNarrowing(latestByKey, caveat);
    if (widened) {
      throw new L402Error("caveat_widens", `caveat ${JSON.stringify(raw)} widens the earlier ${JSON.stringify(widened.raw)}`);
    }
    switch (caveat.kind) {
      case "services":
        set.services = caveat.services;
        break;
      case "valid_until":
        if (caveat.service === null) set.validUntil = caveat.validUntil;
        else set.serviceValidUntil[caveat.service] = caveat.validUntil;
        break;
      case "tenant":
        set.tenantId = caveat.tenantId;
        break;
      case "endpoint":
        set.endpoint = caveat.endpoint;
        break;
      case "uses":
        set.uses = caveat.maxUses;
        break;
      case "unknown":
        set.unknown.push(raw);
        break;
    }
  }
  return set;
}

/** Checks every caveat against the request; reports the first that fails. `now` defaults to the clock. */
export function checkCaveats(raws: readonly string[], context: RequestContext, now: Date = new Date()): CaveatCheckResult {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const latestByKey = new Map<string, Caveat>();
  for (const raw of raws) {
    let caveat: Caveat;
    try {
      caveat = parseCaveat(raw);
    } catch (error) {
      return fail("malformed_caveat", raw, (error as Error).message);
    }
    const widened = recordNarrowing(latestByKey, caveat);
    if (widened) return fail("caveat_widens", raw, `widens the earlier ${JSON.stringify(widened.raw)}`);
    const failure = unmet(caveat, context, nowSeconds);
    if (failure) return fail(failure.code, raw, failure.message);
  }
  return { ok: true };
}

function unmet(caveat: Caveat, context: RequestContext, nowSeconds: number): { code: CaveatFailureCode; message: string } | null {
  switch (caveat.kind) {
    case "services":
      return caveat.services.some((service) => service.name === context.service)
        ? null
        : { code: "wrong_service", message: `service ${context.service} is not covered` };
    case "valid_until":
      // <name>_valid_until bounds only requests for that service (as Aperture); services= gates the rest.
      if (caveat.service !== null && caveat.service !== context.service) return null;
      return nowSeconds < caveat.validUntil ? null : { code: "expired", message: `expired at ${caveat.validUntil}, now ${nowSeconds}` };
    case "tenant":
      return caveat.tenantId === context.tenantId ? null : { code: "wrong_tenant", message: `token is for another tenant` };
    case "endpoint": {
      const method = context.method.toUpperCase();
      const path = context.path.split("?")[0];
      return method === caveat.endpoint.method && pathMatches(caveat.endpoint.path, path)
        ? null
        : { code: "wrong_endpoint", message: `token is for ${caveat.endpoint.method} ${caveat.endpoint.path}, not ${method} ${path}` };
    }
    case "uses":
      return context.usesSoFar < caveat.maxUses
        ? null
        : { code: "used_up", message: `used ${context.usesSoFar} of ${caveat.maxUses} times` };
    case "unknown":
      return { code: "unknown_caveat", message: `unknown caveat key ${caveat.key}` };
  }
}

/** Records the caveat as the latest of its key; returns the earlier caveat it widens, if any. */
function recordNarrowing(latestByKey: Map<string, Caveat>, caveat: Caveat): Caveat | null {
  const key = caveatKey(caveat);
  const previous = latestByKey.get(key);
  latestByKey.set(key, caveat);
  return previous && widens(previous, caveat) ? previous : null;
}

/** Caveats with the same key form a chain for the narrowing rule. */
function caveatKey(caveat: Caveat): string {
  if (caveat.kind === "valid_until") return caveat.service === null ? "valid_until" : caveat.service + VALID_UNTIL_SUFFIX;
  return caveat.kind === "unknown" ? `unknown:${caveat.key}` : caveat.kind;
}

function widens(previous: Caveat, current: Caveat): boolean {
  if (previous.kind === "services" && current.kind === "services") {
    return current.services.some((service) => !previous.services.some((allowed) => allowed.name === service.name));
  }
  if (previous.kind === "valid_until" && current.kind === "valid_until") return current.validUntil > previous.validUntil;
  if (previous.kind === "uses" && current.kind === "uses") return current.maxUses > previous.maxUses;
  if (previous.kind === "tenant" && current.kind === "tenant") return current.tenantId !== previous.tenantId;
  if (previous.kind === "endpoint" && current.kind === "endpoint") {
    return current.endpoint.method !== previous.endpoint.method || current.endpoint.path !== previous.endpoint.path;
  }
  return false; // unknown keys fail on their own
}

function malformed(raw: string, reason: string): L402Error {
  return new L402Error("malformed_caveat", `caveat ${JSON.stringify(raw)}: ${reason}`);
}

function fail(code: CaveatFailureCode, caveat: string, message: string): CaveatCheckResult {
  return { ok: false, code, caveat, message };
}
