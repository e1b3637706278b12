// Housekeeping for prepaid balances (lib/jobs/housekeeping.ts runs both, safe to re-run).
// - A reservation never settled (the middleware died mid-call) lapses back to its balance.
// - A balance past its expiry, under the "owner" policy, is kept by the owner: what is left
//   moves from the prepaid liability to the owner's available balance (minus the fee fixed
//   on the deposit's invoice) as its own journal entry, prepaid_expiry:<balance id>.
//   "never" balances have no expiry.
import type { Db } from "../db/client";
import type { KeyMode } from "../keys/api-keys";
import { accounts } from "../ledger/accounts";
import { splitFee } from "../ledger/fee";
import { ensureAccounts, postEntry } from "../ledger/post";

/** One statement: a concurrent charge of the same reservation waits on its row lock, and
 *  whichever commits first wins (the other finds it no longer open). */
export async function expireReservations(db: Db, now = new Date()): Promise<number> {
  return db.$executeRaw`
    WITH lapsed AS (
      UPDATE prepaid_reservations SET state = 'expired', settled_at = now(), charged_msat = 0
      WHERE state = 'open' AND expires_at < ${now}
      RETURNING balance_id, reserved_msat
    ), per_balance AS (
      SELECT balance_id, SUM(reserved_msat)::bigint AS total FROM lapsed GROUP BY balance_id
    )
    UPDATE prepaid_balances b SET available_msat = b.available_msat + p.total, reserved_msat = b.reserved_msat - p.total
    FROM per_balance p WHERE b.id = p.balance_id`;
}

export async function expireBalances(db: Db, now = new Date(), limit = 200): Promise<number> {
  // Only once nothing is reserved: an open call settles (or lapses) first.
  const due = await db.prepaidBalance.findMany({
    where: { expiredAt: null, expiresAt: { lt: now }, reservedMsat: 0n },
    select: { id: true, tenantId: true, mode: true },
    take: limit,
  });
  let expired = 0;
  for (const balance of due) if (await expireBalance(db, balance, now)) expired++;
  return expired;
}

async function expireBalance(db: Db, balance: { id: string; tenantId: string; mode: KeyMode }, now: Date): Promise<boolean> {
  const { tenantId, mode } = balance;
  await ensureAccounts(db, [accounts.tenantPrepaid(mode, tenantId), accounts.tenantAvailable(mode, tenantId), accounts.platformFees(mode)]);
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ forfeited: bigint; fee_bps: number; after: bigint }[]>`
      WITH old AS (SELECT id, available_msat FROM prepaid_balances WHERE id = ${balance.id} FOR UPDATE)
      UPDATE prepaid_balances b SET forfeited_msat = b.forfeited_msat + old.available_msat, available_msat = 0, expired_at = ${now}
      FROM old WHERE b.id = old.id AND b.expired_at IS NULL AND b.reserved_msat = 0 AND b.expires_at < ${now}
      RETURNING old.available_msat AS forfeited, b.fee_bps, b.deposited_msat - b.spent_msat - b.forfeited_msat AS after`;
    if (!row) return false;
    if (row.forfeited > 0n) {
      const { feeMsat, ownerMsat } = splitFee(row.forfeited, row.fee_bps);
      await postEntry(tx, {
        idempotencyKey: `prepaid_expiry:${balance.id}`,
        kind: "prepaid_expiry",
        mode,
        tenantId,
        memo: `prepaid balance ${balance.id} expired: kept by the owner`,
        postings: [
          { account: accounts.tenantPrepaid(mode, tenantId), amountMsat: row.forfeited },
          { account: accounts.tenantAvailable(mode, tenantId), amountMsat: -ownerMsat },
          { account: accounts.platformFees(mode), amountMsat: -feeMsat },
        ],
      });
    }
    await tx.$executeRaw`
      INSERT INTO prepaid_movements (id, balance_id, tenant_id, kind, amount_msat, balance_after_msat, description)
      VALUES (gen_random_uuid()::text, ${balance.id}, ${tenantId}, 'expiry', ${-row.forfeited}, ${row.after}, 'Expired: the rest is kept by the owner')`;
    return true;
  });
}
