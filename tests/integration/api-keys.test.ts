// API-key authentication on /api/v1: storage, scopes, expiry, revocation, rotation, IP
// allow-lists, rate limits, and that no key reaches another tenant's data on any route.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createApiKey, hashKey, revokeApiKey, rotateApiKey } from "../../lib/keys/api-keys";
import { createEndpoint } from "../../lib/endpoints/registry";
import { ipAllowed, isValidIpRule } from "../../lib/keys/ip-allowlist";
// In process there is no server.ts: set the address it would have resolved (client-ip.test.ts
// covers how it resolves one over HTTP).
import { CLIENT_IP_HEADER } from "../../lib/http/client-ip";

let t: TestDatabase;
let app: Api;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => resetApiAuthState());

const createInvoice = (key: string, headers: Record<string, string> = {}) =>
  call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /k", priceSats: 1 }, headers });

describe("API keys", () => {
  it("are stored as SHA-256 only, listed by prefix and last four", async () => {
    const { key, keyRecord } = await tenantWithKey(t.db);
    expect(key).toMatch(/^tb_test_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: keyRecord.id } });
    expect(row.hash).toBe(hashKey(key));
    expect(JSON.stringify(row)).not.toContain(key.slice(8));
    expect(row.prefix).toBe(key.slice(0, 12));
    expect(row.lastFour).toBe(key.slice(-4));
    const live = await createApiKey(t.db, row.tenantId, { name: "live", mode: "live" });
    expect(live.key).toMatch(/^tb_live_/);
  });

  it("refuse a missing, malformed, unknown, revoked or expired key with a clear 401", async () => {
    const { key, keyRecord, tenant } = await tenantWithKey(t.db);
    expect((await call(app, "POST", "/api/v1/invoices", { body: { endpoint: "GET /k" } })).body.error.code).toBe("missing_api_key");
    expect((await createInvoice("tb_test_short")).body.error.code).toBe("invalid_api_key");
    expect((await createInvoice(`tb_test_${"A".repeat(43)}`)).status).toBe(401);

    const ok = await createInvoice(key);
    expect(ok.status).toBe(201);
    await vi.waitFor(async () => expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: keyRecord.id } })).lastUsedAt).not.toBeNull());

    await revokeApiKey(t.db, tenant.id, keyRecord.id);
    resetApiAuthState();
    const revoked = await createInvoice(key);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({ type: "authentication_error", code: "api_key_revoked" });

    const expiring = await createApiKey(t.db, tenant.id, { name: "soon", expiresAt: new Date(Date.now() + 60_000) });
    await t.db.apiKey.update({ where: { id: expiring.record.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await createInvoice(expiring.key);
    expect(expired.body.error.code).toBe("api_key_expired");
  });

  it("rotation keeps the old key working until its expiry, then fails clearly", async () => {
    const { key: oldKey, keyRecord, tenant } = await tenantWithKey(t.db, { allowedIps: ["203.0.113.0/24"], scopes: ["invoices:write"] });
    const headers = { [CLIENT_IP_HEADER]: "203.0.113.7" };
    const rotated = await rotateApiKey(t.db, tenant.id, keyRecord.id, new Date(Date.now() + 3_600_000));
    expect(rotated.record).toMatchObject({ rotatedFromId: keyRecord.id, scopes: ["invoices:write"], allowedIps: ["203.0.113.0/24"] });
    expect((await createInvoice(oldKey, headers)).status).toBe(201);
    expect((await createInvoice(rotated.key, headers)).status).toBe(201);

    await t.db.apiKey.update({ where: { id: keyRecord.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    resetApiAuthState();
    expect((await createInvoice(oldKey, headers)).body.error.code).toBe("api_key_expired");
    expect((await createInvoice(rotated.key, headers)).status).toBe(201);
  });

  it("enforce scopes (403) and the client IP allow-list", async () => {
    const readOnly = await tenantWithKey(t.db, { scopes: ["stats:read"] });
    const denied = await createInvoice(readOnly.key);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ type: "permission_error", code: "missing_scope" });

    const pinned = await tenantWithKey(t.db, { allowedIps: ["198.51.100.0/24", "2001:db8::/32"] });
    expect((await createInvoice(pinned.key, { [CLIENT_IP_HEADER]: "198.51.100.20" })).status).toBe(201);
    expect((await createInvoice(pinned.key, { [CLIENT_IP_HEADER]: "2001:db8::1" })).status).toBe(201);
    const outside = await createInvoice(pinned.key, { [CLIENT_IP_HEADER]: "192.0.2.1" });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe("ip_not_allowed");
  });

  it("validate key settings", async () => {
    const { tenant } = await tenantWithKey(t.db);
    await expect(createApiKey(t.db, tenant.id, { name: "x", allowedIps: ["999.1.1.1"] })).rejects.toMatchObject({
      code: "invalid_api_key_request",
      param: "allowedIps.0",
    });
    await expect(createApiKey(t.db, tenant.id, { name: "x", scopes: ["root"] })).rejects.toMatchObject({ code: "invalid_api_key_request" });
    await expect(createApiKey(t.db, tenant.id, { name: "" })).rejects.toMatchObject({ param: "name" });
    await expect(createApiKey(t.db, tenant.id, { name: "x", expiresAt: "2001-01-01" })).rejects.toMatchObject({ param: "expiresAt" });
  });

  it("rate-limit per key with 429, Retry-After and RateLimit headers", async () => {
    vi.stubEnv("API_RATE_LIMIT_PER_SECOND", "2");
    vi.stubEnv("API_RATE_LIMIT_BURST", "3");
    resetApiAuthState();
    const { key } = await tenantWithKey(t.db);
    const other = await tenantWithKey(t.db);
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 5; i++) {
      const response = await call(app, "GET", "/api/v1/endpoints", { key });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(limited!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(limited!.headers.get("ratelimit-limit")).toBe("3");
    expect(limited!.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited!.body.error).toMatchObject({ type: "rate_limit_error", code: "rate_limited" });
    // Another key has its own bucket.
    expect((await call(app, "GET", "/api/v1/endpoints", { key: other.key })).status).toBe(200);
    vi.unstubAllEnvs();
    resetApiAuthState();
  });
});

describe("tenant isolation on every /api/v1 route", () => {
  it("a key of tenant B cannot read, verify, or change anything of tenant A", async () => {
    const a = await tenantWithKey(t.db);
    const b = await tenantWithKey(t.db);
    const endpoint = await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/secret", priceSats: 7 });
    const issued = (await call(app, "POST", "/api/v1/invoices", { key: a.key, body: { endpoint: "GET /secret" } })).body;
    const preimage = (await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).body.preimage;

    expect((await call(app, "GET", `/api/v1/invoices/${issued.paymentHash}`, { key: b.key })).status).toBe(404);
    const byId = await call(app, "POST", "/api/v1/invoices", { key: b.key, body: { endpoint: endpoint.id } });
    expect(byId.status).toBe(404);
    expect((await call(app, "PATCH", `/api/v1/endpoints/${endpoint.id}`, { key: b.key, body: { priceSats: 1 } })).status).toBe(404);
    const listed = await call(app, "GET", "/api/v1/endpoints", { key: b.key });
    expect(listed.body.data.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);
    const stolen = await call(app, "POST", "/api/v1/l402/verify", {
      key: b.key,
      body: { authorization: `L402 ${issued.macaroon}:${preimage}`, method: "GET", path: "/secret" },
    });
    expect(stolen.status).toBe(402);
    expect(stolen.body.error.code).toBe("unknown_token");

    // Nothing was redeemed or changed by B; A's own verification still succeeds once.
    expect((await t.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).priceSats).toBe(7);
    const own = await call(app, "POST", "/api/v1/l402/verify", {
      key: a.key,
      body: { authorization: `L402 ${issued.macaroon}:${preimage}`, method: "GET", path: "/secret" },
    });
    expect(own.body.valid).toBe(true);
  });
});

describe("IP rules", () => {
  it("match IPv4, IPv6, mapped addresses and CIDR prefixes", () => {
    expect(ipAllowed("10.1.2.3", [])).toBe(true);
    expect(ipAllowed("10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(ipAllowed("::ffff:10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(ipAllowed("11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    expect(ipAllowed("2001:db8:1::5", ["2001:db8::/32"])).toBe(true);
    expect(ipAllowed("2001:db9::5", ["2001:db8::/32"])).toBe(false);
    expect(ipAllowed(null, ["10.0.0.0/8"])).toBe(false);
    expect(isValidIpRule("10.0.0.0/33")).toBe(false);
    expect(isValidIpRule("::1/128")).toBe(true);
  });
});
