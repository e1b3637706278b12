// Automatic payouts. The threshold check (every minute) and the hourly sweep pay every
// tenant with automatic payouts on whose available balance, in either mode, has reached
// its threshold (never below the address's minimum). Skipped: no address, a payout in
// progress, payouts on hold after an address change, and a tenant whose last automatic
// payout failed within the hour (its address is broken; the owner is told, and the hourly
// sweep tries again). createPayout checks everything again under the tenant's lock.
import type { Db } from "../db/client";
import type { PayoutTrigger } from "../db/generated/client";
import { AppError } from "../errors";
import type { KeyMode } from "../keys/api-keys";
import { payoutConfig } from "./config";
import { createPayout } from "./create";

const FAILED_PAUSE_MS = 3_600_000;

export interface SweepResult {
  created: number;
  skipped: number;
}

export async function sweepPayouts(db: Db, trigger: Extract<PayoutTrigger, "threshold" | "sweep">): Promise<SweepResult> {
  const holdSince = new Date(Date.now() - payoutConfig().addressCooldownMs);
  const failedSince = new Date(Date.now() - (trigger === "sweep" ? 0 : FAILED_PAUSE_MS));
  const due = await db.$queryRaw<{ tenant_id: string; mode: KeyMode; minimum: bigint }[]>`
    SELECT t.id AS tenant_id, a.mode::text AS mode,
      GREATEST(t.payout_threshold_msat, COALESCE(t.lightning_address_min_sendable_msat, 1000))::bigint AS minimum
    FROM tenants t
    JOIN ledger_accounts a ON a.tenant_id = t.id AND a.id = a.mode::text || ':tenant:' || t.id || ':available'
    WHERE t.auto_payouts AND t.lightning_address IS NOT NULL AND t.suspended_at IS NULL
      AND (t.lightning_address_changed_at IS NULL OR t.lightning_address_changed_at <= ${holdSince})
      AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.tenant_id = t.id AND p.mode = a.mode
        AND (p.state IN ('pending', 'sending') OR (p.state = 'failed' AND p.trigger IN ('threshold', 'sweep') AND p.completed_at > ${failedSince})))
      AND (SELECT -SUM(p.amount_msat) FROM postings p WHERE p.account_id = a.id AND p.mode = a.mode)
        >= GREATEST(t.payout_threshold_msat, COALESCE(t.lightning_address_min_sendable_msat, 1000))`;
  const result: SweepResult = { created: 0, skipped: 0 };
  for (const row of due) {
    try {
      await createPayout(db, { tenantId: row.tenant_id, mode: row.mode, trigger, minimumAvailableMsat: row.minimum });
      result.created++;
    } catch (error) {
      // Changed since the query (a payout started, a hold began): the next run decides again.
      if (!(error instanceof AppError)) throw error;
      result.skipped++;
    }
  }
  return result;
}

/**
 * Payouts whose run is overdue: a worker died holding the lease (it ran out), or their
 * job was lost. Returns their ids for the caller to run (runPayout takes the lease, so a
 * payout another run still holds is left alone).
 */
export async function overduePayouts(db: Db, limit = 20): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM payouts
    WHERE state IN ('pending', 'sending') AND next_attempt_at < now()
      AND (lease_expires_at < now() OR (lease_expires_at IS NULL AND next_attempt_at < now() - interval '30 seconds'))
    ORDER BY next_attempt_at LIMIT ${limit}`;
  return rows.map((row) => row.id);
}
