// Issue 8, items 3 and 7: every number the overview and the stats API show matches the
// ledger. Payments are made through the real API (invoice → dev wallet → verify, and one
// credited by the settlement watcher without a redemption); the expected numbers are sums
// over the settlement journal entries' postings, computed here independently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { issue, paidCall, payInvoice } from "../helpers/payments";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { settlePaidInvoices } from "../../lib/invoices/watch";
import { accountBalanceMsat } from "../../lib/ledger/balances";
import { accounts } from "../../lib/ledger/accounts";
import { lightningBackendFor } from "../../lib/lightning/select";
import { paymentExportRows, streamBalanceHistoryCsv } from "../../lib/stats/export";
import {
  getBalance,
  getFailedCalls,
  getFunnel,
  getOverviewStats,
  getPayment,
  listBalanceHistory,
  listPayments,
  type KeyMode,
} from "../../lib/stats";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let other: Awaited<ReturnType<typeof tenantWithKey>>;
let liveKey: string;
const paid: string[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  other = await tenantWithKey(t.db);
  liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
  for (const tenant of [owner.tenant.id, other.tenant.id]) {
    await createEndpoint(t.db, tenant, { method: "GET", path: "/premium", priceSats: 100 });
    await createEndpoint(t.db, tenant, { method: "GET", path: "/odd", priceSats: 333 });
  }
  // The owner's test book: 3 × /premium, 2 × /odd (one of them credited by the watcher,
  // never redeemed), 2 challenges never paid, one failed call released.
  for (let i = 0; i < 3; i++) paid.push((await paidCall(app, owner.key, "GET /premium")).paymentHash);
  const failed = await paidCall(app, owner.key, "GET /odd");
  paid.push(failed.paymentHash);
  const release = await call(app, "POST", "/api/v1/l402/release", {
    key: owner.key,
    body: { paymentHash: failed.paymentHash, redemption: failed.redemption, status: 502, reason: "upstream down" },
  });
  expect(release.body).toMatchObject({ released: true });
  const unredeemed = await issue(app, owner.key, "GET /odd");
  await payInvoice(app, unredeemed.invoice);
  expect((await settlePaidInvoices(t.db, { log: () => {} })).settled).toBe(1);
  paid.push(unredeemed.paymentHash);
  await issue(app, owner.key, "GET /premium");
  await issue(app, owner.key, "GET /odd");
  // Other books that must not show: the owner's live mode and another tenant.
  await livePaidCall(liveKey, "GET /premium");
  await paidCall(app, other.key, "GET /odd");
  await paidCall(app, other.key, "GET /premium");
});
/** The dev wallet never pays live invoices; the (development) live simulated node pays its own. */
async function livePaidCall(key: string, endpoint: string) {
  const issued = await issue(app, key, endpoint);
  const paid = await lightningBackendFor("live", t.db).payInvoice({ bolt11: issued.invoice, maxFeeMsat: 0n, timeoutSeconds: 5 });
  if (paid.state !== "succeeded") throw new Error(`payment ${paid.state}`);
  const [method, path] = endpoint.split(" ");
  const verified = await call(app, "POST", "/api/v1/l402/verify", {
    key,
    body: { authorization: `L402 ${issued.macaroon}:${paid.preimage}`, method, path },
  });
  expect(verified.body.valid).toBe(true);
  return issued.paymentHash;
}

afterAll(async () => {
  await t.drop();
});

/** The ledger's own sums: settlement entries of the scope, their postings by account. */
async function ledgerTotals(tenantId: string, mode: KeyMode) {
  const rows = await t.db.$queryRaw<{ payments: number; amount: string; fee: string; net: string }[]>`
    SELECT count(DISTINCT je.id)::int AS payments,
      COALESCE(SUM(p.amount_msat) FILTER (WHERE p.account_id = ${accounts.platformLightning(mode).id}), 0)::text AS amount,
      COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${accounts.platformFees(mode).id}), 0)::text AS fee,
      COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${accounts.tenantAvailable(mode, tenantId).id}), 0)::text AS net
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id
    WHERE je.kind = 'settlement' AND je.tenant_id = ${tenantId} AND je.mode = ${mode}::"KeyMode"`;
  const byEndpoint = await t.db.$queryRaw<{ endpoint: string; count: number; amount: string }[]>`
    SELECT tk.endpoint_label AS endpoint, count(*)::int AS count, SUM(p.amount_msat)::text AS amount
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id AND p.account_id = ${accounts.platformLightning(mode).id}
    JOIN l402_tokens tk ON tk.payment_hash = je.payment_hash
    WHERE je.kind = 'settlement' AND je.tenant_id = ${tenantId} AND je.mode = ${mode}::"KeyMode"
    GROUP BY 1`;
  return { ...rows[0], byEndpoint };
}

describe("overview numbers match the ledger", () => {
  it("totals, fee, net, per endpoint, per day and the recent payments", async () => {
    const stats = await getOverviewStats(t.db, { tenantId: owner.tenant.id, mode: "test" });
    const ledger = await ledgerTotals(owner.tenant.id, "test");
    expect(ledger.payments).toBe(5);
    expect(stats.totalPayments).toBe(ledger.payments);
    expect(stats.totalMsat).toBe(ledger.amount);
    expect(stats.platformFeeMsat).toBe(ledger.fee);
    expect(stats.netMsat).toBe(ledger.net);
    expect(stats.totalSats).toBe(Number(ledger.amount) / 1000);
    expect(stats.platformFeeSats).toBe(Number(ledger.fee) / 1000);
    expect(stats.netSats).toBe(Number(ledger.net) / 1000);
    // 3 × 100 + 2 × 333 sats; fee floor(100,000 × 30 / 10,000) = 300 and 999 msat each.
    expect(ledger.amount).toBe("966000");
    expect(ledger.fee).toBe(String(3 * 300 + 2 * 999));
    expect(stats.byEndpoint).toEqual(
      Object.fromEntries(ledger.byEndpoint.map((row) => [row.endpoint, { count: row.count, sats: Number(row.amount) / 1000 }])),
    );
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.byDay).toEqual([{ date: today, count: 5, sats: 966 }]);
    expect(stats.recent.map((row) => row.paymentHash).sort()).toEqual([...paid].sort());
    const settledAt = stats.recent.map((row) => row.settledAt);
    expect(settledAt).toEqual([...settledAt].sort().reverse());
    for (const row of stats.recent) expect(BigInt(row.amountMsat)).toBe(BigInt(row.feeMsat) + BigInt(row.netMsat));
    expect(stats.recent.filter((row) => !row.redeemed)).toHaveLength(1);
    expect(stats.recent.filter((row) => row.failedCalls === 1)).toHaveLength(1);
  });

  it("the trend compares the last 7 UTC days with the 7 before", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    expect((await getOverviewStats(t.db, scope)).trend).toEqual({ payments7d: 5, payments7dPrev: 0, sats7d: 966, sats7dPrev: 0 });
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    expect((await getOverviewStats(t.db, { ...scope, now: inAWeek })).trend).toEqual({
      payments7d: 0,
      payments7dPrev: 5,
      sats7d: 0,
      sats7dPrev: 966,
    });
  });

  it("a range outside the payments has no payments", async () => {
    const stats = await getOverviewStats(t.db, {
      tenantId: owner.tenant.id,
      mode: "test",
      from: new Date("2020-01-01T00:00:00Z"),
      to: new Date("2020-02-01T00:00:00Z"),
    });
    expect(stats).toMatchObject({ totalPayments: 0, totalSats: 0, byDay: [], recent: [], byEndpoint: {} });
  });

  it("balances match the ledger accounts", async () => {
    const balance = await getBalance(t.db, { tenantId: owner.tenant.id, mode: "test" });
    const ledger = await ledgerTotals(owner.tenant.id, "test");
    expect(balance.availableMsat).toBe(await accountBalanceMsat(t.db, accounts.tenantAvailable("test", owner.tenant.id)));
    expect(balance.availableMsat).toBe(BigInt(ledger.net));
    expect(balance.feesMsat).toBe(BigInt(ledger.fee));
    expect(balance.pendingMsat).toBe(0n);
    expect(balance.paidOutMsat).toBe(0n);
  });

  it("the funnel counts challenges, paid and redeemed per endpoint", async () => {
    const funnel = await getFunnel(t.db, { tenantId: owner.tenant.id, mode: "test" });
    expect(funnel).toEqual([
      { endpoint: "GET /premium", challenges: 4, paid: 3, redeemed: 3 },
      { endpoint: "GET /odd", challenges: 3, paid: 2, redeemed: 1 },
    ]);
  });

  it("failed calls", async () => {
    const failed = await getFailedCalls(t.db, { tenantId: owner.tenant.id, mode: "test", limit: 10 });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ endpoint: "GET /odd", status: 502, reason: "upstream down", redemption: 1 });
    expect(await getFailedCalls(t.db, { tenantId: owner.tenant.id, mode: "live", limit: 10 })).toEqual([]);
    expect(await getFailedCalls(t.db, { tenantId: other.tenant.id, mode: "test", limit: 10 })).toEqual([]);
  });
});

describe("payments list and detail", () => {
  it("pages through every payment with a cursor, no duplicates, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listPayments(t.db, { tenantId: owner.tenant.id, mode: "test", limit: 4, cursor });
      seen.push(...result.data.map((row) => row.paymentHash));
      if (!result.hasMore) {
        expect(result.nextCursor).toBeNull();
        break;
      }
      cursor = result.nextCursor ?? undefined;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    const all = await listPayments(t.db, { tenantId: owner.tenant.id, mode: "test", limit: 100 });
    expect(seen).toEqual(all.data.map((row) => row.paymentHash));
    const oldest = await listPayments(t.db, { tenantId: owner.tenant.id, mode: "test", limit: 100, sort: "oldest" });
    expect(oldest.data.map((row) => row.paymentHash)).toEqual([...seen].reverse());
  });

  it("filters by endpoint, status, hash and date", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const, limit: 100 };
    expect((await listPayments(t.db, { ...scope, endpoint: "GET /odd" })).data).toHaveLength(2);
    expect((await listPayments(t.db, { ...scope, status: "unredeemed" })).data).toHaveLength(1);
    expect((await listPayments(t.db, { ...scope, status: "failed" })).data).toHaveLength(1);
    expect((await listPayments(t.db, { ...scope, status: "redeemed" })).data).toHaveLength(4);
    expect((await listPayments(t.db, { ...scope, paymentHash: paid[0] })).data.map((row) => row.paymentHash)).toEqual([paid[0]]);
    expect((await listPayments(t.db, { ...scope, paymentHash: paid[0].slice(0, 12) })).data[0].paymentHash).toBe(paid[0]);
    expect((await listPayments(t.db, { ...scope, to: new Date("2020-01-01") })).data).toEqual([]);
  });

  it("a malformed cursor is a 400-type error", async () => {
    await expect(listPayments(t.db, { tenantId: owner.tenant.id, mode: "test", limit: 5, cursor: "nope" })).rejects.toMatchObject({
      code: "invalid_cursor",
    });
  });

  it("a payment's invoice, token, ledger entry and failed calls; nobody else's", async () => {
    const detail = await getPayment(t.db, { tenantId: owner.tenant.id, mode: "test", paymentHash: paid[3] });
    expect(detail.payment).toMatchObject({ paymentHash: paid[3], endpoint: "GET /odd", amountSats: 333, failedCalls: 1 });
    expect(detail.invoice).toMatchObject({ state: "paid", amountMsat: "333000", feeBps: 30 });
    expect(detail.token).toMatchObject({ endpoint: "GET /odd", redemptionCount: 1 });
    expect(detail.ledgerEntry.idempotencyKey).toBe(`settle:${paid[3]}`);
    expect(detail.ledgerEntry.postings.reduce((sum, p) => sum + BigInt(p.amountMsat), 0n)).toBe(0n);
    expect(detail.failedCalls).toHaveLength(1);
    await expect(getPayment(t.db, { tenantId: other.tenant.id, mode: "test", paymentHash: paid[3] })).rejects.toMatchObject({
      code: "payment_not_found",
    });
    await expect(getPayment(t.db, { tenantId: owner.tenant.id, mode: "live", paymentHash: paid[3] })).rejects.toMatchObject({
      code: "payment_not_found",
    });
  });
});

describe("balance history", () => {
  it("every movement with the running balance, ending at the available balance", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    const movements = [];
    let cursor: string | undefined;
    do {
      const page = await listBalanceHistory(t.db, { ...scope, limit: 4, cursor });
      movements.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(movements).toHaveLength(5);
    expect(BigInt(movements[0].balanceMsat)).toBe((await getBalance(t.db, scope)).availableMsat);
    for (let i = 0; i < movements.length - 1; i++) {
      expect(BigInt(movements[i].balanceMsat) - BigInt(movements[i].amountMsat)).toBe(BigInt(movements[i + 1].balanceMsat));
    }
    expect(movements.at(-1)?.balanceMsat).toBe(movements.at(-1)?.amountMsat);
    expect(movements.every((m) => m.kind === "payment")).toBe(true);
  });
});

describe("exports", () => {
  it("walks every payment in chunks across chunk boundaries, in the list's order", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    const chunks = [];
    for await (const chunk of paymentExportRows(t.db, scope, 2)) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.length)).toEqual([2, 2, 1]);
    const all = await listPayments(t.db, { ...scope, limit: 100 });
    expect(chunks.flat()).toEqual(all.data);
    const oldest = [];
    for await (const chunk of paymentExportRows(t.db, { ...scope, sort: "oldest", endpoint: "GET /odd" }, 1)) oldest.push(...chunk);
    expect(oldest.map((row) => row.paymentHash)).toEqual(
      all.data
        .filter((row) => row.endpoint === "GET /odd")
        .map((row) => row.paymentHash)
        .reverse(),
    );
  });

  it("a download stopped early closes its cursor and gives its connection back", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    // More stopped exports than the pool has connections (20): a leak would hang here.
    for (let i = 0; i < 30; i++) {
      for await (const chunk of paymentExportRows(t.db, scope, 1)) {
        expect(chunk).toHaveLength(1);
        break;
      }
    }
    const reader = streamBalanceHistoryCsv(t.db, scope).getReader();
    await reader.read();
    await reader.cancel();
    expect((await listPayments(t.db, { ...scope, limit: 100 })).data).toHaveLength(5);
    const open = await t.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
    expect(open[0].n).toBe(0);
  });

  it("the balance history as CSV: the page's rows and running balance", async () => {
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    const text = await new Response(streamBalanceHistoryCsv(t.db, scope)).text();
    const [header, ...lines] = text.split("\r\n").filter(Boolean);
    expect(header.split(",").slice(0, 3)).toEqual(["created_at", "kind", "entry_kind"]);
    const history = (await listBalanceHistory(t.db, { ...scope, limit: 100 })).data;
    expect(lines.map((line) => line.split(",")[8])).toEqual(history.map((m) => m.balanceMsat));
    expect(lines.map((line) => line.split(",")[5])).toEqual(history.map((m) => m.amountMsat));
    const othersCsv = await new Response(streamBalanceHistoryCsv(t.db, { tenantId: other.tenant.id, mode: "test" })).text();
    expect(othersCsv.split("\r\n").filter(Boolean)).toHaveLength(3);
  });
});

describe("tenant and mode isolation", () => {
  it("another tenant and the other mode see none of it", async () => {
    const otherStats = await getOverviewStats(t.db, { tenantId: other.tenant.id, mode: "test" });
    expect(otherStats.totalPayments).toBe(2);
    expect(otherStats.recent.some((row) => paid.includes(row.paymentHash))).toBe(false);
    const live = await getOverviewStats(t.db, { tenantId: owner.tenant.id, mode: "live" });
    const liveLedger = await ledgerTotals(owner.tenant.id, "live");
    expect(live).toMatchObject({ totalPayments: 1, totalSats: 100, totalMsat: liveLedger.amount, netMsat: liveLedger.net });
    expect(live.recent.map((row) => row.mode)).toEqual(["live"]);
    expect((await getBalance(t.db, { tenantId: owner.tenant.id, mode: "live" })).availableMsat).toBe(99_700n);
    expect((await listPayments(t.db, { tenantId: owner.tenant.id, mode: "live", limit: 100 })).data).toHaveLength(1);
    expect(await getFunnel(t.db, { tenantId: owner.tenant.id, mode: "live" })).toEqual([
      { endpoint: "GET /premium", challenges: 1, paid: 1, redeemed: 1 },
    ]);
    expect((await listPayments(t.db, { tenantId: other.tenant.id, mode: "test", limit: 100 })).data).toHaveLength(2);
    expect((await getFunnel(t.db, { tenantId: other.tenant.id, mode: "test" })).map((row) => row.challenges)).toEqual([1, 1]);
    expect((await listBalanceHistory(t.db, { tenantId: other.tenant.id, mode: "test", limit: 100 })).data).toHaveLength(2);
  });
});
