// Storage stays bounded: every unpaid request leaves an invoice, its token and (on the
// simulated node) the node's own row. Once such an invoice has been expired for
// INVOICE_RETENTION_HOURS it can never be paid, so the three rows go, in batches.
//
// Never paid is proven, not assumed. An invoice is deleted only if all of these hold:
// - not marked paid, no settled_at;
// - expired more than the retention period ago, and either the watcher has marked it
//   expired (the backend said so) or it is the simulated node's, whose own row shows it
//   unpaid (that node refuses to settle an invoice past its expiry);
// - no journal entry names its payment hash (nothing in the books points at it), no
//   failed call was recorded for it, and its token was never redeemed.
// A real backend's invoice the watcher has not yet looked at stays until it has.
import type { Db } from "../db/client";

export interface PurgeOptions {
  now?: Date;
  /** Default INVOICE_RETENTION_HOURS, else 24. */
  retentionHours?: number;
  /** Invoices per statement (one transaction each). Default 1000. */
  batchSize?: number;
  /** Batches per call, so one run never holds the worker for long. Default 20. */
  maxBatches?: number;
}

export function invoiceRetentionHours(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const hours = Number(env.INVOICE_RETENTION_HOURS ?? 24);
  if (!Number.isFinite(hours) || hours < 0) throw new Error("INVOICE_RETENTION_HOURS must be a number of hours, 0 or more");
  return hours;
}

/** Deletes expired never-paid invoices with their tokens and simulated-node rows; returns how many invoices went. */
export async function purgeExpiredInvoices(db: Db, options: PurgeOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const retentionHours = options.retentionHours ?? invoiceRetentionHours();
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 20;
  // UTC wall time, as the rest of the code passes timestamps (see lib/invoices/create.ts).
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000).toISOString();
  let purged = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    // One statement: the three deletes commit together. SKIP LOCKED: an invoice a
    // settlement is touching right now is left for the next run.
    const deleted = await db.$executeRaw`
      WITH doomed AS (
        SELECT i.payment_hash FROM invoices i
        WHERE i.state IN ('pending', 'expired') AND i.settled_at IS NULL
          AND i.expires_at < ${cutoff}::timestamptz
          -- A real node's invoice only on the node's own word that it expired; the simulated
          -- node's row (checked next) proves the rest.
          AND ((i.state = 'expired' AND i.expired_reason = 'backend') OR i.backend = 'simulated')
          AND NOT EXISTS (SELECT 1 FROM simulated_invoices s WHERE s.payment_hash = i.payment_hash AND s.settled_at IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM journal_entries j WHERE j.payment_hash = i.payment_hash)
          AND NOT EXISTS (SELECT 1 FROM failed_calls f WHERE f.payment_hash = i.payment_hash)
          AND NOT EXISTS (SELECT 1 FROM l402_tokens t WHERE t.payment_hash = i.payment_hash AND t.uses_consumed > 0)
        ORDER BY i.expires_at
        LIMIT ${batchSize}::int
        FOR UPDATE OF i SKIP LOCKED
      ), tokens AS (
        DELETE FROM l402_tokens t USING doomed d WHERE t.payment_hash = d.payment_hash
      ), simulated AS (
        DELETE FROM simulated_invoices s USING doomed d WHERE s.payment_hash = d.payment_hash
      )
      DELETE FROM invoices i USING doomed d WHERE i.payment_hash = d.payment_hash`;
    purged += deleted;
    if (deleted < batchSize) break;
  }
  return purged;
}
