// Running a payout: the state machine. Exactly once across crashes and reruns:
//   - a run first takes the payout's lease (one run at a time; a dead worker's lease runs out);
//   - the invoice (bolt11 + payment hash) is stored, state `sending`, BEFORE it is paid;
//   - a run that finds a payout `sending` asks the node about that payment hash first and
//     pays only if the node never saw it; in flight or unknown after paying: look again later;
//   - a definite failure is retried with a new invoice (after backoff), and after the last
//     attempt the payout fails and its money goes back to available.
// Every outcome is recorded by a conditional update on the state it came from, in one
// transaction with its ledger entry, its webhook event and its next job.
import type { Db } from "../db/client";
import type { Payout } from "../db/generated/client";
import { AppError } from "../errors";
import { enqueue } from "../jobs/queue";
import type { LightningBackend, OutgoingPaymentStatus } from "../lightning/backend";
import type { Bolt11Network } from "../lightning/bolt11";
import { lightningBackendFor } from "../lightning/select";
import { ensureAccounts, postEntry } from "../ledger/post";
import { publishEvent } from "../webhooks/publish";
import { payoutConfig, retryDelaySeconds, type PayoutConfig } from "./config";
import { lnurlOptionsFor, requestPayoutInvoice } from "./destination";
import { PAYOUT_QUEUE } from "./jobs";
import { payoutAccounts, sentEntry, voidEntry } from "./ledger";
import type { LnurlOptions } from "./lnurl";
import { payoutJson } from "./json";

export interface PayoutDeps {
  backend?: LightningBackend;
  lnurl?: LnurlOptions;
  config?: PayoutConfig;
}

export type RunOutcome = "not_due" | "succeeded" | "retrying" | "failed" | "in_flight";

/** LNURL refusals that another try will not fix: the payout fails at once. (An address
 *  that is down or answers nonsense is retried.) */
const REFUSAL_CODES = new Set(["lightning_address_amount_out_of_range", "lightning_address_wrong_invoice", "invalid_lightning_address"]);

export async function runPayout(db: Db, payoutId: string, deps: PayoutDeps = {}): Promise<RunOutcome> {
  const config = deps.config ?? payoutConfig();
  const payout = await takeLease(db, payoutId, config);
  if (!payout) return "not_due";
  // A suspended workspace's money does not leave: a payout not yet sent waits (it is looked
  // at again every few minutes); one already sending is followed to its end.
  if (payout.state === "pending" && (await tenantSuspended(db, payout.tenantId))) {
    await db.payout.update({
      where: { id: payout.id },
      data: {
        leaseExpiresAt: null,
        nextAttemptAt: new Date(Date.now() + SUSPENDED_RECHECK_MS),
        failureReason: "On hold: the workspace is suspended.",
      },
    });
    return "not_due";
  }
  const backend = deps.backend ?? lightningBackendFor(payout.mode, db);
  await ensureAccounts(db, payoutAccounts(payout.mode, payout.tenantId));

  if (payout.state === "sending" && payout.bolt11 && payout.paymentHash) {
    let status: OutgoingPaymentStatus;
    try {
      status = await backend.lookupPayment(payout.paymentHash);
    } catch (error) {
      return recordInFlight(db, payout, config, `lookup failed: ${messageOf(error)}`);
    }
    if (status.state !== "unknown") return recordStatus(db, payout, status, config);
    // The node never saw it (the run that stored it died before paying): pay it now.
    return pay(db, payout, backend, config);
  }

  const network: Bolt11Network = payout.mode === "test" ? "testnet" : "mainnet";
  let invoice: { bolt11: string; paymentHash: string };
  try {
    const lnurl = deps.lnurl ?? lnurlOptionsFor(db, backend, network, payout.destination);
    invoice = await requestPayoutInvoice(payout.destination, payout.amountMsat, lnurl);
  } catch (error) {
    const code = error instanceof AppError ? error.code : "lightning_address_error";
    const reason = messageOf(error);
    if (REFUSAL_CODES.has(code)) return recordFailure(db, payout, code, reason, config, { final: true });
    return recordFailure(db, payout, code, reason, config);
  }
  const sending = await db.payout.update({
    where: { id: payout.id, state: "pending" },
    data: {
      state: "sending",
      bolt11: invoice.bolt11,
      paymentHash: invoice.paymentHash,
      attempts: { increment: 1 },
      failureCode: null,
    },
  });
  return pay(db, sending, backend, config);
}

async function pay(db: Db, payout: Payout, backend: LightningBackend, config: PayoutConfig): Promise<RunOutcome> {
  let status: OutgoingPaymentStatus;
  try {
    status = await backend.payInvoice({
      bolt11: payout.bolt11 as string,
      maxFeeMsat: payout.maxFeeMsat,
      timeoutSeconds: config.payTimeoutSeconds,
    });
  } catch (error) {
    // The outcome is not known (a timeout, the node went away): never pay again blindly.
    return recordInFlight(db, payout, config, `payment outcome unknown: ${messageOf(error)}`);
  }
  // Tests only (NODE_ENV=test): die here, after the payment left and before it is
  // recorded (tests/integration/payout-crash.test.ts). Inert in any other environment.
  if (process.env.NODE_ENV === "test" && process.env.PAYOUT_TEST_CRASH_AFTER_PAY === "1") process.kill(process.pid, "SIGKILL");
  return recordStatus(db, payout, status, config);
}

function recordStatus(db: Db, payout: Payout, status: OutgoingPaymentStatus, config: PayoutConfig): Promise<RunOutcome> {
  switch (status.state) {
    case "succeeded":
      return recordSuccess(db, payout, status.feeMsat, status.preimage);
    case "failed":
      return recordFailure(db, payout, "payment_failed", `The payment failed: ${status.reason}`, config);
    case "in_flight":
    case "unknown":
      return recordInFlight(db, payout, config, null);
  }
}

async function recordSuccess(db: Db, payout: Payout, feeMsat: bigint, preimage: string): Promise<RunOutcome> {
  await db.$transaction(async (tx) => {
    const done = await tx.payout.updateManyAndReturn({
      where: { id: payout.id, state: "sending", paymentHash: payout.paymentHash },
      data: {
        state: "succeeded",
        feeMsat,
        preimage,
        completedAt: new Date(),
        leaseExpiresAt: null,
        failureCode: null,
        failureReason: null,
      },
    });
    if (done.length === 0) return; // another run recorded it
    await postEntry(tx, sentEntry(payout, feeMsat));
    await publishEvent(tx, {
      tenantId: payout.tenantId,
      mode: payout.mode,
      type: "payout.succeeded",
      data: payoutJson(done[0]),
      idempotencyKey: `payout.succeeded:${payout.id}`,
    });
  });
  return "succeeded";
}

/** A definite failure of this attempt: retry with a new invoice, or (last attempt, or a
 *  refusal) fail the payout and give the money back. */
async function recordFailure(
  db: Db,
  payout: Payout,
  code: string,
  reason: string,
  config: PayoutConfig,
  options: { final?: boolean } = {},
): Promise<RunOutcome> {
  // An attempt that never got an invoice counts too (the address did not answer).
  const attempts = payout.state === "pending" ? payout.attempts + 1 : payout.attempts;
  const final = options.final || attempts >= config.maxAttempts;
  const failureReason = reason.slice(0, 500);
  return db.$transaction(async (tx) => {
    if (!final) {
      const nextAttemptAt = new Date(Date.now() + retryDelaySeconds(attempts, config) * 1000);
      const updated = await tx.payout.updateMany({
        where: { id: payout.id, state: payout.state, attempts: payout.attempts },
        data: {
          state: "pending",
          bolt11: null,
          paymentHash: null,
          attempts,
          failureCode: code,
          failureReason,
          nextAttemptAt,
          leaseExpiresAt: null,
        },
      });
      if (updated.count === 1) await enqueue(tx, PAYOUT_QUEUE, { payoutId: payout.id }, { startAfter: nextAttemptAt });
      return "retrying";
    }
    const failed = await tx.payout.updateManyAndReturn({
      where: { id: payout.id, state: payout.state, attempts: payout.attempts },
      data: { state: "failed", attempts, failureCode: code, failureReason, completedAt: new Date(), leaseExpiresAt: null },
    });
    if (failed.length === 1) {
      await postEntry(tx, voidEntry(payout));
      await publishEvent(tx, {
        tenantId: payout.tenantId,
        mode: payout.mode,
        type: "payout.failed",
        data: payoutJson(failed[0]),
        idempotencyKey: `payout.failed:${payout.id}`,
      });
    }
    return "failed";
  });
}

/** Sent, outcome not known yet: keep the invoice, look it up again later (never re-pay). */
async function recordInFlight(db: Db, payout: Payout, config: PayoutConfig, note: string | null): Promise<RunOutcome> {
  const nextAttemptAt = new Date(Date.now() + config.recheckSeconds * 1000);
  await db.$transaction(async (tx) => {
    const updated = await tx.payout.updateMany({
      where: { id: payout.id, state: "sending" },
      data: { nextAttemptAt, leaseExpiresAt: null, ...(note ? { failureReason: note.slice(0, 500) } : {}) },
    });
    if (updated.count === 1) await enqueue(tx, PAYOUT_QUEUE, { payoutId: payout.id }, { startAfter: nextAttemptAt });
  });
  return "in_flight";
}

const SUSPENDED_RECHECK_MS = 5 * 60_000;

async function tenantSuspended(db: Db, tenantId: string): Promise<boolean> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { suspendedAt: true } });
  return Boolean(tenant?.suspendedAt);
}

/** Takes the payout for this run if it is due and nobody holds it. */
async function takeLease(db: Db, payoutId: string, config: PayoutConfig): Promise<Payout | null> {
  const now = new Date();
  const [taken] = await db.payout.updateManyAndReturn({
    where: {
      id: payoutId,
      state: { in: ["pending", "sending"] },
      nextAttemptAt: { lte: now },
      OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }],
    },
    data: { leaseExpiresAt: new Date(now.getTime() + config.leaseSeconds * 1000) },
  });
  return taken ?? null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
