// Issue 7, items 1–4: a token buys what was paid for, no more; payers cannot make
// endpoints; prices follow the owner's intent; paid-but-failed works every time. Each test
// here failed on the code before the fix (noted per test).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint, updateEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { addCaveats, macaroonFromBase64, macaroonToBase64 } from "@tollbooth/l402/protocol";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  const endpoints = [
    { method: "GET", path: "/users/:id", priceSats: 1 },
    { method: "GET", path: "/users/admin", priceSats: 5000 },
    { method: "GET", path: "/shop/*", priceSats: 2 },
    { method: "GET", path: "/shop/gold", priceSats: 4000 },
    { method: "GET", path: "/files/*", priceSats: 3 },
    { method: "GET", path: "/admin", priceSats: 9000 },
    { method: "GET", path: "/cheap", priceSats: 1 },
    { method: "GET", path: "/pass", priceSats: 10, usesPerPayment: 5 },
    { method: "GET", path: "/premium/*", priceSats: 10 },
    { method: "GET", path: "/premium/gold", priceSats: 5000 },
    { method: "GET", path: "/accounts/*", priceSats: 1 },
    { method: "GET", path: "/accounts/:id/files/*", priceSats: 100 },
    { method: "GET", path: "/unlimited", priceSats: 2, usesPerPayment: 0 },
  ];
  for (const endpoint of endpoints) await createEndpoint(t.db, owner.tenant.id, endpoint);
});
afterAll(async () => {
  await t.drop();
});

async function paidCredential(endpoint: string, extra: Record<string, unknown> = {}, key = owner.key) {
  const issued = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint, ...extra } });
  expect(issued.status).toBe(201);
  const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.body.invoice } });
  expect(paid.status).toBe(200);
  return { issued: issued.body, authorization: `L402 ${issued.body.macaroon}:${paid.body.preimage}` };
}

const verify = (authorization: string, method: string, path: string, key = owner.key) =>
  call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method, path } });

describe("a token buys what was paid for, no more", () => {
  // Before: a /users/:id token was served on /users/admin (the caveat pattern matched it).
  it("serves a token only where the request resolves to the token's own endpoint", async () => {
    const { authorization } = await paidCredential("GET /users/:id", { path: "/users/42" });
    const admin = await verify(authorization, "GET", "/users/admin");
    expect(admin.status).toBe(402);
    expect(admin.body.error.code).toBe("wrong_endpoint");
    // The fresh challenge is for what the payer asked for, at its own price.
    expect(admin.body.freshInvoice).toMatchObject({ endpoint: "GET /users/admin", amountSats: 5000 });
    // The refusal redeemed nothing: the token still buys what it was bought for.
    expect((await verify(authorization, "GET", "/users/7")).body).toMatchObject({ valid: true, endpoint: "GET /users/:id" });

    const shop = await paidCredential("GET /shop/*", { path: "/shop/socks" });
    expect((await verify(shop.authorization, "GET", "/shop/gold")).body.error.code).toBe("wrong_endpoint");
    expect((await verify(shop.authorization, "GET", "/shop/socks")).body.valid).toBe(true);
  });

  // Before: with method and path omitted, a GET /cheap token was served for any request.
  it("requires method and path on verify", async () => {
    const { authorization } = await paidCredential("GET /cheap");
    for (const body of [{ authorization }, { authorization, method: "GET" }, { authorization, path: "/cheap" }]) {
      const response = await call(app, "POST", "/api/v1/l402/verify", { key: owner.key, body });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ type: "invalid_request_error" });
      expect(response.body.error.message).toMatch(/method|path/);
    }
    expect((await verify(authorization, "GET", "/cheap")).body.valid).toBe(true);
  });

  // Before: /files/../admin matched the /files/* caveat and was served.
  it("normalises paths before matching", async () => {
    const { authorization } = await paidCredential("GET /files/*", { path: "/files/a.txt" });
    for (const sneaky of ["/files/../admin", "/files/%2e%2e/admin", "/files/%2E%2E/admin", "/files/./../admin", "//files/..//admin"]) {
      const refused = await verify(authorization, "GET", sneaky);
      expect(refused.status, sneaky).toBe(402);
      expect(refused.body.error.code).toBe("wrong_endpoint");
      expect(refused.body.freshInvoice).toMatchObject({ endpoint: "GET /admin", amountSats: 9000 });
    }
    expect((await verify(authorization, "GET", "//files//b.txt")).body.valid).toBe(true);
  });

  // Before: 12 concurrent verifications of a 5-use token narrowed to uses=1 served 2 (or more).
  it.skipIf(!usingRealPostgres)("enforces a holder's narrowing uses= caveat atomically (real Postgres)", async () => {
    for (let round = 0; round < 3; round++) {
      const { issued, authorization } = await paidCredential("GET /pass");
      const narrowed = macaroonToBase64(addCaveats(macaroonFromBase64(issued.macaroon), ["uses=1"]));
      const narrowedAuthorization = authorization.replace(issued.macaroon, narrowed);
      const results = await Promise.all(Array.from({ length: 12 }, () => verify(narrowedAuthorization, "GET", "/pass")));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 402).every((r) => r.body.error.code === "used_up")).toBe(true);
      // The unnarrowed credential still has its other four uses.
      const token = await t.db.l402Token.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
      expect(token.usesConsumed).toBe(1);
    }
  });

  // Express routes case-insensitively and hands the payer's casing to the middleware:
  // /premium/GOLD must be the 5,000-sat endpoint, and /PREMIUM/x must not register a new one.
  it("matches paths without case, as Express routes them", async () => {
    const { authorization } = await paidCredential("GET /premium/*", { path: "/premium/x" });
    const gold = await verify(authorization, "GET", "/premium/GOLD");
    expect(gold.body.error.code).toBe("wrong_endpoint");
    expect(gold.body.freshInvoice).toMatchObject({ endpoint: "GET /premium/gold", amountSats: 5000 });
    const shouted = await call(app, "POST", "/api/v1/invoices", {
      key: owner.key,
      body: { endpoint: "GET /PREMIUM/*", path: "/PREMIUM/x", priceSats: 1 },
    });
    expect(shouted.body).toMatchObject({ endpoint: "GET /premium/*", amountSats: 10 });
    expect(await t.db.endpoint.count({ where: { tenantId: owner.tenant.id, path: { startsWith: "/PREMIUM" } } })).toBe(0);
    expect((await verify(authorization, "GET", "/Premium/y")).body.valid).toBe(true);
  });

  // A literal segment beats :param beats *, segment by segment: /accounts/:id/files/* is
  // more specific than /accounts/*, whatever the number of parameters.
  it("ranks patterns segment by segment", async () => {
    const cheap = await call(app, "POST", "/api/v1/invoices", {
      key: owner.key,
      body: { endpoint: "GET /accounts/*", path: "/accounts/42/files/report" },
    });
    expect(cheap.body).toMatchObject({ endpoint: "GET /accounts/:id/files/*", amountSats: 100 });
    const { authorization } = await paidCredential("GET /accounts/*", { path: "/accounts/42" });
    expect((await verify(authorization, "GET", "/accounts/42/files/report")).body.error.code).toBe("wrong_endpoint");
  });

  it("a huge uses= caveat is just a limit, not a server error", async () => {
    const { issued, authorization } = await paidCredential("GET /unlimited");
    const narrowed = macaroonToBase64(addCaveats(macaroonFromBase64(issued.macaroon), ["uses=999999999999999"]));
    const response = await verify(authorization.replace(issued.macaroon, narrowed), "GET", "/unlimited");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ valid: true, redemption: 1 });
  });

  // Before: a tb_test_ key read a live invoice of its own tenant.
  it("keeps test keys to test data and live keys to live data", async () => {
    const live = await createApiKey(t.db, owner.tenant.id, { name: "live key", mode: "live" });
    const liveInvoice = await call(app, "POST", "/api/v1/invoices", { key: live.key, body: { endpoint: "GET /cheap" } });
    expect(liveInvoice.status).toBe(201);
    const hash = liveInvoice.body.paymentHash;
    expect((await call(app, "GET", `/api/v1/invoices/${hash}`, { key: owner.key })).status).toBe(404);
    expect((await call(app, "GET", `/api/v1/invoices/${hash}`, { key: live.key })).body).toMatchObject({ mode: "live" });

    const { issued, authorization } = await paidCredential("GET /cheap");
    expect((await call(app, "GET", `/api/v1/invoices/${issued.paymentHash}`, { key: live.key })).status).toBe(404);
    const crossVerify = await verify(authorization, "GET", "/cheap", live.key);
    expect(crossVerify.body).toMatchObject({ valid: false, error: { code: "unknown_token" } });
    expect((await verify(authorization, "GET", "/cheap")).body).toMatchObject({ valid: true, redemption: 1 });
    const crossRelease = await call(app, "POST", "/api/v1/l402/release", {
      key: live.key,
      body: { paymentHash: issued.paymentHash, redemption: 1 },
    });
    expect(crossRelease.status).toBe(404);
  });
});

describe("payers cannot make endpoints", () => {
  afterEach(() => {
    delete process.env.DISCOVERED_ENDPOINTS_MAX;
  });

  // Before: the middleware sent each payer path as the endpoint: 150 requests, 151 endpoints.
  it("registers the declared pattern once, whatever paths payers send", async () => {
    const { tenant, key } = await tenantWithKey(t.db);
    const paths = ["/premium/:anything", "/premium/*", ...Array.from({ length: 40 }, (_, i) => `/premium/item-${i}`)];
    for (const path of paths) {
      const response = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium/*", path, priceSats: 10 } });
      expect(response.status, path).toBe(201);
      expect(response.body.endpoint).toBe("GET /premium/*");
    }
    const endpoints = await t.db.endpoint.findMany({ where: { tenantId: tenant.id } });
    expect(endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(["GET /premium/*"]);
  });

  it("refuses a request path the declared pattern does not cover", async () => {
    const { tenant, key } = await tenantWithKey(t.db);
    const response = await call(app, "POST", "/api/v1/invoices", {
      key,
      body: { endpoint: "GET /premium/*", path: "/premium/../admin", priceSats: 1 },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "path_not_covered", param: "path" });
    expect(await t.db.endpoint.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it("caps a tenant's discovered endpoints with a clear error", async () => {
    process.env.DISCOVERED_ENDPOINTS_MAX = "3";
    const { tenant, key } = await tenantWithKey(t.db);
    for (let i = 0; i < 3; i++) {
      expect((await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: `GET /api${i}`, priceSats: 1 } })).status).toBe(201);
    }
    const over = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /api3", priceSats: 1 } });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe("discovered_endpoint_limit");
    expect(over.body.error.message).toContain("DISCOVERED_ENDPOINTS_MAX");
    // Registered endpoints are not counted and still work past the cap.
    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/registered", priceSats: 5 });
    expect((await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /registered" } })).status).toBe(201);
  });
});

describe("prices follow the owner's intent", () => {
  // Before: a discovered endpoint kept its first price for ever.
  it("a discovered endpoint follows the price the code declares now", async () => {
    const { key } = await tenantWithKey(t.db);
    const first = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /report", path: "/report", priceSats: 10 } });
    expect(first.body.amountSats).toBe(10);
    const raised = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /report", path: "/report", priceSats: 25 } });
    expect(raised.body.amountSats).toBe(25);
  });

  it("an endpoint a person created or edited keeps its own price", async () => {
    const { tenant, key } = await tenantWithKey(t.db);
    await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /edited", priceSats: 10 } });
    const discovered = await t.db.endpoint.findFirstOrThrow({ where: { tenantId: tenant.id, path: "/edited" } });
    await updateEndpoint(t.db, tenant.id, discovered.id, { priceSats: 40 });
    const afterEdit = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /edited", priceSats: 10 } });
    expect(afterEdit.body.amountSats).toBe(40);

    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/made", priceSats: 77 });
    const made = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /made", priceSats: 1 } });
    expect(made.body.amountSats).toBe(77);
  });

  // Before: settlement read PLATFORM_FEE_BPS at settle time, re-pricing invoices already out.
  it("settles at the fee rate stored on the invoice when it was issued", async () => {
    const before = process.env.PLATFORM_FEE_BPS;
    process.env.PLATFORM_FEE_BPS = "30";
    try {
      const { issued, authorization } = await paidCredential("GET /pass");
      expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).feeBps).toBe(30);
      process.env.PLATFORM_FEE_BPS = "500";
      expect((await verify(authorization, "GET", "/pass")).body.valid).toBe(true);
      const entry = await t.db.journalEntry.findUniqueOrThrow({
        where: { idempotencyKey: `settle:${issued.paymentHash}` },
        include: { postings: true },
      });
      expect(entry.postings.map((p) => p.amountMsat).sort()).toEqual([-9_970n, -30n, 10_000n].sort());
    } finally {
      if (before === undefined) delete process.env.PLATFORM_FEE_BPS;
      else process.env.PLATFORM_FEE_BPS = before;
    }
  });
});

describe("paid but failed works every time", () => {
  // Before: the retry after a release got the same redemption number, and its own release
  // was refused as already_released: the payer had paid for nothing.
  it("every failed call can be released once, however many fail in a row", async () => {
    const { issued, authorization } = await paidCredential("GET /cheap");
    const release = (redemption: number) =>
      call(app, "POST", "/api/v1/l402/release", { key: owner.key, body: { paymentHash: issued.paymentHash, redemption, status: 500 } });
    for (let attempt = 1; attempt <= 4; attempt++) {
      const verified = await verify(authorization, "GET", "/cheap");
      expect(verified.body).toMatchObject({ valid: true, redemption: attempt, remainingUses: 0 });
      expect((await release(attempt)).body).toEqual({ released: true, remainingUses: 1 });
      expect((await release(attempt)).body).toEqual({ released: false, reason: "already_released" });
    }
    expect((await verify(authorization, "GET", "/cheap")).body).toMatchObject({ valid: true, redemption: 5 });
    expect((await verify(authorization, "GET", "/cheap")).body.error.code).toBe("used_up");
    // A redemption that never happened cannot be released.
    expect((await release(6)).status).toBe(404);
  });
});
