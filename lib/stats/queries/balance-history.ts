// Every movement of the owner's available balance, newest first, with the balance right
// after it: one row per journal entry of the tenant that posts to its available account,
// keyset-paginated along the journal's (tenant, mode, time) index. The balance after a
// page's first row is the rollups' payment nets before its day, plus that day's settlements
// up to it, plus the other movements (payouts, reversals) up to it; the rest of the page
// follows by subtraction. So a page costs the same at the first payment and the millionth.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { decodeCursor, encodeCursor, type KeysetPosition } from "../cursor";
import { msat } from "../money";
import { startOfUtcDay, utcDate } from "../range";
import type { BalanceMovement, BalanceMovementKind, Page, Scope } from "../types";
import { otherMovementsSql } from "./balance";
import { MAX_PAGE_SIZE } from "./payments";

export interface RawMovement {
  entry_id: string;
  kind: string;
  payment_hash: string | null;
  amount_msat: string;
  fee_msat: string;
  created_at: Date;
  memo: string | null;
}

/** What the owner calls the movement, from the journal entry's kind and direction. */
export function movementKind(entryKind: string, amountMsat: bigint): BalanceMovementKind {
  if (entryKind === "settlement") return "payment";
  if (entryKind.startsWith("payout")) return amountMsat < 0n ? "payout" : "payout_returned";
  if (entryKind.includes("reversal")) return "reversal";
  return "adjustment";
}

/** The available balance right after the movement at `position`. */
export async function balanceAfter(db: Db, scope: Scope, position: KeysetPosition): Promise<bigint> {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const day = startOfUtcDay(position.at);
  const upTo = Prisma.sql`AND (je.created_at, je.id) <= (${position.at}, ${position.id})`;
  const [row] = await db.$queryRaw<{ before_day: string | null; that_day: string | null; other: string | null }[]>`
    SELECT
      (SELECT SUM(net_msat) FROM stats_daily WHERE tenant_id = ${scope.tenantId} AND mode = ${scope.mode}::"KeyMode"
        AND day < ${utcDate(day)}::date)::text AS before_day,
      (SELECT -SUM(p.amount_msat) FROM journal_entries je
        JOIN postings p ON p.entry_id = je.id AND p.account_id = ${available} AND p.mode = je.mode
        WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" AND je.kind = 'settlement'
          AND je.created_at >= ${day} ${upTo})::text AS that_day,
      ${otherMovementsSql(scope, upTo)}::text AS other`;
  return msat(row.before_day) + msat(row.that_day) + msat(row.other);
}

/** One page of movements (newest first) after `after`. */
export function movementPageSql(scope: Scope, after: KeysetPosition | undefined, limit: number): Prisma.Sql {
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const fees = accounts.platformFees(scope.mode).id;
  const before = after ? Prisma.sql`AND (je.created_at, je.id) < (${after.at}, ${after.id})` : Prisma.empty;
  return Prisma.sql`
    SELECT je.id AS entry_id, je.kind, je.payment_hash, je.created_at, je.memo, (-p.amount_msat)::text AS amount_msat,
      COALESCE((SELECT -SUM(f.amount_msat) FROM postings f WHERE f.entry_id = je.id AND f.account_id = ${fees}), 0)::text AS fee_msat
    FROM journal_entries je JOIN postings p ON p.entry_id = je.id AND p.account_id = ${available} AND p.mode = je.mode
    WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" ${before}
    ORDER BY je.created_at DESC, je.id DESC LIMIT ${limit}`;
}

export async function listBalanceHistory(db: Db, query: Scope & { cursor?: string; limit: number }): Promise<Page<BalanceMovement>> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE_SIZE);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await db.$queryRaw<RawMovement[]>(movementPageSql(query, after, limit + 1));
  const page = rows.slice(0, limit);
  let balance = page[0] ? await balanceAfter(db, query, { at: page[0].created_at, id: page[0].entry_id }) : 0n;
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
      createdAt: row.created_at.toISOString(),
      memo: row.memo,
    };
    balance -= amount;
    return movement;
  });
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor({ at: last.created_at, id: last.entry_id }) : null };
}
