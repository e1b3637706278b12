// A settled payment is its settlement journal entry (settle:<paymentHash>): the amounts are
// its postings (holdings +amount, the owner's available -net, fees -fee), the endpoint is the
// token's label. Every list, page and export of payments reads them through this one query.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { accounts } from "../../ledger/accounts";
import { isoSql, queryRows } from "../sql";
import type { KeyMode, PaymentRow, PaymentSort, Scope } from "../types";

export interface RawPaymentRow {
  entry_id: string;
  payment_hash: string;
  endpoint: string;
  amount_msat: string;
  fee_msat: string;
  net_msat: string;
  /** ISO 8601 (UTC, ms): formatted by Postgres, so a million rows are not parsed into Dates. */
  settled_at: string;
  mode: KeyMode;
  redeemed: boolean;
  failed_calls: number;
}

/** SELECT … FROM the scope's settlement entries; the caller adds AND … conditions, order, limit. */
export function paymentRowsSql(scope: Scope, where: Prisma.Sql[], tail: Prisma.Sql): Prisma.Sql {
  const fees = accounts.platformFees(scope.mode).id;
  const available = accounts.tenantAvailable(scope.mode, scope.tenantId).id;
  const conditions = where.length ? Prisma.sql` AND ${Prisma.join(where, " AND ")}` : Prisma.empty;
  return Prisma.sql`
    SELECT je.id AS entry_id, je.payment_hash, COALESCE(t.endpoint_label, 'unknown') AS endpoint,
      amounts.amount_msat::text AS amount_msat, amounts.fee_msat::text AS fee_msat, amounts.net_msat::text AS net_msat,
      ${Prisma.raw(isoSql("je.created_at"))} AS settled_at, je.mode::text AS mode, COALESCE(t.redemption_count, 0) > 0 AS redeemed,
      (SELECT count(*) FROM failed_calls f WHERE f.payment_hash = je.payment_hash)::int AS failed_calls
    FROM journal_entries je
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM(p.amount_msat) FILTER (WHERE p.amount_msat > 0), 0) AS amount_msat,
        COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${fees}), 0) AS fee_msat,
        COALESCE(-SUM(p.amount_msat) FILTER (WHERE p.account_id = ${available}), 0) AS net_msat
      FROM postings p WHERE p.entry_id = je.id AND p.mode = je.mode
    ) amounts
    LEFT JOIN l402_tokens t ON t.payment_hash = je.payment_hash AND t.tenant_id = je.tenant_id
    WHERE je.tenant_id = ${scope.tenantId} AND je.mode = ${scope.mode}::"KeyMode" AND je.kind = 'settlement'${conditions}
    ${tail}`;
}

export function toPaymentRow(row: RawPaymentRow): PaymentRow {
  return {
    paymentHash: row.payment_hash,
    endpoint: row.endpoint,
    amountSats: Number(BigInt(row.amount_msat) / 1000n),
    amountMsat: row.amount_msat,
    feeMsat: row.fee_msat,
    netMsat: row.net_msat,
    settledAt: row.settled_at,
    mode: row.mode,
    redeemed: row.redeemed,
    failedCalls: row.failed_calls,
  };
}

export const orderSql = (sort: PaymentSort = "newest") =>
  sort === "oldest" ? Prisma.sql`ORDER BY je.created_at ASC, je.id ASC` : Prisma.sql`ORDER BY je.created_at DESC, je.id DESC`;

export async function queryPaymentRows(db: Db, sql: Prisma.Sql): Promise<RawPaymentRow[]> {
  return queryRows<RawPaymentRow>(db, sql);
}
