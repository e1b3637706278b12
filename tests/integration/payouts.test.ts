// Issue 9, item 2: payouts. Tenants earn through the real API; the threshold sweep pays
// each one's available balance to its Lightning address (the simulated LNURL-pay server,
// paid by the simulated node) once; refusals and failures give the money back; retries
// back off and get a new invoice only once the old payment is known to have failed.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createSimulatedInvoice } from "../../lib/lightning/simulated";
import { payoutConfig, type PayoutConfig } from "../../lib/payouts/config";
import { createPayout } from "../../lib/payouts/create";
import { runPayout } from "../../lib/payouts/run";
import { sweepPayouts } from "../../lib/payouts/sweep";
import type { LnurlOptions } from "../../lib/payouts/lnurl";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { balances, earn, earningTenant, ledgerBalanced, outgoingPayments, PRICE_SATS } from "../helpers/payouts";

let t: TestDatabase;
let app: ReturnType<typeof createApiApp>;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => t?.drop());

const NET_PER_CALL_MSAT = BigInt(PRICE_SATS) * 1000n - (BigInt(PRICE_SATS) * 1000n * 30n) / 10_000n;

async function runAll(ids: string[]) {
  for (const id of ids) await runPayout(t.db, id);
}

describe("the threshold sweep", () => {
  it("is scheduled: the threshold check every minute, the sweep hourly, reconciliation every 10 minutes", async () => {
    const schedules = await t.db.$queryRaw<{ name: string; cron: string }[]>`SELECT name, cron FROM pgboss.schedule ORDER BY name`;
    expect(schedules).toEqual([
      { name: "payout-sweep", cron: "7 * * * *" },
      { name: "payout-threshold", cron: "* * * * *" },
      { name: "reconciliation", cron: "*/10 * * * *" },
    ]);
  });

  it("pays every tenant over its threshold once, leaves each below it, and keeps the ledger balanced", async () => {
    // One after another: embedded PGlite (npm test without DATABASE_URL) has one session.
    const tenants = [];
    for (const name of ["alice", "bob", "carol", "dave"]) tenants.push(await earningTenant(t.db, name));
    const [alice, bob, carol, dave] = tenants;
    await t.db.tenant.update({ where: { id: bob.tenant.id }, data: { payoutThresholdMsat: 400_000n } });
    await t.db.tenant.update({ where: { id: dave.tenant.id }, data: { payoutThresholdMsat: 5_000_000n } });
    await earn(app, alice.key, 3); // 1,495.5 sats ≥ 1,000
    await earn(app, bob.key, 1); // 498.5 ≥ 400
    await earn(app, carol.key, 1); // 498.5 < 1,000: not yet
    await earn(app, dave.key, 4); // 1,994 < 5,000: not yet
    const paymentsBefore = await outgoingPayments(t.db);

    const swept = await sweepPayouts(t.db, "threshold");
    expect(swept).toEqual({ created: 2, skipped: 0 });
    const made = await t.db.payout.findMany({ orderBy: { createdAt: "asc" } });
    expect(made.map((p) => [p.tenantId, p.state, p.trigger])).toEqual([
      [alice.tenant.id, "pending", "threshold"],
      [bob.tenant.id, "pending", "threshold"],
    ]);
    // Whole sats: alice's 1,495.5 sats are paid as 1,495; 500 msat stay.
    expect(made[0].amountMsat).toBe(1_495_000n);
    expect(await balances(t.db, alice.tenant.id)).toEqual({ available: 3n * NET_PER_CALL_MSAT - 1_495_000n, pending: 1_495_000n });

    await runAll(made.map((p) => p.id));
    // Running them again, and sweeping again, pays nothing more.
    await runAll(made.map((p) => p.id));
    expect(await sweepPayouts(t.db, "threshold")).toEqual({ created: 0, skipped: 0 });
    expect(await sweepPayouts(t.db, "sweep")).toEqual({ created: 0, skipped: 0 });

    const paid = await t.db.payout.findMany({ orderBy: { createdAt: "asc" } });
    expect(paid.map((p) => p.state)).toEqual(["succeeded", "succeeded"]);
    expect(await outgoingPayments(t.db)).toBe(paymentsBefore + 2);
    for (const payout of paid) {
      const payments = await t.db.simulatedPayment.findMany({ where: { paymentHash: payout.paymentHash! } });
      expect(payments).toHaveLength(1);
      expect(payments[0].amountMsat).toBe(payout.amountMsat);
    }
    for (const { tenant } of tenants) {
      const threshold = (await t.db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).payoutThresholdMsat;
      const after = await balances(t.db, tenant.id);
      expect(after.available).toBeLessThan(threshold);
      expect(after.pending).toBe(0n);
    }
    expect(await ledgerBalanced(t.db)).toBe(true);
    // The three entries of a payout: reserve, sent (no void), and the webhook event.
    const entries = await t.db.journalEntry.findMany({ where: { idempotencyKey: { startsWith: `payout:${paid[0].id}` } } });
    expect(entries.map((e) => e.kind).sort()).toEqual(["payout", "payout_sent"]);
    const events = await t.db.$queryRaw<{ type: string }[]>`SELECT type FROM webhook_events`;
    expect(events.filter((e) => e.type === "payout.succeeded")).toHaveLength(2);
  });

  it("skips automatic payouts when they are off, and a tenant without an address", async () => {
    const off = await earningTenant(t.db, "off");
    await t.db.tenant.update({ where: { id: off.tenant.id }, data: { autoPayouts: false, payoutThresholdMsat: 100_000n } });
    const none = await earningTenant(t.db, "none");
    await t.db.tenant.update({ where: { id: none.tenant.id }, data: { lightningAddress: null, payoutThresholdMsat: 100_000n } });
    await earn(app, off.key, 1);
    await earn(app, none.key, 1);
    expect(await sweepPayouts(t.db, "sweep")).toEqual({ created: 0, skipped: 0 });
    // By hand: off is allowed; without an address it says what to do.
    await expect(createPayout(t.db, { tenantId: none.tenant.id, mode: "test", trigger: "manual" })).rejects.toMatchObject({
      code: "no_lightning_address",
    });
    const { payout } = await createPayout(t.db, { tenantId: off.tenant.id, mode: "test", trigger: "manual" });
    expect(await runPayout(t.db, payout.id)).toBe("succeeded");
  });
});

/** An LNURL-pay server (fake) whose callback hands out `invoice(amountMsat)`. */
function fakeLnurl(options: {
  minSendable?: number;
  maxSendable?: number;
  invoice: (amountMsat: bigint, metadata: string) => Promise<string>;
}): LnurlOptions {
  const metadata = JSON.stringify([["text/plain", "Pay the fake"]]);
  return {
    localHosts: ["localhost:3000"],
    fetch: async (input) => {
      const url = new URL(String(input));
      if (url.pathname.startsWith("/.well-known/lnurlp/")) {
        return Response.json({
          tag: "payRequest",
          callback: "http://localhost:3000/callback",
          minSendable: options.minSendable ?? 1000,
          maxSendable: options.maxSendable ?? 1_000_000_000,
          metadata,
        });
      }
      return Response.json({ pr: await options.invoice(BigInt(url.searchParams.get("amount")!), metadata) });
    },
  };
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();
const testnetInvoice = (amountMsat: bigint, descriptionHash: Buffer) =>
  createSimulatedInvoice(t.db, { network: "testnet" }, { amountMsat, descriptionHash, expirySeconds: 600 }).then((i) => i.bolt11);

async function pendingPayout(name: string) {
  const owner = await earningTenant(t.db, name);
  await earn(app, owner.key, 1);
  const before = await balances(t.db, owner.tenant.id);
  const { payout } = await createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "manual" });
  return { owner, payout, before };
}

describe("a suspended workspace", () => {
  it("is not swept, cannot pay out now, and a payout made before the suspension waits", async () => {
    const owner = await earningTenant(t.db, "suspended");
    await earn(app, owner.key, 3); // over the 1,000-sat threshold
    const waiting = await createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "manual" });
    await t.db.tenant.update({ where: { id: owner.tenant.id }, data: { suspendedAt: new Date(), suspendedReason: "fraud review" } });
    const payments = await outgoingPayments(t.db);

    expect(await runPayout(t.db, waiting.payout.id)).toBe("not_due");
    expect(await t.db.payout.findUniqueOrThrow({ where: { id: waiting.payout.id } })).toMatchObject({ state: "pending", bolt11: null });
    await expect(createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "api" })).rejects.toMatchObject({
      code: "tenant_suspended",
    });
    const swept = await sweepPayouts(t.db, "sweep");
    expect((await t.db.payout.findMany({ where: { tenantId: owner.tenant.id } })).length).toBe(1);
    expect(swept.created).toBe(0);
    expect(await outgoingPayments(t.db)).toBe(payments);

    // Lifted: the waiting payout goes out when it is next due.
    await t.db.tenant.update({ where: { id: owner.tenant.id }, data: { suspendedAt: null, suspendedReason: null } });
    await t.db.payout.update({ where: { id: waiting.payout.id }, data: { nextAttemptAt: new Date() } });
    expect(await runPayout(t.db, waiting.payout.id)).toBe("succeeded");
    expect(await outgoingPayments(t.db)).toBe(payments + 1);
    expect(await ledgerBalanced(t.db)).toBe(true);
  });
});

describe("refusals: the invoice is checked before it is paid", () => {
  const cases: [string, LnurlOptions, RegExp, string][] = [
    [
      "below minSendable",
      fakeLnurl({ minSendable: 1_000_000, invoice: async () => "" }),
      /takes 1000000–/,
      "lightning_address_amount_out_of_range",
    ],
    [
      "above maxSendable",
      fakeLnurl({ maxSendable: 2_000, invoice: async () => "" }),
      /takes 1000–2000 msat/,
      "lightning_address_amount_out_of_range",
    ],
    [
      "wrong amount",
      fakeLnurl({ invoice: (amount, metadata) => testnetInvoice(amount + 1000n, sha256(metadata)) }),
      /its invoice is for \d+ msat, not the \d+ asked for/,
      "lightning_address_wrong_invoice",
    ],
    [
      "wrong description hash",
      fakeLnurl({ invoice: (amount) => testnetInvoice(amount, sha256("something else")) }),
      /description hash is not the sha256 of the metadata/,
      "lightning_address_wrong_invoice",
    ],
  ];
  for (const [name, lnurl, reason, code] of cases) {
    it(`${name}: refused with the reason stored, nothing paid, money back to available`, async () => {
      const { owner, payout, before } = await pendingPayout(name.replace(/\W/g, ""));
      const payments = await outgoingPayments(t.db);
      expect(await runPayout(t.db, payout.id, { lnurl })).toBe("failed");
      const failed = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
      expect(failed).toMatchObject({ state: "failed", failureCode: code, bolt11: null });
      expect(failed.failureReason).toMatch(reason);
      expect(await outgoingPayments(t.db)).toBe(payments);
      expect(await balances(t.db, owner.tenant.id)).toEqual(before);
      expect(await ledgerBalanced(t.db)).toBe(true);
      const events = await t.db.$queryRaw<{ n: bigint }[]>`
        SELECT COUNT(*)::bigint AS n FROM webhook_events WHERE type = 'payout.failed' AND data->>'id' = ${payout.id}`;
      expect(events[0].n).toBe(1n);
    });
  }
});

describe("retries", () => {
  const config = (overrides: Partial<PayoutConfig>): PayoutConfig => ({ ...payoutConfig({}), ...overrides });

  it("a failed payment is retried with backoff and a NEW invoice, then succeeds, paid once", async () => {
    const { owner, payout } = await pendingPayout("retry");
    let calls = 0;
    // The first two invoices are for mainnet: the testnet node refuses to pay them (a
    // definite failure); the third is good.
    const lnurl = fakeLnurl({
      invoice: async (amount, metadata) => {
        calls++;
        const network = calls <= 2 ? "mainnet" : "testnet";
        return (
          await createSimulatedInvoice(t.db, { network }, { amountMsat: amount, descriptionHash: sha256(metadata), expirySeconds: 600 })
        ).bolt11;
      },
    });
    const deps = { lnurl, config: config({ retryBaseSeconds: 60, maxAttempts: 5 }) };
    const started = Date.now();
    expect(await runPayout(t.db, payout.id, deps)).toBe("retrying");
    const first = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(first).toMatchObject({ state: "pending", attempts: 1, failureCode: "payment_failed", paymentHash: null });
    expect(first.failureReason).toMatch(/invoice is for mainnet/);
    expect(first.nextAttemptAt.getTime() - started).toBeGreaterThanOrEqual(59_000);
    // Not due yet: a run now does nothing.
    expect(await runPayout(t.db, payout.id, deps)).toBe("not_due");
    // A job for the retry waits in the queue until then.
    const queued = await t.db.$queryRaw<{ start_after: Date }[]>`
      SELECT start_after FROM pgboss.job WHERE name = 'payout' AND data->>'payoutId' = ${payout.id} ORDER BY created_on DESC LIMIT 1`;
    expect(Math.abs(queued[0].start_after.getTime() - first.nextAttemptAt.getTime())).toBeLessThan(1000);

    await t.db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date() } });
    expect(await runPayout(t.db, payout.id, deps)).toBe("retrying");
    const second = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(second.attempts).toBe(2);
    // Backoff: 60 s, then 240 s.
    expect(second.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(230_000);

    await t.db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date() } });
    const payments = await outgoingPayments(t.db);
    expect(await runPayout(t.db, payout.id, deps)).toBe("succeeded");
    const done = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(done).toMatchObject({ state: "succeeded", attempts: 3, failureReason: null });
    expect(calls).toBe(3);
    expect(await outgoingPayments(t.db)).toBe(payments + 1);
    expect((await balances(t.db, owner.tenant.id)).pending).toBe(0n);
    expect(await ledgerBalanced(t.db)).toBe(true);
  });

  it("after the last attempt the payout fails and the money is back", async () => {
    const { owner, payout, before } = await pendingPayout("giveup");
    const lnurl = fakeLnurl({
      invoice: async (amount, metadata) =>
        (
          await createSimulatedInvoice(
            t.db,
            { network: "mainnet" },
            { amountMsat: amount, descriptionHash: sha256(metadata), expirySeconds: 600 },
          )
        ).bolt11,
    });
    const deps = { lnurl, config: config({ retryBaseSeconds: 0, maxAttempts: 2 }) };
    expect(await runPayout(t.db, payout.id, deps)).toBe("retrying");
    expect(await runPayout(t.db, payout.id, deps)).toBe("failed");
    expect(await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ state: "failed", attempts: 2 });
    expect(await balances(t.db, owner.tenant.id)).toEqual(before);
    expect(await ledgerBalanced(t.db)).toBe(true);
  });

  it("an address that does not answer is retried, not refused", async () => {
    const { payout } = await pendingPayout("down");
    const lnurl: LnurlOptions = { localHosts: ["localhost:3000"], fetch: async () => new Response("oops", { status: 503 }) };
    expect(await runPayout(t.db, payout.id, { lnurl, config: config({}) })).toBe("retrying");
    expect(await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } })).toMatchObject({ state: "pending", attempts: 1 });
  });

  it("a payment in flight is looked up again later, never paid again", async () => {
    const { payout } = await pendingPayout("inflight");
    const real = (await import("../../lib/lightning/select")).lightningBackendFor("test", t.db);
    let pays = 0;
    let inFlight = true;
    const backend = {
      ...real,
      async payInvoice() {
        pays++;
        return { state: "in_flight" as const };
      },
      async lookupPayment(hash: string) {
        return inFlight ? { state: "in_flight" as const } : real.lookupPayment(hash);
      },
    };
    expect(await runPayout(t.db, payout.id, { backend, config: config({ recheckSeconds: 30 }) })).toBe("in_flight");
    const sending = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(sending.state).toBe("sending");
    await t.db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date() } });
    expect(await runPayout(t.db, payout.id, { backend, config: config({}) })).toBe("in_flight");
    // It completes on the node (paid through the real simulated node here); the next run records it.
    await real.payInvoice({ bolt11: sending.bolt11!, maxFeeMsat: 0n, timeoutSeconds: 5 });
    inFlight = false;
    await t.db.payout.update({ where: { id: payout.id }, data: { nextAttemptAt: new Date() } });
    expect(await runPayout(t.db, payout.id, { backend, config: config({}) })).toBe("succeeded");
    expect(pays).toBe(1);
    expect(await ledgerBalanced(t.db)).toBe(true);
  });

  it("one payout in progress per tenant and mode; never more than the available balance", async () => {
    const owner = await earningTenant(t.db, "oneatatime");
    await earn(app, owner.key, 2);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "manual" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "payout_in_progress" });
    const { available, pending } = await balances(t.db, owner.tenant.id);
    expect(available).toBeGreaterThanOrEqual(0n);
    expect(available + pending).toBe(2n * NET_PER_CALL_MSAT);
    await expect(
      createPayout(t.db, { tenantId: owner.tenant.id, mode: "live", trigger: "manual", amountMsat: 1000n }),
    ).rejects.toMatchObject({ code: "insufficient_balance" });
  });
});
