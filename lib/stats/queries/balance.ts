// The owner's balances in one mode: available (credited, not yet paid out), pending (set
// aside for payouts in progress), paid out, and the platform fees taken on their payments.
// Payments come from the rollups (their net and fee, kept in the settling statement); the
// few other movements (payouts, reversals) from the journal's partial index of entries that
// are not settlements. No query here grows with the number of payments.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { msat } from "../money";
import { queryRows } from "../sql";
import type { Balance, Scope } from "../types";

/** SQL: what the movements that are not settlements (payouts, reversals; not metered
 *  charges either, which the rollups count as payments: lib/prepaid/charge.ts) did to the owner's
 *  available balance, those matching `until` (all when empty); along the partial index. */
export function otherMovementsSql(scope: Scope, until: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  return Prisma.sql`(SELECT -SUM(p.amount_msat) FROM journal_entries je
      JOIN postings p ON p.entry_id = je.id AND p.account_id = ${available} AND p.mode = je.mode
      WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" AND je.kind <> 'settlement'
        AND je.kind <> 'prepaid_charge' ${until})`;
}

/** SQL: the owner's available balance now: payment nets from the rollups plus the other
 *  movements. */
export function availableBalanceSql(scope: Scope): Prisma.Sql {
  return Prisma.sql`(COALESCE((SELECT SUM(net_msat) FROM stats_daily WHERE tenant_id = ${scope.tenantId} AND mode = ${scope.mode}::"KeyMode"), 0)
    + COALESCE(${otherMovementsSql(scope)}, 0))`;
}

export async function getBalance(db: Db, scope: Scope): Promise<Balance> {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const pending = accounts.tenantPendingPayout(scope.mode, scope.tenantId).id;
  const [row] = await queryRows<{ available: string; fees: string | null; pending: string | null; paid_out: string | null }>(
    db,
    Prisma.sql`
    SELECT ${availableBalanceSql(scope)}::text AS available,
      (SELECT SUM(fee_msat) FROM stats_daily WHERE tenant_id = ${scope.tenantId} AND mode = ${scope.mode}::"KeyMode")::text AS fees,
      (SELECT -SUM(p.amount_msat) FROM postings p WHERE p.account_id = ${pending} AND p.mode = ${scope.mode}::"KeyMode")::text AS pending,
      -- Paid out: what left pending_payout for anywhere but back to available (a voided payout).
      (SELECT SUM(p.amount_msat) FROM postings p
        WHERE p.account_id = ${pending} AND p.mode = ${scope.mode}::"KeyMode" AND p.amount_msat > 0
          AND NOT EXISTS (SELECT 1 FROM postings back WHERE back.entry_id = p.entry_id AND back.account_id = ${available}))::text AS paid_out`,
  );
  return {
    availableMsat: msat(row.available),
    pendingMsat: msat(row.pending),
    paidOutMsat: msat(row.paid_out),
    feesMsat: msat(row.fees),
  };
}
