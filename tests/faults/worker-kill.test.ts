// THE KILL TEST (hardening, "Faults"): the real worker, a child process, is SIGKILLed at
// random moments while it pays owners and delivers webhooks, started again each time, and
// at last left to finish. Afterwards nothing is lost, stuck or done twice: every payout paid
// once on the simulated node and recorded once, the books balanced and reconciled, each
// owner's balance paid out down to its msat rest; every webhook event delivered, validly
// signed, with a success in the delivery log. Webhooks are at-least-once: a kill after the
// receiver answered and before the attempt was recorded delivers it again, with the same
// event id (receivers dedupe on it); the duplicates are counted.
//
// The worker reaches Postgres through a TCP proxy that delays every packet a little, so a
// payout or a delivery takes long enough for a kill to land inside it. Kills are chosen by
// a seeded generator: WORKER_KILL_SEED=<seed> replays a run's choices (the seed is in the
// test's name; the timing of the processes is never exactly the same).
import { verifyWebhook } from "@tollbooth/l402";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { splitFee } from "../../lib/ledger/fee";
import { runReconciliation } from "../../lib/reconciliation/run";
import { createWebhookEndpoint } from "../../lib/webhooks/endpoints";
import type { Api } from "../helpers/api";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { paidCall } from "../helpers/payments";
import { balances, earningTenant, ledgerBalanced } from "../helpers/payouts";
import { prng, seedFrom } from "../helpers/prng";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";
import { killWorkers, spawnWorker } from "../helpers/worker-child";
import { interrupted, requestPayout, startTraffic, waitForKillMoment, type Interrupted, type KillAim, type Owner } from "./worker-chaos";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

process.env.API_RATE_LIMIT_BURST = "1000000";
process.env.CHALLENGE_RATE_LIMIT_BURST = "1000000";
process.env.WEBHOOK_ALLOW_PRIVATE = "1"; // the receiver is on 127.0.0.1

const seed = seedFrom("WORKER_KILL_SEED");
// One stream per consumer, so each makes the same choices on a replay whatever the timing.
const kills = prng(seed);
const payers = prng(seed ^ 0x5bd1e995);
const receiverChoices = prng(seed ^ 0x27d4eb2f);

const OWNERS = 4;
const WORKER_ENV = {
  // A dead worker's payout lease runs out in 2 s (production: 120 s).
  PAYOUT_LEASE_SECONDS: "2",
  PAYOUT_PAY_TIMEOUT_SECONDS: "1",
  PAYOUT_RECHECK_SECONDS: "1",
  // A kill must never fail an attempt; should one fail, its retry comes in 1 s (not 60 s), so
  // the test reports it (attempts > 1) rather than timing out.
  PAYOUT_RETRY_BASE_SECONDS: "1",
  WEBHOOK_ALLOW_PRIVATE: "1",
  WEBHOOK_RETRY_DELAYS_SECONDS: "1",
  WEBHOOK_TIMEOUT_MS: "2000",
  // A fan-out or delivery a dead worker held is queued again after 3 s (production: 60 s).
  WEBHOOK_RECOVER_AFTER_SECONDS: "3",
};
const MSAT_PER_SAT = 1000n;

let t: TestDatabase;
let proxy: TcpProxy;
let receiver: Receiver;
let app: Api;
let killing = true;

interface Hook {
  tenantId: string;
  endpointId: string;
  path: string;
  secret: string;
  events: string[];
}

beforeAll(async () => {
  if (!usingRealPostgres) return;
  t = await createTestDatabase();
  const url = new URL(t.url);
  proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  proxy.delayMs = 3;
  // While the kills go on a third of the answers are slow, so kills land while a request is out.
  receiver = await startReceiver(() => ({
    status: 200,
    delayMs: killing && receiverChoices.next() < 0.35 ? receiverChoices.int(50, 700) : 0,
  }));
  app = createApiApp();
});
afterAll(async () => {
  if (!usingRealPostgres) return;
  await killWorkers();
  await receiver?.close();
  await proxy?.close();
  await t?.drop();
});

/** Owners earning through the real API, each with two webhook endpoints on the receiver:
 *  one for every payment and payout, one for payouts only. */
async function seedOwners(): Promise<{ owners: Owner[]; hooks: Hook[] }> {
  const owners: Owner[] = [];
  const hooks: Hook[] = [];
  for (let i = 0; i < OWNERS; i++) {
    const owner = await earningTenant(t.db, `kill${i}`);
    // earningTenant's own endpoint points nowhere reachable: these replace it.
    await t.db.webhookEndpoint.delete({ where: { id: `we_${owner.tenant.id}` } });
    const scope = { tenantId: owner.tenant.id, mode: "test" as const };
    for (const [name, events] of [
      ["all", ["payment.settled", "payout.succeeded", "payout.failed"]],
      ["payouts", ["payout.succeeded", "payout.failed"]],
    ] as const) {
      const path = `/hooks/${i}-${name}`;
      const made = await createWebhookEndpoint(t.db, scope, { url: `http://127.0.0.1:${receiver.port}${path}`, events: [...events] });
      hooks.push({ tenantId: owner.tenant.id, endpointId: made.endpoint.id, path, secret: made.secret, events: [...events] });
    }
    owners.push({ tenantId: owner.tenant.id, key: owner.key });
  }
  return { owners, hooks };
}

async function allDone(owners: Owner[]): Promise<boolean> {
  const [row] = await t.db.$queryRaw<{ unsettled: bigint; unfanned: bigint; undelivered: bigint }[]>`
    SELECT
      (SELECT COUNT(*) FROM invoices i JOIN simulated_invoices s ON s.payment_hash = i.payment_hash
        WHERE i.state = 'pending' AND s.settled_at IS NOT NULL)::bigint AS unsettled,
      (SELECT COUNT(*) FROM webhook_events WHERE fanned_out_at IS NULL)::bigint AS unfanned,
      (SELECT COUNT(*) FROM webhook_deliveries WHERE state <> 'succeeded')::bigint AS undelivered`;
  // Each owner is paid down to what the rules leave (less than a whole sat): ask again
  // whenever the last payout is done and a whole sat is there.
  let owed = false;
  for (const owner of owners) {
    const inProgress = await t.db.payout.count({ where: { tenantId: owner.tenantId, state: { in: ["pending", "sending"] } } });
    if (inProgress || ((await balances(t.db, owner.tenantId)).available >= MSAT_PER_SAT && (await requestPayout(t.db, owner)))) owed = true;
  }
  return !owed && !row.unsettled && !row.unfanned && !row.undelivered;
}

const suite = usingRealPostgres ? describe : describe.skip;

suite("(real Postgres) the worker killed at random points of payouts and webhook deliveries", () => {
  it(`loses nothing and does nothing twice (seed ${seed}; replay with WORKER_KILL_SEED=${seed})`, async () => {
    const started = Date.now();
    const { owners, hooks } = await seedOwners();
    // Owed before the worker ever runs: settled payments (their payment.settled events
    // waiting to fan out), one paid and never redeemed (the watcher must credit it), and a
    // payout due for each owner.
    for (const owner of owners) {
      for (let call = 0; call < 3; call++) await paidCall(app, owner.key, "GET /paid", { redeem: call < 2 });
      expect(await requestPayout(t.db, owner)).toBe(true);
    }

    const proxied = new URL(t.url);
    proxied.port = String(proxy.port);
    const traffic = startTraffic(t.db, app, owners, payers);
    const killCount = kills.int(5, 8);
    const log: { aim: KillAim; after: Interrupted }[] = [];
    for (let life = 0; life < killCount; life++) {
      const lifeStartedAt = new Date();
      const worker = spawnWorker(proxied.toString(), WORKER_ENV);
      await worker.ready;
      const aim = kills.pick(["blind", "payout", "delivery"] as const);
      await waitForKillMoment(t.db, aim, lifeStartedAt, kills);
      await worker.kill();
      log.push({ aim, after: await interrupted(t.db, lifeStartedAt) });
    }
    await traffic.stop();
    const chaosEnded = Date.now();
    // The last worker runs at full speed: nothing needs to land inside anything any more.
    killing = false;
    proxy.delayMs = 0;

    const last = spawnWorker(proxied.toString(), WORKER_ENV);
    await last.ready;
    const deadline = Date.now() + 40_000;
    while (!(await allDone(owners)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    await last.stop();
    const timing = `setup and kills ${((chaosEnded - started) / 1000).toFixed(1)} s, the last worker ${((Date.now() - chaosEnded) / 1000).toFixed(1)} s`;
    const report = `${await summary(log, hooks)}\n  ${timing}`;
    console.log(report);
    if (!(await allDone(owners))) {
      expect.fail(`not finished 40 s after the last restart\n${report}\n${await unfinished()}\n${last.output().slice(-3000)}`);
    }

    await expectPaidOnceEach(owners);
    await expectDeliveredAtLeastOnce(hooks);
    // No job ran out of retries: nothing was given up on.
    expect(await t.db.$queryRaw`SELECT name, id FROM pgboss.job WHERE state = 'failed'`).toEqual([]);
  }, 120_000);
});

/** Every payout succeeded, paid exactly once on the node and recorded once; the books
 *  balance and reconcile with the node; each owner is owed only the msat rest. */
async function expectPaidOnceEach(owners: Owner[]) {
  const payouts = await t.db.payout.findMany();
  expect(payouts.length).toBeGreaterThan(owners.length);
  // Succeeded, on their first invoice: a kill is never taken for a failed payment.
  const notClean = payouts.filter((p) => p.state !== "succeeded" || p.attempts !== 1);
  expect(notClean.map((p) => [p.id, p.state, p.attempts, p.failureReason])).toEqual([]);
  const payments = await t.db.simulatedPayment.findMany();
  // One payment per payout hash, none missing, none more: the node paid each payout once.
  expect(payments.map((p) => p.paymentHash).sort()).toEqual(payouts.map((p) => p.paymentHash).sort());
  // And the payees were paid exactly those: every settled LNURL invoice is one of them.
  const settledForPayees = await t.db.simulatedInvoice.findMany({ where: { external: true, settledAt: { not: null } } });
  expect(settledForPayees.map((i) => i.paymentHash).sort()).toEqual(payments.map((p) => p.paymentHash).sort());
  const paid = new Map(payments.map((p) => [p.paymentHash, p.amountMsat]));
  for (const payout of payouts) expect(paid.get(payout.paymentHash!)).toBe(payout.amountMsat);
  for (const payout of payouts) {
    const entries = await t.db.journalEntry.findMany({ where: { idempotencyKey: { startsWith: `payout:${payout.id}` } } });
    expect(entries.map((e) => e.idempotencyKey).sort()).toEqual([`payout:${payout.id}`, `payout:${payout.id}:sent`]);
  }
  expect(await ledgerBalanced(t.db)).toBe(true);
  const [reconciled] = await runReconciliation(t.db, { modes: ["test"], trigger: "manual" });
  expect(reconciled).toMatchObject({ matched: true, flowDifferenceMsat: 0n, backendDifferenceMsat: 0n });

  for (const owner of owners) {
    const invoices = await t.db.invoice.findMany({ where: { tenantId: owner.tenantId } });
    expect(invoices.every((i) => i.state === "paid")).toBe(true);
    const earned = invoices.reduce((sum, i) => sum + splitFee(i.amountMsat, i.feeBps).ownerMsat, 0n);
    const paidOut = payouts.filter((p) => p.tenantId === owner.tenantId).reduce((sum, p) => sum + p.amountMsat, 0n);
    const left = await balances(t.db, owner.tenantId);
    expect(left).toEqual({ available: earned - paidOut, pending: 0n });
    expect(left.available).toBeLessThan(MSAT_PER_SAT); // payouts are whole sats; the msat rest stays
  }
}

/** Every event that happened is stored, fanned out and delivered to each subscribed
 *  endpoint: received with a valid signature at least once, a success in the log. */
async function expectDeliveredAtLeastOnce(hooks: Hook[]) {
  const invoices = await t.db.invoice.findMany({ select: { paymentHash: true } });
  const payouts = await t.db.payout.findMany({ select: { id: true } });
  const events = await t.db.webhookEvent.findMany();
  expect(events.map((e) => e.idempotencyKey).sort()).toEqual(
    [...invoices.map((i) => `payment.settled:${i.paymentHash}`), ...payouts.map((p) => `payout.succeeded:${p.id}`)].sort(),
  );
  const deliveries = await t.db.webhookDelivery.findMany({ include: { attemptLog: true } });
  // Succeeded, as the log of its attempts shows.
  const unlogged = deliveries.filter((d) => d.state !== "succeeded" || !d.attemptLog.some((a) => a.succeeded && a.responseStatus === 200));
  expect(unlogged.map((d) => [d.id, d.state, d.attemptLog.map((a) => a.responseStatus)])).toEqual([]);
  for (const hook of hooks) {
    const subscribed = events.filter((e) => e.tenantId === hook.tenantId && hook.events.includes(e.type));
    const mine = deliveries.filter((d) => d.endpointId === hook.endpointId);
    expect(mine.map((d) => d.eventId).sort()).toEqual(subscribed.map((e) => e.id).sort());
    const received = receiver.received.filter((r) => r.path === hook.path);
    const ids = received.map((r) => {
      const event = verifyWebhook(r.body, r.headers["tollbooth-signature"] as string, hook.secret);
      expect(r.headers["tollbooth-event-id"]).toBe(event.id); // a duplicate carries the same id
      return event.id;
    });
    // Each subscribed event arrived (maybe more than once), and nothing else did.
    expect([...new Set(ids)].sort()).toEqual(subscribed.map((e) => e.id).sort());
  }
  expect(receiver.received.length).toBe(receiver.received.filter((r) => hooks.some((h) => h.path === r.path)).length);
}

/** What is still not done, for the failure message. */
async function unfinished(): Promise<string> {
  const payouts = await t.db.payout.findMany({ where: { state: { in: ["pending", "sending"] } } });
  const deliveries = await t.db.webhookDelivery.findMany({ where: { state: { not: "succeeded" } }, include: { attemptLog: true } });
  const unfanned = await t.db.webhookEvent.count({ where: { fannedOutAt: null } });
  const jobs = await t.db.$queryRaw<{ name: string; state: string; n: bigint }[]>`
    SELECT name, state::text, COUNT(*)::bigint AS n FROM pgboss.job GROUP BY 1, 2 ORDER BY 1, 2`;
  return [
    ...payouts.map(
      (p) =>
        `  payout ${p.id} ${p.state} attempts ${p.attempts} (${p.failureCode}: ${p.failureReason}) lease ${p.leaseExpiresAt?.toISOString()} next ${p.nextAttemptAt.toISOString()}`,
    ),
    ...deliveries.map(
      (d) => `  delivery ${d.id} ${d.state} attempts ${d.attempts} (${d.attemptLog.length} logged) created ${d.createdAt.toISOString()}`,
    ),
    `  ${unfanned} events not fanned out; jobs: ${jobs.map((j) => `${j.name}/${j.state} ${j.n}`).join(", ")}`,
  ].join("\n");
}

async function summary(log: { aim: KillAim; after: Interrupted }[], hooks: Hook[]): Promise<string> {
  const perEndpoint = hooks.map((hook) =>
    receiver.received.filter((r) => r.path === hook.path).map((r) => JSON.parse(r.body).id as string),
  );
  const requests = perEndpoint.reduce((sum, ids) => sum + ids.length, 0);
  const unique = perEndpoint.reduce((sum, ids) => sum + new Set(ids).size, 0);
  const payouts = await t.db.payout.count();
  const lines = log.map(
    ({ aim, after }, i) =>
      `  after kill ${i + 1} (${aim}): payouts ${after.paidNotRecorded} paid and not recorded, ${after.storedNotPaid} stored and not paid; ` +
      `${after.unansweredAttempts} webhook requests unanswered; ${after.heldJobs} jobs held by dead workers`,
  );
  return [
    `worker-kill seed ${seed}: ${log.length} kills, ${payouts} payouts, ${unique} webhook deliveries received ${requests} times (${requests - unique} duplicates)`,
    ...lines,
  ].join("\n");
}
