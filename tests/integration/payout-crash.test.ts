// THE CRASH TEST (issue 9): the worker dies (SIGKILL, a real child process) after the
// payment left the node and before the payout was recorded. Started again, it looks the
// payment up by its hash before anything else, finds it paid, and records it: one payment
// on the node, the payout succeeded, the ledger balanced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createPayout } from "../../lib/payouts/create";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { balances, earn, earningTenant, ledgerBalanced, outgoingPayments } from "../helpers/payouts";
import { killWorkers, spawnWorker } from "../helpers/worker-child";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await killWorkers();
  await t?.drop();
});

const startWorker = (env: Record<string, string>) =>
  spawnWorker(t.url, { PAYOUT_LEASE_SECONDS: "2", PAYOUT_PAY_TIMEOUT_SECONDS: "1", ...env });

async function until<T>(what: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(!process.env.DATABASE_URL)("a worker killed after paying, before recording", () => {
  it("pays once: the restarted worker finds the payment by its hash and records it", async () => {
    const owner = await earningTenant(t.db, "crash");
    await earn(createApiApp(), owner.key, 3);
    const before = await balances(t.db, owner.tenant.id);
    const paymentsBefore = await outgoingPayments(t.db);
    const { payout } = await createPayout(t.db, { tenantId: owner.tenant.id, mode: "test", trigger: "manual" });

    const first = startWorker({ PAYOUT_TEST_CRASH_AFTER_PAY: "1" });
    const ended = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r(null), 40_000))]);
    expect(ended, first.output()).toEqual({ code: null, signal: "SIGKILL" });
    // The payment left; the payout does not know it yet.
    expect(await outgoingPayments(t.db)).toBe(paymentsBefore + 1);
    const stranded = await t.db.payout.findUniqueOrThrow({ where: { id: payout.id } });
    expect(stranded).toMatchObject({ state: "sending", attempts: 1 });
    expect(stranded.paymentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await balances(t.db, owner.tenant.id)).toEqual({ available: before.available - payout.amountMsat, pending: payout.amountMsat });

    const second = startWorker({});
    const done = await until(
      () => t.db.payout.findUniqueOrThrow({ where: { id: payout.id } }),
      (p) => p.state !== "sending",
    );
    await second.stop();
    expect(done.state, second.output()).toBe("succeeded");
    expect(done.paymentHash).toBe(stranded.paymentHash);
    expect(done.attempts).toBe(1);
    expect(await outgoingPayments(t.db)).toBe(paymentsBefore + 1);
    expect(await t.db.simulatedPayment.count({ where: { paymentHash: stranded.paymentHash! } })).toBe(1);
    expect(await balances(t.db, owner.tenant.id)).toEqual({ available: before.available - payout.amountMsat, pending: 0n });
    expect(await t.db.journalEntry.count({ where: { idempotencyKey: `payout:${payout.id}:sent` } })).toBe(1);
    expect(await ledgerBalanced(t.db)).toBe(true);
  }, 90_000);
});
