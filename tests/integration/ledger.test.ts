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
import { ensureAccounts, postEntry } from "../../lib/ledger/post";
import { createApiKey } from "../../lib/keys/api-keys";
import { lightningBackendFor } from "../../lib/lightning/select";

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
    expect(await accountBalanceMsat(t.db, accounts.platformFees("test"))).toBe(300n);
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

  it("leaves unpaid invoices alone and marks expired ones (when the node says so)", async () => {
    const issued = (await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /cheap" } })).body;
    await settlePaidInvoices(t.db);
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("pending");
    await t.db.simulatedInvoice.update({ where: { paymentHash: issued.paymentHash }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    await settlePaidInvoices(t.db, { now: new Date(Date.now() + 3_600_000) });
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("expired");
    expect(await t.db.journalEntry.count({ where: { paymentHash: issued.paymentHash } })).toBe(0);
  });

  it("balances equal the sum of postings for every account", async () => {
    const rows = await t.db.$queryRaw<{ id: string; type: string; mode: "test" | "live"; sum: bigint }[]>`
      SELECT a.id, a.type::text AS type, a.mode::text AS mode, COALESCE(SUM(p.amount_msat), 0)::bigint AS sum FROM ledger_accounts a LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id, a.type, a.mode`;
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      const expected = row.type === "asset" || row.type === "expense" ? row.sum : -row.sum;
      expect(await accountBalanceMsat(t.db, row)).toBe(expected);
    }
    const settled = await t.db.invoice.aggregate({
      where: { tenantId: owner.tenant.id, state: "paid", mode: "test" },
      _sum: { amountMsat: true },
    });
    expect(await accountBalanceMsat(t.db, accounts.platformLightning("test"))).toBe(settled._sum.amountMsat);
  });
});

describe("the database guards the books", () => {
  it("refuses an entry whose postings do not sum to zero", async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO journal_entries (id, idempotency_key, kind, mode) VALUES ('bad-entry', 'test:unbalanced', 'test', 'test')`;
        await tx.$executeRaw`INSERT INTO postings (id, entry_id, account_id, mode, amount_msat) VALUES ('bad-posting', 'bad-entry', ${accounts.platformFees("test").id}, 'test', 5)`;
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await t.db.journalEntry.count({ where: { idempotencyKey: "test:unbalanced" } })).toBe(0);
  });

  // Test and live are separate books: Postgres itself refuses an entry that mixes them.
  async function insertEntry(entry: { id: string; mode: string }, postings: { account: string; mode: string; amountMsat: number }[]) {
    await t.db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO journal_entries (id, idempotency_key, kind, mode) VALUES (${entry.id}, ${`test:${entry.id}`}, 'test', ${entry.mode}::"KeyMode")`;
      for (const [index, posting] of postings.entries()) {
        await tx.$executeRaw`INSERT INTO postings (id, entry_id, account_id, mode, amount_msat) VALUES (${`${entry.id}-${index}`}, ${entry.id}, ${posting.account}, ${posting.mode}::"KeyMode", ${posting.amountMsat})`;
      }
    });
  }

  it("refuses a balanced entry whose postings mix test and live", async () => {
    await ensureAccounts(t.db, [accounts.platformFees("test"), accounts.platformFees("live"), accounts.platformLightning("live")]);
    await expect(
      insertEntry({ id: "mixed-entry", mode: "test" }, [
        { account: accounts.platformFees("test").id, mode: "test", amountMsat: 5 },
        { account: accounts.platformFees("live").id, mode: "live", amountMsat: -5 },
      ]),
    ).rejects.toThrow(/postings_mode_matches_entry/);
    expect(await t.db.journalEntry.count({ where: { id: "mixed-entry" } })).toBe(0);
  });

  it("refuses postings of another mode than their entry, or than their account", async () => {
    await expect(
      insertEntry({ id: "test-entry-live-postings", mode: "test" }, [
        { account: accounts.platformLightning("live").id, mode: "live", amountMsat: 5 },
        { account: accounts.platformFees("live").id, mode: "live", amountMsat: -5 },
      ]),
    ).rejects.toThrow(/postings_mode_matches_entry/);
    await expect(
      insertEntry({ id: "live-entry-test-account", mode: "live" }, [
        { account: accounts.platformFees("test").id, mode: "live", amountMsat: 5 },
        { account: accounts.platformFees("live").id, mode: "live", amountMsat: -5 },
      ]),
    ).rejects.toThrow(/postings_mode_matches_account/);
    // The same entry in one mode is fine.
    await insertEntry({ id: "live-entry", mode: "live" }, [
      { account: accounts.platformLightning("live").id, mode: "live", amountMsat: 5 },
      { account: accounts.platformFees("live").id, mode: "live", amountMsat: -5 },
    ]);
    await assertBooksBalance();
  });

  it("postEntry refuses, before the database, an entry posting to another mode's account", async () => {
    await expect(
      postEntry(t.db, {
        idempotencyKey: "test:mode-mismatch",
        kind: "test",
        mode: "test",
        postings: [
          { account: accounts.platformFees("test"), amountMsat: 5n },
          { account: accounts.platformFees("live"), amountMsat: -5n },
        ],
      }),
    ).rejects.toThrow(/test-mode but posts to live-mode account live:platform:fees/);
  });

  it("refuses to change or delete posted entries", async () => {
    await expect(t.db.$executeRaw`UPDATE postings SET amount_msat = amount_msat + 1`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`DELETE FROM journal_entries`).rejects.toThrow(/append-only/);
    await assertBooksBalance();
  });
});

describe("every writer records the mode", () => {
  async function modesOf(paymentHash: string) {
    const entry = await t.db.journalEntry.findUniqueOrThrow({
      where: { idempotencyKey: `settle:${paymentHash}` },
      include: { postings: true },
    });
    return { entry: entry.mode, postings: [...new Set(entry.postings.map((p) => p.mode))] };
  }

  it("the verify path's one-statement settlement and the watcher's postEntry write test entries in test mode", async () => {
    const redeemed = await paidCredential("GET /cheap");
    expect((await verify(redeemed.authorization, "/cheap")).body.valid).toBe(true);
    expect(await modesOf(redeemed.paymentHash)).toEqual({ entry: "test", postings: ["test"] });

    const watched = await paidCredential("GET /cheap");
    await settlePaidInvoices(t.db);
    expect(await modesOf(watched.paymentHash)).toEqual({ entry: "test", postings: ["test"] });
  });

  it("a live key's settlement is a live entry, and balances never mix the books", async () => {
    const { key: liveKey } = await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" });
    const testBefore = await tenantBalances(t.db, owner.tenant.id, "test");
    const issued = (await call(app, "POST", "/api/v1/invoices", { key: liveKey, body: { endpoint: "GET /premium" } })).body;
    // The dev wallet never pays live invoices; the (development) live simulated node pays its own.
    const paid = await lightningBackendFor("live", t.db).payInvoice({ bolt11: issued.invoice, maxFeeMsat: 0n, timeoutSeconds: 5 });
    if (paid.state !== "succeeded") throw new Error(`payment ${paid.state}`);
    const verified = await call(app, "POST", "/api/v1/l402/verify", {
      key: liveKey,
      body: { authorization: `L402 ${issued.macaroon}:${paid.preimage}`, method: "GET", path: "/premium" },
    });
    expect(verified.body.valid).toBe(true);
    expect(await modesOf(issued.paymentHash)).toEqual({ entry: "live", postings: ["live"] });

    expect(await tenantBalances(t.db, owner.tenant.id, "live")).toEqual({ availableMsat: 99_700n, pendingPayoutMsat: 0n });
    expect(await tenantBalances(t.db, owner.tenant.id, "test")).toEqual(testBefore);
    // An account id asked for in the other mode has no balance there.
    expect(await accountBalanceMsat(t.db, { id: accounts.tenantAvailable("live", owner.tenant.id).id, mode: "test" })).toBe(0n);
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
