// The settlement watcher: finds invoices that were paid but never redeemed (the payer gave
// up, crashed, or is still on its way) and credits the owner anyway. It polls each pending
// invoice's backend; the ledger's idempotency key makes a race with verify harmless.
import type { Db } from "../db/client";
import { lightningBackendFor } from "../lightning/select";
import { settleInvoice } from "./settle";

export interface WatchResult {
  checked: number;
  settled: number;
  expired: number;
}

export async function settlePaidInvoices(db: Db, options: { limit?: number; now?: Date } = {}): Promise<WatchResult> {
  const now = options.now ?? new Date();
  const pending = await db.invoice.findMany({
    where: { state: "pending" },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 200,
    select: { paymentHash: true, tenantId: true, mode: true, amountMsat: true, feeBps: true, expiresAt: true },
  });
  const result: WatchResult = { checked: pending.length, settled: 0, expired: 0 };
  for (const invoice of pending) {
    const status = await lightningBackendFor(invoice.mode, db).lookupInvoice(invoice.paymentHash);
    if (status.state === "settled") {
      if (await settleInvoice(db, invoice)) result.settled++;
    } else if (status.state === "expired" || (status.state === "pending" && invoice.expiresAt < now)) {
      // Conditional: a settlement that landed meanwhile must not be overwritten.
      const updated = await db.invoice.updateMany({
        where: { paymentHash: invoice.paymentHash, state: "pending" },
        data: { state: "expired" },
      });
      result.expired += updated.count;
    }
  }
  return result;
}
