// Every movement of the owner's available balance, newest first, with the balance right
// after it: one row per journal entry that posts to the tenant's available account.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { decodeCursor, encodeCursor } from "../cursor";
import type { BalanceMovement, BalanceMovementKind, Page, Scope } from "../types";
import { MAX_PAGE_SIZE } from "./payments";

interface RawMovement {
  entry_id: string;
  kind: string;
  payment_hash: string | null;
  amount_msat: string;
  fee_msat: string;
  balance_msat: string;
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

export async function listBalanceHistory(db: Db, query: Scope & { cursor?: string; limit: number }): Promise<Page<BalanceMovement>> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE_SIZE);
  const available = accounts.tenantAvailable(query.mode, query.tenantId).id;
  const fees = accounts.platformFees(query.mode).id;
  const position = query.cursor ? decodeCursor(query.cursor) : undefined;
  const after = position ? Prisma.sql`WHERE (created_at, entry_id) < (${position.at}, ${position.id})` : Prisma.empty;
  const rows = await db.$queryRaw<RawMovement[]>`
    SELECT * FROM (
      SELECT je.id AS entry_id, je.kind, je.payment_hash, je.created_at, je.memo,
        (-p.amount_msat)::text AS amount_msat,
        COALESCE((SELECT -SUM(f.amount_msat) FROM postings f WHERE f.entry_id = je.id AND f.account_id = ${fees}), 0)::text AS fee_msat,
        (SUM(-p.amount_msat) OVER (ORDER BY je.created_at, je.id))::text AS balance_msat
      FROM postings p JOIN journal_entries je ON je.id = p.entry_id AND je.mode = p.mode
      WHERE p.account_id = ${available} AND p.mode = ${query.mode}::"KeyMode"
    ) movements ${after}
    ORDER BY created_at DESC, entry_id DESC LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return {
    data: page.map((row) => ({
      entryId: row.entry_id,
      kind: movementKind(row.kind, BigInt(row.amount_msat)),
      entryKind: row.kind,
      paymentHash: row.payment_hash,
      amountMsat: row.amount_msat,
      feeMsat: row.fee_msat,
      balanceMsat: row.balance_msat,
      createdAt: row.created_at.toISOString(),
      memo: row.memo,
    })),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor({ at: last.created_at, id: last.entry_id }) : null,
  };
}
