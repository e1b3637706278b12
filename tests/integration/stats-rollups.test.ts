// Issue 8, item 7: the rollups (stats_daily) the overview, funnel and balance read are kept in
// the statements that issue, settle and redeem, so they always equal the ledger: under
// concurrent verifications racing the settlement watcher, after unpaid invoices are purged,
// and after a finished day's shards are folded together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { issue, payInvoice } from "../helpers/payments";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { settlePaidInvoices } from "../../lib/invoices/watch";
import { accounts } from "../../lib/ledger/accounts";
import { foldPastShards, STATS_SHARDS } from "../../lib/stats/rollups";
import { getBalance, getFunnel, getOverviewStats } from "../../lib/stats";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 21 });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/pass", priceSats: 7, usesPerPayment: 3 });
});
afterAll(async () => {
  await t.drop();
});

const scope = () => ({ tenantId: owner.tenant.id, mode: "test" as const });

async function ledger() {
  const [row] = await t.db.$queryRaw<{ payments: number; amount: string; net: string; fee: string }[]>`
    SELECT count(DISTINCT je.id)::int AS payments,
      COALESCE(SUM(p.amount_msat) FILTER (WHERE p.account_id = 'test:platform:lightning'), 0)::text AS amount,
      COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${accounts.tenantAvailable("test", owner.tenant.id).id}), 0)::text AS net,
      COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = 'test:platform:fees'), 0)::text AS fee
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id
    WHERE je.kind = 'settlement' AND je.tenant_id = ${owner.tenant.id} AND je.mode = 'test'`;
  return row;
}

async function expectRollupsMatchLedger() {
  const [stats, books, balance] = await Promise.all([getOverviewStats(t.db, scope()), ledger(), getBalance(t.db, scope())]);
  expect(stats).toMatchObject({ totalPayments: books.payments, totalMsat: books.amount, netMsat: books.net, platformFeeMsat: books.fee });
  expect(balance.availableMsat).toBe(BigInt(books.net));
  expect(balance.feesMsat).toBe(BigInt(books.fee));
}

describe("rollups follow the ledger", () => {
  it.runIf(usingRealPostgres)(
    "concurrent verifications racing the watcher count each payment once (real Postgres)",
    async () => {
      const credentials = [];
      for (let i = 0; i < 30; i++) {
        const issued = await issue(app, owner.key, "GET /premium");
        credentials.push(`L402 ${issued.macaroon}:${await payInvoice(app, issued.invoice)}`);
      }
      const verify = (authorization: string) =>
        call(app, "POST", "/api/v1/l402/verify", { key: owner.key, body: { authorization, method: "GET", path: "/premium" } });
      // Every credential verified twice at once (one wins), while the watcher credits what it finds.
      await Promise.all([...credentials.flatMap((c) => [verify(c), verify(c)]), settlePaidInvoices(t.db, { log: () => {} })]);
      await expectRollupsMatchLedger();
      expect((await getOverviewStats(t.db, scope())).totalPayments).toBe(30);
      const [funnel] = await getFunnel(t.db, scope());
      // Each losing verification answered 402 with a fresh challenge: an invoice issued too.
      const invoices = await t.db.invoice.count({ where: { tenantId: owner.tenant.id } });
      expect(invoices).toBe(60);
      expect(funnel).toMatchObject({ endpoint: "GET /premium", challenges: invoices, paid: 30 });
      // Redeemed counts tokens redeemed at least once: every credential was.
      expect(funnel.redeemed).toBe(30);
      const shards = await t.db.$queryRaw<{ shards: number }[]>`SELECT count(DISTINCT shard)::int AS shards FROM stats_daily`;
      expect(shards[0].shards).toBeGreaterThan(1);
    },
    60_000,
  );

  it("a multi-use token credited by the watcher counts one redemption however often it is used", async () => {
    const issued = await issue(app, owner.key, "GET /pass");
    const authorization = `L402 ${issued.macaroon}:${await payInvoice(app, issued.invoice)}`;
    await settlePaidInvoices(t.db, { log: () => {} });
    const before = (await getFunnel(t.db, scope())).find((row) => row.endpoint === "GET /pass");
    expect(before).toMatchObject({ challenges: 1, paid: 1, redeemed: 0 });
    for (let use = 0; use < 3; use++) {
      const verified = await call(app, "POST", "/api/v1/l402/verify", {
        key: owner.key,
        body: { authorization, method: "GET", path: "/pass" },
      });
      expect(verified.body.valid).toBe(true);
    }
    expect((await getFunnel(t.db, scope())).find((row) => row.endpoint === "GET /pass")).toMatchObject({ paid: 1, redeemed: 1 });
    await expectRollupsMatchLedger();
  });

  it("challenges outlive the purge of unpaid invoices", async () => {
    for (let i = 0; i < 3; i++) await issue(app, owner.key, "GET /pass");
    const before = await getFunnel(t.db, scope());
    // What lib/invoices/purge.ts does to unpaid invoices past their retention.
    await t.db.$executeRaw`DELETE FROM l402_tokens WHERE payment_hash IN (SELECT payment_hash FROM invoices WHERE state <> 'paid')`;
    await t.db.$executeRaw`DELETE FROM invoices WHERE state <> 'paid'`;
    expect(await getFunnel(t.db, scope())).toEqual(before);
    expect(before.find((row) => row.endpoint === "GET /pass")?.challenges).toBe(4);
  });

  it("folding a finished day's shards into shard 0 changes no number", async () => {
    const rows = await t.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM stats_daily`;
    expect(rows[0].n).toBeGreaterThan(0);
    // Make today's rows yesterday's, as they will be after midnight.
    await t.db.$executeRaw`UPDATE stats_daily SET day = day - 1`;
    const stats = await getOverviewStats(t.db, scope());
    const funnel = await getFunnel(t.db, scope());
    expect(await foldPastShards(t.db)).toBeGreaterThan(0);
    const after = await t.db.$queryRaw<{ shard: number }[]>`SELECT DISTINCT shard FROM stats_daily`;
    expect(after).toEqual([{ shard: 0 }]);
    expect(await getOverviewStats(t.db, scope())).toEqual(stats);
    expect(await getFunnel(t.db, scope())).toEqual(funnel);
    await expectRollupsMatchLedger();
    expect(STATS_SHARDS).toBeGreaterThan(1);
  });
});
