// The settlement watcher: finds invoices that were paid but never redeemed (the payer gave
// up, crashed, or is still on its way) and credits the owner anyway. It polls each pending
// invoice on the backend that made it; the ledger's idempotency key makes a race with
// verify harmless.
//
// It must never stop crediting: one invoice whose lookup fails (its node is down, its
// backend is no longer configured) is logged and backed off, and the run goes on. Invoices
// are taken least recently looked up first, so a failing one cannot keep the same place at
// the head of the queue and starve the others.
import type { Db } from "../db/client";
import { LightningError } from "../lightning/backend";
import { lightningBackendOf, type Environment } from "../lightning/select";
import { settleInvoice } from "./settle";

export interface WatchResult {
  checked: number;
  settled: number;
  expired: number;
  /** Lookups (or settlements) that failed this run; each is logged and retried later. */
  failed: number;
}

export interface WatchOptions {
  /** Most invoices looked up in one run. */
  limit?: number;
  now?: Date;
  /** Where the backends' settings come from (default process.env). */
  env?: Environment;
  log?: (message: string) => void;
}

const BACKOFF_FIRST_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;

/** How long to leave an invoice alone after its n-th failure in a row: 30 s, doubling, at most an hour. */
export function lookupBackoffMs(failures: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.max(0, failures - 1));
}

type Due = {
  paymentHash: string;
  tenantId: string;
  mode: "test" | "live";
  backend: string;
  amountMsat: bigint;
  feeBps: number;
  prepaidBalanceId: string | null;
  expiresAt: Date;
  lookupFailures: number;
};

export async function settlePaidInvoices(db: Db, options: WatchOptions = {}): Promise<WatchResult> {
  const now = options.now ?? new Date();
  const log = options.log ?? ((message: string) => console.error(message));
  const due: Due[] = await db.invoice.findMany({
    where: { state: "pending", OR: [{ nextLookupAt: null }, { nextLookupAt: { lte: now } }] },
    // Never looked up first, then the longest unvisited: a round robin over all pending invoices.
    orderBy: [{ nextLookupAt: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }],
    take: options.limit ?? 200,
    select: {
      paymentHash: true,
      tenantId: true,
      mode: true,
      backend: true,
      amountMsat: true,
      feeBps: true,
      prepaidBalanceId: true,
      expiresAt: true,
      lookupFailures: true,
    },
  });
  const result: WatchResult = { checked: due.length, settled: 0, expired: 0, failed: 0 };
  const stillPending: string[] = [];
  for (const invoice of due) {
    try {
      const outcome = await checkInvoice(db, invoice, now, options.env);
      if (outcome === "pending") stillPending.push(invoice.paymentHash);
      else if (outcome === "expired") result.expired++;
      else if (outcome === "credited") result.settled++;
    } catch (error) {
      result.failed++;
      await recordFailure(db, invoice, error, now, log).catch((recordError: unknown) =>
        log(`[watcher] could not record the failure of invoice ${invoice.paymentHash}: ${messageOf(recordError)}`),
      );
    }
  }
  // Looked up and still pending: to the back of the queue, with a clean record.
  if (stillPending.length > 0) {
    await db.invoice.updateMany({
      where: { paymentHash: { in: stillPending }, state: "pending" },
      data: { nextLookupAt: now, lookupFailures: 0, lastLookupError: null },
    });
  }
  return result;
}

async function checkInvoice(
  db: Db,
  invoice: Due,
  now: Date,
  env?: Environment,
): Promise<"credited" | "already_settled" | "expired" | "pending"> {
  let state: "settled" | "expired" | "pending";
  let expiredReason: "backend" | "unknown_to_node" = "backend";
  try {
    state = (await lightningBackendOf(invoice, db, env).lookupInvoice(invoice.paymentHash)).state;
  } catch (error) {
    // A backend that no longer knows an invoice past its expiry has most likely dropped it
    // (LNbits deletes expired invoices; LND can delete cancelled ones). But a swapped wallet
    // key or node says the same, so it is marked apart and never purged.
    // Before its expiry, not knowing it is a real failure.
    if (!(error instanceof LightningError && error.status === 404 && invoice.expiresAt <= now)) throw error;
    state = "expired";
    expiredReason = "unknown_to_node";
  }
  if (state === "settled") return (await settleInvoice(db, invoice)) ? "credited" : "already_settled";
  // Expired only on the backend's word, never by our clock: a payment that lands after
  // expires_at (clock skew, a node that cancels late) is still credited on a later run.
  if (state === "expired") {
    // Conditional: a settlement that landed meanwhile must not be overwritten.
    const updated = await db.invoice.updateMany({
      where: { paymentHash: invoice.paymentHash, state: "pending" },
      data: { state: "expired", expiredReason, nextLookupAt: now },
    });
    return updated.count > 0 ? "expired" : "already_settled";
  }
  return "pending";
}

async function recordFailure(db: Db, invoice: Due, error: unknown, now: Date, log: (message: string) => void) {
  const failures = invoice.lookupFailures + 1;
  const waitMs = lookupBackoffMs(failures);
  const message = messageOf(error);
  log(
    `[watcher] invoice ${invoice.paymentHash} (${invoice.mode}, ${invoice.backend}): lookup failed ${failures} time(s) in a row, next try in ${Math.round(waitMs / 1000)} s: ${message}`,
  );
  await db.invoice.updateMany({
    where: { paymentHash: invoice.paymentHash, state: "pending" },
    data: { lookupFailures: failures, nextLookupAt: new Date(now.getTime() + waitMs), lastLookupError: message.slice(0, 500) },
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
