// The owner's balances in one mode, from the ledger accounts: available (credited, not yet
// paid out), pending (set aside for payouts in progress), paid out, and the fees taken.
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { msat } from "../money";
import type { Balance, Scope } from "../types";

export async function getBalance(db: Db, scope: Scope): Promise<Balance> {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const pending = accounts.tenantPendingPayout(scope.mode, scope.tenantId).id;
  const fees = accounts.platformFees(scope.mode).id;
  const [row] = await db.$queryRaw<{ available: string | null; pending: string | null; paid_out: string | null; fees: string | null }[]>`
    SELECT
      (SELECT -SUM(p.amount_msat) FROM postings p WHERE p.account_id = ${available} AND p.mode = ${scope.mode}::"KeyMode")::text AS available,
      (SELECT -SUM(p.amount_msat) FROM postings p WHERE p.account_id = ${pending} AND p.mode = ${scope.mode}::"KeyMode")::text AS pending,
      -- Paid out: what left pending_payout for anywhere but back to available (a voided payout).
      (SELECT SUM(p.amount_msat) FROM postings p
        WHERE p.account_id = ${pending} AND p.mode = ${scope.mode}::"KeyMode" AND p.amount_msat > 0
          AND NOT EXISTS (SELECT 1 FROM postings back WHERE back.entry_id = p.entry_id AND back.account_id = ${available}))::text AS paid_out,
      (SELECT -SUM(p.amount_msat) FROM postings p JOIN journal_entries je ON je.id = p.entry_id
        WHERE p.account_id = ${fees} AND p.mode = ${scope.mode}::"KeyMode" AND je.tenant_id = ${scope.tenantId})::text AS fees`;
  return { availableMsat: msat(row.available), pendingMsat: msat(row.pending), paidOutMsat: msat(row.paid_out), feesMsat: msat(row.fees) };
}
