// Issue 8, item 3: the overview's data after real test calls agrees with the ledger, shows
// only the active mode's book, and the live list (polled by the page) is tenant-scoped.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant } from "../helpers/factories";
import { createEndpoint } from "../../lib/endpoints/registry";
import { getOverviewPage } from "../../lib/dashboard/overview";
import { getLivePayments } from "../../lib/dashboard/live-payments";
import { runTestCall } from "../../lib/onboarding/test-call";
import { accountBalanceMsat } from "../../lib/ledger/balances";
import { accounts } from "../../lib/ledger/accounts";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof ownerWithTenant>>;
let b: Awaited<ReturnType<typeof ownerWithTenant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await ownerWithTenant(t.db, "Tenant A");
  b = await ownerWithTenant(t.db, "Tenant B");
  await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/forecast/:city", priceSats: 21 });
  await createEndpoint(t.db, b.tenant.id, { method: "GET", path: "/b", priceSats: 5 });
  const [premium, forecast] = await t.db.endpoint.findMany({ where: { tenantId: a.tenant.id }, orderBy: { priceSats: "asc" } });
  await runTestCall(t.db, a.user.id, a.tenant.id, { endpointId: premium.id });
  await runTestCall(t.db, a.user.id, a.tenant.id, { endpointId: forecast.id });
  await runTestCall(t.db, a.user.id, a.tenant.id, { endpointId: forecast.id });
});
afterAll(async () => {
  await t.drop();
});

/** What the ledger says about a tenant's settlements in one mode. */
async function ledgerTotals(tenantId: string, mode: "test" | "live") {
  const entries = await t.db.journalEntry.findMany({ where: { tenantId, mode, kind: "settlement" }, include: { postings: true } });
  let amountMsat = 0n;
  let feeMsat = 0n;
  for (const entry of entries) {
    for (const posting of entry.postings) {
      if (posting.accountId === accounts.platformLightning(mode).id) amountMsat += posting.amountMsat;
      if (posting.accountId === accounts.platformFees(mode).id) feeMsat -= posting.amountMsat;
    }
  }
  return {
    count: entries.length,
    amountMsat,
    feeMsat,
    availableMsat: await accountBalanceMsat(t.db, accounts.tenantAvailable(mode, tenantId)),
  };
}

describe("the overview after test calls", () => {
  it("every number agrees with the ledger", async () => {
    const page = await getOverviewPage(t.db, { tenantId: a.tenant.id, mode: "test" });
    const ledger = await ledgerTotals(a.tenant.id, "test");
    expect(ledger.count).toBe(3);
    expect(page.stats.totalPayments).toBe(ledger.count);
    expect(BigInt(page.stats.totalMsat)).toBe(ledger.amountMsat);
    expect(BigInt(page.stats.platformFeeMsat)).toBe(ledger.feeMsat);
    expect(BigInt(page.stats.netMsat)).toBe(ledger.amountMsat - ledger.feeMsat);
    expect(page.balance.availableMsat).toBe(ledger.availableMsat);
    expect(page.balance.availableMsat).toBe(52_000n - ledger.feeMsat);
    expect(page.stats.byEndpoint).toEqual({ "GET /premium": { count: 1, sats: 10 }, "GET /forecast/:city": { count: 2, sats: 42 } });
    expect(page.stats.trend).toMatchObject({ payments7d: 3, sats7d: 52, payments7dPrev: 0 });
    expect(page.stats.recent.map((r) => r.endpoint)).toEqual(["GET /forecast/:city", "GET /forecast/:city", "GET /premium"]);
    expect(page.funnel).toEqual(
      expect.arrayContaining([
        { endpoint: "GET /forecast/:city", challenges: 2, paid: 2, redeemed: 2 },
        { endpoint: "GET /premium", challenges: 1, paid: 1, redeemed: 1 },
      ]),
    );
    expect(page.failedCalls).toEqual([]);
    expect(page.checklist.steps.find((s) => s.id === "test_call")?.done).toBe(true);
    expect(page.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual(["GET /forecast/:city", "GET /premium"]);
  });

  it("live mode shows only the live book: nothing here", async () => {
    const page = await getOverviewPage(t.db, { tenantId: a.tenant.id, mode: "live" });
    expect(page.stats).toMatchObject({ totalPayments: 0, totalSats: 0, recent: [], byDay: [] });
    expect(page.balance.availableMsat).toBe(0n);
    expect(page.funnel).toEqual([]);
    expect(await getLivePayments(t.db, { userId: a.user.id, tenantId: a.tenant.id, mode: "live" })).toEqual([]);
  });

  it("tenant isolation: another tenant's overview and live list show none of it", async () => {
    const page = await getOverviewPage(t.db, { tenantId: b.tenant.id, mode: "test" });
    expect(page.stats.totalPayments).toBe(0);
    expect(page.stats.recent).toEqual([]);
    expect(page.funnel).toEqual([]);
    expect(page.endpoints.map((e) => e.path)).toEqual(["/b"]);
    expect(await getLivePayments(t.db, { userId: b.user.id, tenantId: b.tenant.id, mode: "test" })).toEqual([]);
    // b asking for a's tenant by id (a forged cookie): refused as if it did not exist.
    await expect(getLivePayments(t.db, { userId: b.user.id, tenantId: a.tenant.id, mode: "test" })).rejects.toMatchObject({
      code: "tenant_not_found",
    });
    const live = await getLivePayments(t.db, { userId: a.user.id, tenantId: a.tenant.id, mode: "test" });
    expect(live).toHaveLength(3);
    expect(live.every((row) => row.mode === "test")).toBe(true);
  });
});
