// Every movement of the owner's available balance, newest first, with the balance right
// after it: one row per journal entry of the tenant that posts to its available account,
// keyset-paginated along the journal's (tenant, mode, time) index. The balance after a
// page's first row comes from the rollups (payment nets per day), that day's settlements on
// the short side of the row, and the few other movements (payouts, reversals); the rest of
// the page follows by subtraction. A page costs the same at the first payment and the
// millionth.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { decodeCursor, encodeCursor, type KeysetPosition } from "../cursor";
import { msat } from "../money";
import { addDays, startOfUtcDay, utcDate } from "../range";
import { isoSql, queryRows } from "../sql";
import type { BalanceMovement, BalanceMovementKind, Page, Scope } from "../types";
import { availableBalanceSql, otherMovementsSql } from "./balance";
import { limitSql, MAX_PAGE_SIZE } from "./payments";

export interface RawMovement {
  entry_id: string;
  kind: string;
  payment_hash: string | null;
  amount_msat: string;
  fee_msat: string;
  /** ISO 8601, UTC. */
  created_at: string;
  memo: string | null;
}

/** What the owner calls the movement, from the journal entry's kind and direction. */
export function movementKind(entryKind: string, amountMsat: bigint): BalanceMovementKind {
  // A metered call's settled charge is a payment to the owner like any other.
  if (entryKind === "settlement" || entryKind === "prepaid_charge") return "payment";
  if (entryKind.startsWith("payout")) return amountMsat < 0n ? "payout" : "payout_returned";
  if (entryKind.includes("reversal")) return "reversal";
  return "adjustment";
}

/** The available balance right after the movement at `position`. */
export async function balanceAfter(db: Db, scope: Scope, position: KeysetPosition): Promise<bigint> {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const dayStart = startOfUtcDay(position.at);
  const nextDay = addDays(dayStart, 1);
  // Whichever side of the row within its day holds fewer settlements (by time of day):
  // the days before plus the day up to the row, or the days through this one minus the day
  // after the row.
  const early = position.at.getTime() - dayStart.getTime() < 43_200_000;
  const rollupDays = early ? Prisma.sql`day < ${utcDate(dayStart)}::date` : Prisma.sql`day <= ${utcDate(dayStart)}::date`;
  const partial = early
    ? Prisma.sql`je.created_at >= ${dayStart} AND (je.created_at, je.id) <= (${position.at}, ${position.id})`
    : Prisma.sql`je.created_at < ${nextDay} AND (je.created_at, je.id) > (${position.at}, ${position.id})`;
  const [row] = await queryRows<{ rollup: string | null; partial: string | null; other: string | null }>(
    db,
    Prisma.sql`
      SELECT
        (SELECT SUM(net_msat) FROM stats_daily WHERE tenant_id = ${scope.tenantId} AND mode = ${scope.mode}::"KeyMode" AND ${rollupDays})::text AS rollup,
        -- A correlated lookup per entry (the posting by entry id): the planner, left to join,
        -- hashes all of the account's postings.
        (SELECT -SUM((SELECT p.amount_msat FROM postings p WHERE p.entry_id = je.id AND p.account_id = ${available})) FROM journal_entries je
          WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" AND je.kind IN ('settlement', 'prepaid_charge') AND ${partial})::text AS partial,
        ${otherMovementsSql(scope, Prisma.sql`AND (je.created_at, je.id) <= (${position.at}, ${position.id})`)}::text AS other`,
  );
  const settled = early ? msat(row.rollup) + msat(row.partial) : msat(row.rollup) - msat(row.partial);
  return settled + msat(row.other);
}

/** One page of movements (newest first) after `after` (limit null: all of them). */
export function movementPageSql(scope: Scope, after: KeysetPosition | undefined, limit: number | null): Prisma.Sql {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const fees = accounts.platformFees(scope.mode).id;
  const before = after ? Prisma.sql`AND (je.created_at, je.id) < (${after.at}, ${after.id})` : Prisma.empty;
  return Prisma.sql`
    SELECT je.id AS entry_id, je.kind, je.payment_hash, ${Prisma.raw(isoSql("je.created_at"))} AS created_at, je.memo,
      (-p.amount_msat)::text AS amount_msat,
      COALESCE((SELECT -SUM(f.amount_msat) FROM postings f WHERE f.entry_id = je.id AND f.account_id = ${fees}), 0)::text AS fee_msat
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id AND p.account_id = ${available} AND p.mode = je.mode
    WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" ${before}
    ORDER BY je.created_at DESC, je.id DESC ${limitSql(limit)}`;
}

/** Every movement, newest first, each with the balance right after it, in one query (the
 *  export reads it through a cursor): the balance now, less what the newer movements added.
 *  One snapshot, so the running balance and the rows agree; the window runs along the index
 *  order, no sort. */
export function movementExportSql(scope: Scope): Prisma.Sql {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const fees = accounts.platformFees(scope.mode).id;
  return Prisma.sql`
    SELECT je.id AS entry_id, je.kind, je.payment_hash, ${Prisma.raw(isoSql("je.created_at"))} AS created_at, je.memo,
      (-p.amount_msat)::text AS amount_msat,
      COALESCE((SELECT -SUM(f.amount_msat) FROM postings f WHERE f.entry_id = je.id AND f.account_id = ${fees}), 0)::text AS fee_msat,
      (now_balance.msat - SUM(-p.amount_msat) OVER newer_first + (-p.amount_msat))::text AS balance_msat
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id AND p.account_id = ${available} AND p.mode = je.mode
      CROSS JOIN (SELECT ${availableBalanceSql(scope)} AS msat) now_balance
    WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode"
    WINDOW newer_first AS (ORDER BY je.created_at DESC, je.id DESC ROWS UNBOUNDED PRECEDING)
    ORDER BY je.created_at DESC, je.id DESC`;
}

export const movementPosition = (row: RawMovement): KeysetPosition => ({ at: new Date(row.created_at), id: row.entry_id });

export async function listBalanceHistory(db: Db, query: Scope & { cursor?: string; limit: number }): Promise<Page<BalanceMovement>> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE_SIZE);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await queryRows<RawMovement>(db, movementPageSql(query, after, limit + 1));
  const page = rows.slice(0, limit);
  let balance = page[0] ? await balanceAfter(db, query, movementPosition(page[0])) : 0n;
  const data = page.map((row) => {
    const amount = BigInt(row.amount_msat);
    const movement: BalanceMovement = {
      entryId: row.entry_id,
      kind: movementKind(row.kind, amount),
      entryKind: row.kind,
      paymentHash: row.payment_hash,
      amountMsat: row.amount_msat,
      feeMsat: row.fee_msat,
      balanceMsat: balance.toString(),
      createdAt: row.created_at,
      memo: row.memo,
    };
    balance -= amount;
    return movement;
  });
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(movementPosition(last)) : null };
}
