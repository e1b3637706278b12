import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accounts, naturalBalance } from "./accounts";

/** Sum of an account's postings, signed as a person reads it (see naturalBalance). */
export async function accountBalanceMsat(db: Db, accountId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ type: "asset" | "liability" | "revenue" | "expense"; sum: bigint | null }[]>`
    SELECT a.type::text AS type, (SELECT SUM(p.amount_msat) FROM postings p WHERE p.account_id = a.id)::bigint AS sum
    FROM ledger_accounts a WHERE a.id = ${accountId}`;
  if (rows.length === 0) return 0n;
  return naturalBalance(rows[0].type, rows[0].sum ?? 0n);
}

export async function tenantBalances(db: Db, tenantId: string, mode: KeyMode) {
  const [availableMsat, pendingPayoutMsat] = await Promise.all([
    accountBalanceMsat(db, accounts.tenantAvailable(mode, tenantId).id),
    accountBalanceMsat(db, accounts.tenantPendingPayout(mode, tenantId).id),
  ]);
  return { availableMsat, pendingPayoutMsat };
}
