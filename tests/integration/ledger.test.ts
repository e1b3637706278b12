// Money: the fee split, balanced and idempotent settlement whoever gets there first, the
// database refusing unbalanced or edited entries, and exactly-once redemption under a
// burst of concurrent verifications (real Postgres only: PGlite has one backend).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { splitFee } from "../../lib/ledger/fee";
import { accounts } from "../../lib/ledger/accounts";
import { accountBalanceMsat, tenantBalances } from "../../lib/ledger/balances";
import { settleInvoice } from "../../lib/invoices/settle";
import { settlePaidInvoices } from "../../lib/invoices/watch";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100 });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/cheap", priceSats: 1 });
});
afterAll(async () => {
  await t.drop();
});

async function paidCredential(endpoint = "GET /premium") {
  const issued = (await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint } })).body;
  const { preimage } = (await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).body;
  return { ...issued, preimage, authorization: `L402 ${issued.macaroon}:${preimage}` };
}

const verify = (authorization: string, path = "/premium") =>
  call(app, "POST", "/api/v1/l402/verify", { key: owner.key, body: { authorization, method: "GET", path } });

async function assertBooksBalance() {
  const unbalanced = await t.db.$queryRaw<
    { entry_id: string }[]
  >`SELECT entry_id FROM postings GROUP BY entry_id HAVING SUM(amount_msat) <> 0`;
  expect(unbalanced).toEqual([]);
  const total = await t.db.$queryRaw<{ sum: bigint | null }[]>`SELECT SUM(amount_msat)::bigint AS sum FROM postings`;
  expect(total[0].sum ?? 0n).toBe(0n);
}

describe("fee split", () => {
  it("takes floor(amount × bps / 10,000) and gives the owner exactly the rest", () => {
    expect(splitFee(100_000n, 30)).toEqual({ feeMsat: 300n, ownerMsat: 99_700n });
    expect(splitFee(1_000n, 30)).toEqual({ feeMsat: 3n, ownerMsat: 997n });
    expect(splitFee(333n, 30)).toEqual({ feeMsat: 0n, ownerMsat: 333n });
    expect(splitFee(7n, 0)).toEqual({ feeMsat: 0n, ownerMsat: 7n });
    for (const amount of [1n, 999n, 123_456_789n]) {
      const { feeMsat, ownerMsat } = splitFee(amount, 30);
      expect(feeMsat + ownerMsat).toBe(amount);
    }
  });
});

describe("settlement", () => {
  it("writes one balanced entry: holdings +amount, tenant +amount−fee, fees +fee", async () => {
    const credential = await paidCredential();
    expect((await verify(credential.authorization)).body.valid).toBe(true);
    const entry = await t.db.journalEntry.findUniqueOrThrow({
      where: { idempotencyKey: `settle:${credential.paymentHash}` },
      include: { postings: true },
    });
    const byAccount = Object.fromEntries(entry.postings.map((p) => [p.accountId, p.amountMsat]));
    expect(byAccount).toEqual({
      [accounts.platformLightning("test").id]: 100_000n,
      [accounts.tenantAvailable("test", owner.tenant.id).id]: -99_700n,
      [accounts.platformFees("test").id]: -300n,
    });
    expect((await tenantBalances(t.db, owner.tenant.id, "test")).availableMsat).toBe(99_700n);
    expect(await accountBalanceMsat(t.db, accounts.platformFees("test").id)).toBe(300n);
    await assertBooksBalance();
  });

  it("is idempotent whether the verify call or the watcher gets there first", async () => {
    // Watcher first: paid, never redeemed.
    const unredeemed = await paidCredential("GET /cheap");
    const watched = await settlePaidInvoices(t.db);
    expect(watched.settled).toBeGreaterThanOrEqual(1);
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: unredeemed.paymentHash } })).state).toBe("paid");
    expect((await verify(unredeemed.authorization, "/cheap")).body.valid).toBe(true);

    // Verify first, then the watcher and a direct retry find nothing to do.
    const redeemed = await paidCredential("GET /cheap");
    await verify(redeemed.authorization, "/cheap");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: redeemed.paymentHash } });
    expect(await settleInvoice(t.db, invoice)).toBe(false);
    await settlePaidInvoices(t.db);

    for (const hash of [unredeemed.paymentHash, redeemed.paymentHash]) {
      expect(await t.db.journalEntry.count({ where: { paymentHash: hash } })).toBe(1);
    }
    await assertBooksBalance();
  });

  it("leaves unpaid invoices alone and marks expired ones", async () => {
    const issued = (await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /cheap" } })).body;
    await settlePaidInvoices(t.db);
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("pending");
    await settlePaidInvoices(t.db, { now: new Date(Date.now() + 3_600_000) });
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("expired");
    expect(await t.db.journalEntry.count({ where: { paymentHash: issued.paymentHash } })).toBe(0);
  });

  it("balances equal the sum of postings for every account", async () => {
    const rows = await t.db.$queryRaw<{ id: string; type: string; sum: bigint }[]>`
      SELECT a.id, a.type::text AS type, COALESCE(SUM(p.amount_msat), 0)::bigint AS sum FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id, a.type`;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      const expected = row.type === "asset" || row.type === "expense" ? row.sum : -row.sum;
      expect(await accountBalanceMsat(t.db, row.id)).toBe(expected);
    }
    const settled = await t.db.invoice.aggregate({
      where: { tenantId: owner.tenant.id, state: "paid", mode: "test" },
      _sum: { amountMsat: true },
    });
    expect(await accountBalanceMsat(t.db, accounts.platformLightning("test").id)).toBe(settled._sum.amountMsat);
  });
});

describe("the database guards the books", () => {
  it("refuses an entry whose postings do not sum to zero", async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO journal_entries (id, idempotency_key, kind) VALUES ('bad-entry', 'test:unbalanced', 'test')`;
        await tx.$executeRaw`INSERT INTO postings (id, entry_id, account_id, amount_msat) VALUES ('bad-posting', 'bad-entry', ${accounts.platformFees("test").id}, 5)`;
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await t.db.journalEntry.count({ where: { idempotencyKey: "test:unbalanced" } })).toBe(0);
  });

  it("refuses to change or delete posted entries", async () => {
    await expect(t.db.$executeRaw`UPDATE postings SET amount_msat = amount_msat + 1`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`DELETE FROM journal_entries`).rejects.toThrow(/append-only/);
    await assertBooksBalance();
  });
});

describe("exactly once", () => {
  it.runIf(usingRealPostgres)(
    "50 concurrent verifications of one single-use credential: exactly one is valid (real Postgres)",
    async () => {
      const credential = await paidCredential();
      const results = await Promise.all(Array.from({ length: 50 }, () => verify(credential.authorization)));
      const valid = results.filter((r) => r.status === 200 && r.body.valid === true);
      expect(valid).toHaveLength(1);
      expect(results.filter((r) => r.status === 402).every((r) => r.body.error.code === "used_up")).toBe(true);
      expect(results.filter((r) => r.status === 402)).toHaveLength(49);
      expect(await t.db.journalEntry.count({ where: { paymentHash: credential.paymentHash } })).toBe(1);
      expect((await t.db.l402Token.findUniqueOrThrow({ where: { paymentHash: credential.paymentHash } })).usesConsumed).toBe(1);
      await assertBooksBalance();
    },
  );
});

if (!usingRealPostgres)
  console.warn("SKIPPED: the 50-way exactly-once test needs real Postgres (set DATABASE_URL); PGlite serialises every query.");
