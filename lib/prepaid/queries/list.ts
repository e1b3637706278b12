// The owner's payer tokens (prepaid balances on their metered endpoints), one mode at a
// time: search by id or by the payment hash of any of its deposits, filter by status and
// endpoint, sort. Pages by an opaque offset cursor: the sorts are on values that change
// (balance, last used), which a keyset over them would skip or repeat rows on anyway.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { KeyMode } from "../../keys/api-keys";
import { isoSql, queryRows } from "../../stats/sql";
import { STATUS_SQL, type PayerTokenStatus } from "./status";

export const PAYER_TOKEN_SORTS = ["newest", "oldest", "balance", "last_used", "spent"] as const;
export type PayerTokenSort = (typeof PAYER_TOKEN_SORTS)[number];

export interface PayerTokenQuery {
  tenantId: string;
  mode: KeyMode;
  search?: string;
  status?: PayerTokenStatus;
  endpoint?: string;
  sort?: PayerTokenSort;
  cursor?: string;
  /** At most 100; all rows when 0 (the CSV export). */
  limit: number;
}

export interface PayerTokenRow {
  id: string;
  endpoint: string;
  status: PayerTokenStatus;
  balanceMsat: string;
  availableMsat: string;
  reservedMsat: string;
  depositedMsat: string;
  spentMsat: string;
  forfeitedMsat: string;
  charges: number;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

const ORDER: Record<PayerTokenSort, string> = {
  newest: "b.created_at DESC, b.id DESC",
  oldest: "b.created_at ASC, b.id ASC",
  balance: "b.available_msat + b.reserved_msat DESC, b.id",
  last_used: "b.last_used_at DESC NULLS LAST, b.id",
  spent: "b.spent_msat DESC, b.id",
};

export function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  const offset = Number(Buffer.from(cursor, "base64url").toString("utf8").replace(/^o:/, ""));
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError("invalid_request_error", "invalid_cursor", "This cursor is not valid: use next_cursor from the previous page.", {
      param: "cursor",
    });
  return offset;
}
const encodeOffset = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");

export async function listPayerTokens(db: Db, query: PayerTokenQuery) {
  const offset = decodeOffset(query.cursor);
  const conditions: Prisma.Sql[] = [Prisma.sql`b.tenant_id = ${query.tenantId}`, Prisma.sql`b.mode = ${query.mode}::"KeyMode"`];
  if (query.endpoint) conditions.push(Prisma.sql`b.endpoint_label = ${query.endpoint}`);
  const search = query.search?.trim().toLowerCase();
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, "\\$&")}%`;
    conditions.push(Prisma.sql`(b.id ILIKE ${like} OR EXISTS (SELECT 1 FROM invoices i
      WHERE i.prepaid_balance_id = b.id AND i.tenant_id = b.tenant_id AND i.payment_hash LIKE ${`${search.replace(/[^0-9a-f]/g, "")}%`}))`);
  }
  const status = query.status ? Prisma.sql`WHERE status = ${query.status}` : Prisma.empty;
  const limit = query.limit > 0 ? Prisma.sql`LIMIT ${query.limit + 1} OFFSET ${offset}` : Prisma.empty;
  const rows = await queryRows<PayerTokenRow>(
    db,
    Prisma.sql`SELECT * FROM (
      SELECT b.id, b.endpoint_label AS endpoint, ${Prisma.raw(STATUS_SQL)} AS status,
        (b.available_msat + b.reserved_msat)::text AS "balanceMsat", b.available_msat::text AS "availableMsat",
        b.reserved_msat::text AS "reservedMsat", b.deposited_msat::text AS "depositedMsat", b.spent_msat::text AS "spentMsat",
        b.forfeited_msat::text AS "forfeitedMsat", b.charges,
        ${Prisma.raw(isoSql("b.created_at"))} AS "createdAt", ${Prisma.raw(isoSql("b.last_used_at"))} AS "lastUsedAt",
        ${Prisma.raw(isoSql("b.expires_at"))} AS "expiresAt"
      FROM prepaid_balances b WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY ${Prisma.raw(ORDER[query.sort ?? "newest"])}
    ) b ${status} ${limit}`,
  );
  const hasMore = query.limit > 0 && rows.length > query.limit;
  const data = hasMore ? rows.slice(0, query.limit) : rows;
  return { data, hasMore, nextCursor: hasMore ? encodeOffset(offset + query.limit) : null };
}

/** Outstanding prepaid balances (what payers may still spend) and settled charges, one mode. */
export async function prepaidSummary(db: Db, tenantId: string, mode: KeyMode) {
  const [row] = await queryRows<{
    balances: number;
    active: number;
    outstanding: string;
    deposited: string;
    spent: string;
    charges: number;
    forfeited: string;
  }>(
    db,
    Prisma.sql`SELECT count(*)::int AS balances,
        (count(*) FILTER (WHERE b.disabled_at IS NULL AND b.expired_at IS NULL))::int AS active,
        COALESCE(SUM(b.available_msat + b.reserved_msat), 0)::text AS outstanding,
        COALESCE(SUM(b.deposited_msat), 0)::text AS deposited, COALESCE(SUM(b.spent_msat), 0)::text AS spent,
        COALESCE(SUM(b.charges), 0)::int AS charges, COALESCE(SUM(b.forfeited_msat), 0)::text AS forfeited
      FROM prepaid_balances b WHERE b.tenant_id = ${tenantId} AND b.mode = ${mode}::"KeyMode"`,
  );
  return {
    balances: row.balances,
    activeBalances: row.active,
    outstandingMsat: row.outstanding,
    depositedMsat: row.deposited,
    chargesMsat: row.spent,
    charges: row.charges,
    forfeitedMsat: row.forfeited,
  };
}
