// The payments list: the scope's settlement entries, filtered, newest (or oldest) first,
// keyset-paginated on (settled at, entry id) along the journal's (tenant, mode, time) index.
// The export (lib/stats/export.ts) walks the same pages, bigger.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { decodeCursor, encodeCursor, type KeysetPosition } from "../cursor";
import type { Page, PaymentFilters, PaymentListQuery, PaymentRow } from "../types";
import { orderSql, paymentRowsSql, queryPaymentRows, toPaymentRow, type RawPaymentRow } from "./payment-rows";

export { toPaymentRow, type RawPaymentRow };

export const MAX_PAGE_SIZE = 100;

/** The WHERE conditions of the filters. */
export function paymentFilterSql(filters: PaymentFilters): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.from) where.push(Prisma.sql`je.created_at >= ${filters.from}`);
  if (filters.to) where.push(Prisma.sql`je.created_at < ${filters.to}`);
  if (filters.paymentHash) {
    const hash = filters.paymentHash.toLowerCase();
    // A whole hash is its entry's idempotency key (unique index); a prefix is a LIKE.
    where.push(hash.length === 64 ? Prisma.sql`je.idempotency_key = ${`settle:${hash}`}` : Prisma.sql`je.payment_hash LIKE ${`${hash}%`}`);
  }
  if (filters.endpoint) where.push(Prisma.sql`t.endpoint_label = ${filters.endpoint}`);
  if (filters.status === "redeemed") where.push(Prisma.sql`t.redemption_count > 0`);
  if (filters.status === "unredeemed") where.push(Prisma.sql`COALESCE(t.redemption_count, 0) = 0`);
  if (filters.status === "failed") where.push(Prisma.sql`EXISTS (SELECT 1 FROM failed_calls f WHERE f.payment_hash = je.payment_hash)`);
  return where;
}

/** One page's SQL: `limit` rows after `after` in the filters' order (null: all of them). */
export function paymentPageSql(filters: PaymentFilters, after: KeysetPosition | undefined, limit: number | null): Prisma.Sql {
  const where = paymentFilterSql(filters);
  if (after) {
    where.push(
      filters.sort === "oldest"
        ? Prisma.sql`(je.created_at, je.id) > (${after.at}, ${after.id})`
        : Prisma.sql`(je.created_at, je.id) < (${after.at}, ${after.id})`,
    );
  }
  return paymentRowsSql(filters, where, Prisma.sql`${orderSql(filters.sort)} ${limitSql(limit)}`);
}

export const limitSql = (limit: number | null) => (limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`);

const positionOf = (row: RawPaymentRow): KeysetPosition => ({ at: new Date(row.settled_at), id: row.entry_id });

export async function listPayments(db: Db, query: PaymentListQuery): Promise<Page<PaymentRow>> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE_SIZE);
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const rows = await queryPaymentRows(db, paymentPageSql(query, after, limit + 1));
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return { data: page.map(toPaymentRow), hasMore, nextCursor: hasMore && last ? encodeCursor(positionOf(last)) : null };
}
