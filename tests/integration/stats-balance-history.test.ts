// Issue 8, items 3 and 4 (data): the balance history's running balance and the balances
// equal the ledger's own running sums, on either side of midday (the running balance is
// computed from whichever part of the day is shorter) and with movements that are not
// payments (a payout sent, a payout returned). Entries are written with chosen times, as
// the settling statements would write them (entry, postings, rollup of the same day).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant } from "../helpers/factories";
import { accounts } from "../../lib/ledger/accounts";
import { ensureAccounts } from "../../lib/ledger/post";
import { getBalance, listBalanceHistory, listPayments } from "../../lib/stats";
import { paymentExportRows, streamBalanceHistoryCsv } from "../../lib/stats/export";

let t: TestDatabase;
let tenantId: string;
const mode = "test" as const;

async function entry(kind: string, at: string, postings: [string, bigint][]) {
  const id = randomUUID();
  const hash = kind === "settlement" ? randomUUID().replace(/-/g, "").repeat(2) : null;
  await t.db.$transaction(async (tx) => {
    await tx.$executeRaw`INSERT INTO journal_entries (id, idempotency_key, kind, mode, tenant_id, payment_hash, created_at)
      VALUES (${id}, ${`${kind}:${id}`}, ${kind}, 'test', ${tenantId}, ${hash}, ${at}::timestamptz)`;
    for (const [account, amount] of postings)
      await tx.$executeRaw`INSERT INTO postings (id, entry_id, account_id, mode, amount_msat) VALUES (${randomUUID()}, ${id}, ${account}, 'test', ${amount})`;
  });
  if (kind === "settlement") {
    const amount = postings[0][1];
    const net = -postings[1][1];
    await t.db.$executeRaw`INSERT INTO stats_daily (tenant_id, mode, day, endpoint, shard, payments, amount_msat, fee_msat, net_msat)
      VALUES (${tenantId}, 'test', (${at}::timestamptz AT TIME ZONE 'UTC')::date, 'GET /x', 0, 1, ${amount}, ${amount - net}, ${net})
      ON CONFLICT (tenant_id, mode, day, endpoint, shard) DO UPDATE SET payments = stats_daily.payments + 1,
        amount_msat = stats_daily.amount_msat + EXCLUDED.amount_msat, fee_msat = stats_daily.fee_msat + EXCLUDED.fee_msat,
        net_msat = stats_daily.net_msat + EXCLUDED.net_msat`;
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = (await ownerWithTenant(t.db)).tenant.id;
  const lightning = accounts.platformLightning(mode);
  const available = accounts.tenantAvailable(mode, tenantId);
  const pending = accounts.tenantPendingPayout(mode, tenantId);
  const fees = accounts.platformFees(mode);
  await ensureAccounts(t.db, [lightning, available, pending, fees]);
  const pay = (at: string, sats: number) => {
    const amount = BigInt(sats) * 1000n;
    const fee = (amount * 30n) / 10_000n;
    return entry("settlement", at, [
      [lightning.id, amount],
      [available.id, -(amount - fee)],
      [fees.id, -fee],
    ]);
  };
  await pay("2026-10-01T01:00:00.000Z", 100);
  await pay("2026-10-01T05:00:00.000Z", 21);
  await pay("2026-10-01T13:00:00.000Z", 1000);
  // A payout: set aside, then sent.
  await entry("payout_reserve", "2026-10-01T18:00:00.000Z", [
    [available.id, 500_000n],
    [pending.id, -500_000n],
  ]);
  await entry("payout_sent", "2026-10-01T18:00:05.000Z", [
    [pending.id, 500_000n],
    [lightning.id, -500_000n],
  ]);
  await pay("2026-10-01T23:00:00.000Z", 7);
  await pay("2026-10-02T02:00:00.000Z", 250);
  // A payout that failed and came back.
  await entry("payout_reserve", "2026-10-02T09:00:00.000Z", [
    [available.id, 100_000n],
    [pending.id, -100_000n],
  ]);
  await entry("payout_void", "2026-10-02T09:01:00.000Z", [
    [pending.id, 100_000n],
    [available.id, -100_000n],
  ]);
  await pay("2026-10-02T20:00:00.000Z", 10);
  // Still set aside at the end: pending.
  await entry("payout_reserve", "2026-10-02T21:00:00.000Z", [
    [available.id, 30_000n],
    [pending.id, -30_000n],
  ]);
});
afterAll(async () => {
  await t.drop();
});

/** The ledger's own running balance of the available account, newest first. */
async function ledgerHistory() {
  return t.db.$queryRaw<{ id: string; amount: string; balance: string }[]>`
    SELECT je.id, (-p.amount_msat)::text AS amount,
      (SUM(-p.amount_msat) OVER (ORDER BY je.created_at, je.id))::text AS balance
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id AND p.account_id = ${accounts.tenantAvailable(mode, tenantId).id}
    ORDER BY je.created_at DESC, je.id DESC`;
}

describe("balance history against the ledger", () => {
  it("every page's running balance, whatever the page size, equals the ledger's", async () => {
    const ledger = await ledgerHistory();
    expect(ledger).toHaveLength(10);
    for (const limit of [1, 2, 3, 10]) {
      const rows = [];
      let cursor: string | undefined;
      do {
        const page = await listBalanceHistory(t.db, { tenantId, mode, limit, cursor });
        rows.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(rows.map((row) => [row.entryId, row.amountMsat, row.balanceMsat])).toEqual(
        ledger.map((row) => [row.id, row.amount, row.balance]),
      );
    }
    const kinds = (await listBalanceHistory(t.db, { tenantId, mode, limit: 100 })).data.map((row) => row.kind);
    // The payout that was sent moved money out of pending, not out of available: not a row.
    expect(kinds).toEqual([
      "payout",
      "payment",
      "payout_returned",
      "payout",
      "payment",
      "payment",
      "payout",
      "payment",
      "payment",
      "payment",
    ]);
  });

  it("the CSV export has the same running balance", async () => {
    const text = await new Response(streamBalanceHistoryCsv(t.db, { tenantId, mode })).text();
    const lines = text.split("\r\n").filter(Boolean).slice(1);
    expect(lines.map((line) => line.split(",")[8])).toEqual((await ledgerHistory()).map((row) => row.balance));
  });

  it("balances: available, pending, paid out and fees from the ledger", async () => {
    const ledger = await ledgerHistory();
    const balance = await getBalance(t.db, { tenantId, mode });
    expect(balance.availableMsat).toBe(BigInt(ledger[0].balance));
    expect(balance.pendingMsat).toBe(30_000n);
    expect(balance.paidOutMsat).toBe(500_000n);
    // Fees: floor(amount × 30 / 10,000) of 100, 21, 1000, 7, 250 and 10 sats.
    expect(balance.feesMsat).toBe(300n + 63n + 3000n + 21n + 750n + 30n);
    // Payments are only the settlements.
    expect((await listPayments(t.db, { tenantId, mode, limit: 100 })).data).toHaveLength(6);
  });
});

describe("payment export", () => {
  it("every payment once, in order, whatever the chunk size, sort and range", async () => {
    const scope = { tenantId, mode };
    for (const sort of ["newest", "oldest"] as const) {
      for (const range of [{}, { from: new Date("2026-10-01T04:00:00Z") }, { to: new Date("2026-10-02T03:00:00Z") }]) {
        const listed = (await listPayments(t.db, { ...scope, ...range, sort, limit: 100 })).data.map((row) => row.paymentHash);
        for (const chunk of [1, 2, 3, 100]) {
          const exported = [];
          for await (const rows of paymentExportRows(t.db, { ...scope, ...range, sort }, chunk))
            exported.push(...rows.map((row) => row.paymentHash));
          expect(exported, `${sort} ${JSON.stringify(range)} chunk ${chunk}`).toEqual(listed);
        }
      }
    }
  });
});
