// Balances are per mode: test and live are separate books, and a total only ever sums the
// postings of one mode (the account ids say the mode too; the filter on postings.mode
// makes sure no sum can reach across, whatever id it is given).
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accounts, naturalBalance, type AccountRef } from "./accounts";

/** Sum of an account's postings in its mode, signed as a person reads it (see naturalBalance). */
export async function accountBalanceMsat(db: Pick<Db, "$queryRaw">, account: Pick<AccountRef, "id" | "mode">): Promise<bigint> {
  const rows = await db.$queryRaw<{ type: "asset" | "liability" | "revenue" | "expense"; sum: bigint | null }[]>`
    SELECT a.type::text AS type,
      (SELECT SUM(p.amount_msat) FROM postings p WHERE p.account_id = a.id AND p.mode = ${account.mode}::"KeyMode")::bigint AS sum
    FROM ledger_accounts a WHERE a.id = ${account.id} AND a.mode = ${account.mode}::"KeyMode"`;
  if (rows.length === 0) return 0n;
  return naturalBalance(rows[0].type, rows[0].sum ?? 0n);
}

export async function tenantBalances(db: Db, tenantId: string, mode: KeyMode) {
  const [availableMsat, pendingPayoutMsat] = await Promise.all([
    accountBalanceMsat(db, accounts.tenantAvailable(mode, tenantId)),
    accountBalanceMsat(db, accounts.tenantPendingPayout(mode, tenantId)),
  ]);
  return { availableMsat, pendingPayoutMsat };
}
