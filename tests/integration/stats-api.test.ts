// Issue 8, items 5, 6 and 8: the stats, payments, balance and export routes. Every number
// the stats API answers is the ledger's; a key sees only its own tenant's and mode's data;
// lists page with a cursor; exports stream every row with formulas neutralised.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { issue, paidCall } from "../helpers/payments";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { accounts } from "../../lib/ledger/accounts";
import { lightningBackendFor } from "../../lib/lightning/select";
import { getOverviewStats } from "../../lib/stats";
import { PAYMENT_CSV_HEADER } from "../../lib/stats/export";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let other: Awaited<ReturnType<typeof tenantWithKey>>;
let liveKey: string;
let livePayment: string;
const testPayments: string[] = [];

beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_SECOND = "100000";
  resetApiAuthState();
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  other = await tenantWithKey(t.db);
  liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
  for (const tenant of [owner.tenant.id, other.tenant.id]) {
    await createEndpoint(t.db, tenant, { method: "GET", path: "/premium", priceSats: 100 });
    await createEndpoint(t.db, tenant, { method: "POST", path: "/reports/:id", priceSats: 17 });
  }
  for (let i = 0; i < 5; i++) testPayments.push((await paidCall(app, owner.key, "GET /premium")).paymentHash);
  for (let i = 0; i < 2; i++) testPayments.push((await paidCall(app, owner.key, "POST /reports/:id")).paymentHash);
  await issue(app, owner.key, "GET /premium");
  // A live payment (the live simulated node pays its own invoices in development).
  const issued = await issue(app, liveKey, "GET /premium");
  const paid = await lightningBackendFor("live", t.db).payInvoice({ bolt11: issued.invoice, maxFeeMsat: 0n, timeoutSeconds: 5 });
  if (paid.state !== "succeeded") throw new Error(`payment ${paid.state}`);
  const verified = await call(app, "POST", "/api/v1/l402/verify", {
    key: liveKey,
    body: { authorization: `L402 ${issued.macaroon}:${paid.preimage}`, method: "GET", path: "/premium" },
  });
  expect(verified.body.valid).toBe(true);
  livePayment = issued.paymentHash;
  await paidCall(app, other.key, "GET /premium");
});
afterAll(async () => {
  await t.drop();
});

async function raw(path: string, key: string, headers: Record<string, string> = {}) {
  const response = await app.request(path, { headers: { authorization: `Bearer ${key}`, ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("GET /api/v1/stats", () => {
  it("answers the ledger's numbers for the key's tenant and mode", async () => {
    const response = await call(app, "GET", "/api/v1/stats", { key: owner.key });
    expect(response.status).toBe(200);
    const [ledger] = await t.db.$queryRaw<{ payments: number; amount: string; fee: string; net: string }[]>`
      SELECT count(DISTINCT je.id)::int AS payments,
        SUM(p.amount_msat) FILTER (WHERE p.account_id = 'test:platform:lightning')::text AS amount,
        (-SUM(p.amount_msat) FILTER (WHERE p.account_id = 'test:platform:fees'))::text AS fee,
        (-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${accounts.tenantAvailable("test", owner.tenant.id).id}))::text AS net
      FROM journal_entries je JOIN postings p ON p.entry_id = je.id
      WHERE je.kind = 'settlement' AND je.tenant_id = ${owner.tenant.id} AND je.mode = 'test'`;
    expect(response.body).toMatchObject({
      totalPayments: ledger.payments,
      totalSats: Number(ledger.amount) / 1000,
      platformFeeSats: Number(ledger.fee) / 1000,
      netSats: Number(ledger.net) / 1000,
      totalMsat: ledger.amount,
      platformFeeMsat: ledger.fee,
      netMsat: ledger.net,
      trend: { payments7d: 7, payments7dPrev: 0, sats7d: 534, sats7dPrev: 0 },
      byEndpoint: { "GET /premium": { count: 5, sats: 500 }, "POST /reports/:id": { count: 2, sats: 34 } },
    });
    expect(response.body.recent.map((p: { paymentHash: string }) => p.paymentHash).sort()).toEqual([...testPayments].sort());
    expect(response.body).toEqual(JSON.parse(JSON.stringify(await getOverviewStats(t.db, { tenantId: owner.tenant.id, mode: "test" }))));
  });

  it("accepts the key in x-dashboard-secret (l402-kit's header)", async () => {
    const response = await app.request("/api/v1/stats", { headers: { "x-dashboard-secret": owner.key } });
    expect(response.status).toBe(200);
    expect((await response.json()).totalPayments).toBe(7);
  });

  it("a live key sees live data, another tenant's key none of this tenant's", async () => {
    const live = await call(app, "GET", "/api/v1/stats", { key: liveKey });
    expect(live.body).toMatchObject({ totalPayments: 1, totalSats: 100 });
    expect(live.body.recent.map((p: { paymentHash: string }) => p.paymentHash)).toEqual([livePayment]);
    const others = await call(app, "GET", "/api/v1/stats", { key: other.key });
    expect(others.body.totalPayments).toBe(1);
    expect(others.body.recent.some((p: { paymentHash: string }) => testPayments.includes(p.paymentHash))).toBe(false);
  });

  it("takes a date range and refuses a bad one", async () => {
    const empty = await call(app, "GET", "/api/v1/stats?from=2020-01-01&to=2020-02-01", { key: owner.key });
    expect(empty.body).toMatchObject({ totalPayments: 0, byDay: [], recent: [] });
    const today = new Date().toISOString().slice(0, 10);
    const now = await call(app, "GET", `/api/v1/stats?from=${today}`, { key: owner.key });
    expect(now.body.totalPayments).toBe(7);
    expect((await call(app, "GET", "/api/v1/stats?from=yesterday", { key: owner.key })).status).toBe(400);
    const reversed = await call(app, "GET", "/api/v1/stats?from=2026-02-01&to=2026-01-01", { key: owner.key });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.param).toBe("from");
  });

  it("needs the stats:read scope", async () => {
    const { key } = await createApiKey(t.db, owner.tenant.id, { name: "invoices only", scopes: ["invoices:write"] });
    const response = await call(app, "GET", "/api/v1/stats", { key });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe("missing_scope");
    expect((await call(app, "GET", "/api/v1/stats")).status).toBe(401);
  });
});

describe("GET /api/v1/payments", () => {
  it("lists in the design's shape and pages with a cursor", async () => {
    const seen: string[] = [];
    let path = "/api/v1/payments?limit=3";
    for (;;) {
      const page = await call(app, "GET", path, { key: owner.key });
      expect(page.status).toBe(200);
      expect(page.body.object).toBe("list");
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((p: { paymentHash: string }) => p.paymentHash));
      if (!page.body.has_more) {
        expect(page.body.next_cursor).toBeNull();
        break;
      }
      path = `/api/v1/payments?limit=3&cursor=${page.body.next_cursor}`;
    }
    expect(seen.sort()).toEqual([...testPayments].sort());
    const first = (await call(app, "GET", "/api/v1/payments?limit=1", { key: owner.key })).body.data[0];
    expect(first).toMatchObject({ mode: "test", amountSats: expect.any(Number), redeemed: true, failedCalls: 0 });
    expect(BigInt(first.amountMsat)).toBe(BigInt(first.feeMsat) + BigInt(first.netMsat));
  });

  it("filters and validates", async () => {
    const reports = await call(app, "GET", `/api/v1/payments?endpoint=${encodeURIComponent("POST /reports/:id")}`, { key: owner.key });
    expect(reports.body.data).toHaveLength(2);
    expect((await call(app, "GET", "/api/v1/payments?limit=101", { key: owner.key })).status).toBe(400);
    expect((await call(app, "GET", "/api/v1/payments?status=lost", { key: owner.key })).status).toBe(400);
    const badCursor = await call(app, "GET", "/api/v1/payments?cursor=xyz", { key: owner.key });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe("invalid_cursor");
  });

  it("a key sees only its own tenant's and mode's payments", async () => {
    const others = await call(app, "GET", "/api/v1/payments?limit=100", { key: other.key });
    expect(others.body.data).toHaveLength(1);
    expect(others.body.data.some((p: { paymentHash: string }) => testPayments.includes(p.paymentHash))).toBe(false);
    const live = await call(app, "GET", "/api/v1/payments?limit=100", { key: liveKey });
    expect(live.body.data.map((p: { paymentHash: string }) => p.paymentHash)).toEqual([livePayment]);
    const { key } = await createApiKey(t.db, owner.tenant.id, { name: "stats only", scopes: ["stats:read"] });
    expect((await call(app, "GET", "/api/v1/payments", { key })).status).toBe(403);
  });

  it("a payment's detail; another tenant's or mode's is not found", async () => {
    const detail = await call(app, "GET", `/api/v1/payments/${testPayments[0]}`, { key: owner.key });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      payment: { paymentHash: testPayments[0], endpoint: "GET /premium" },
      invoice: { state: "paid", amountMsat: "100000" },
      token: { endpoint: "GET /premium", redemptionCount: 1 },
      ledgerEntry: { idempotencyKey: `settle:${testPayments[0]}`, kind: "settlement" },
      failedCalls: [],
    });
    expect(detail.body.ledgerEntry.postings).toHaveLength(3);
    for (const key of [other.key, liveKey]) {
      const hidden = await call(app, "GET", `/api/v1/payments/${testPayments[0]}`, { key });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe("payment_not_found");
    }
    expect((await call(app, "GET", "/api/v1/payments/nothex", { key: owner.key })).status).toBe(400);
  });
});

describe("GET /api/v1/balance", () => {
  it("decimal strings from the ledger, per tenant and mode", async () => {
    const balance = await call(app, "GET", "/api/v1/balance", { key: owner.key });
    // 5 × 99,700 + 2 × (17,000 − 51) msat.
    expect(balance.body).toEqual({ availableMsat: String(5 * 99_700 + 2 * 16_949), pendingMsat: "0", paidOutMsat: "0", feesMsat: "1602" });
    expect((await call(app, "GET", "/api/v1/balance", { key: liveKey })).body.availableMsat).toBe("99700");
    expect((await call(app, "GET", "/api/v1/balance", { key: other.key })).body.availableMsat).toBe("99700");
  });
});

describe("GET /api/v1/payments/export", () => {
  function parseCsv(text: string) {
    const lines = text.split("\r\n").filter(Boolean);
    return { header: lines[0].split(","), rows: lines.slice(1).map((line) => line.split(",")) };
  }

  it("streams every payment as CSV with sats, msat, fee and net", async () => {
    const response = await raw("/api/v1/payments/export?format=csv", owner.key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="payments-test-.*\.csv"/);
    const { header, rows } = parseCsv(response.text);
    expect(header).toEqual(PAYMENT_CSV_HEADER);
    expect(rows.map((row) => row[0]).sort()).toEqual([...testPayments].sort());
    const premium = rows.find((row) => row[2] === "GET /premium");
    expect(premium?.slice(3, 12)).toEqual(["test", "100", "100000", "0.3", "300", "99.7", "99700", "true", "0"]);
    expect(premium?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("takes the page's filters; NDJSON has the list's rows", async () => {
    const filtered = parseCsv((await raw(`/api/v1/payments/export?endpoint=${encodeURIComponent("POST /reports/:id")}`, owner.key)).text);
    expect(filtered.rows).toHaveLength(2);
    expect(parseCsv((await raw("/api/v1/payments/export?to=2020-01-01", owner.key)).text).rows).toEqual([]);
    const ndjson = await raw("/api/v1/payments/export?format=ndjson", owner.key);
    expect(ndjson.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = ndjson.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual((await call(app, "GET", "/api/v1/payments?limit=100", { key: owner.key })).body.data);
  });

  it("another tenant's key or the other mode exports none of it", async () => {
    const others = parseCsv((await raw("/api/v1/payments/export", other.key)).text);
    expect(others.rows).toHaveLength(1);
    expect(others.rows.some((row) => testPayments.includes(row[0]))).toBe(false);
    expect(parseCsv((await raw("/api/v1/payments/export", liveKey)).text).rows.map((row) => row[0])).toEqual([livePayment]);
  });
});

describe("OpenAPI", () => {
  it("documents the stats, payments, export and balance routes", async () => {
    const doc = (await call(app, "GET", "/api/v1/openapi.json")).body;
    for (const path of [
      "/api/v1/stats",
      "/api/v1/payments",
      "/api/v1/payments/export",
      "/api/v1/payments/{paymentHash}",
      "/api/v1/balance",
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.components.schemas.Stats.properties.trend).toBeDefined();
  });
});
