// One payer token: its balance, its history (deposit, top-ups, usage with the handler's
// description, expiry) with the running balance, and its usage per UTC day for the chart.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import type { KeyMode } from "../../keys/api-keys";
import { isoSql, queryRows } from "../../stats/sql";
import { listPayerTokens, type PayerTokenRow } from "./list";

export interface PrepaidMovementRow {
  id: string;
  kind: "deposit" | "top_up" | "usage" | "expiry";
  amountMsat: string;
  balanceAfterMsat: string;
  description: string | null;
  paymentHash: string | null;
  createdAt: string;
}

/** Newest first; the history of a balance is short next to a payments list (one row a call). */
const HISTORY_LIMIT = 500;

/** `historyLimit` 0: the whole history (the CSV). */
export async function getPayerToken(db: Db, scope: { tenantId: string; mode: KeyMode }, id: string, historyLimit = HISTORY_LIMIT) {
  const owned = await db.prepaidBalance.findFirst({ where: { id, tenantId: scope.tenantId, mode: scope.mode }, select: { id: true } });
  if (!owned) return null;
  const [{ data }, history, usageByDay] = await Promise.all([
    listPayerTokens(db, { ...scope, limit: 0, search: id }),
    queryRows<PrepaidMovementRow>(
      db,
      Prisma.sql`SELECT id, kind, amount_msat::text AS "amountMsat", balance_after_msat::text AS "balanceAfterMsat", description,
          payment_hash AS "paymentHash", ${Prisma.raw(isoSql("created_at"))} AS "createdAt"
        FROM prepaid_movements WHERE balance_id = ${id} AND tenant_id = ${scope.tenantId}
        ORDER BY created_at DESC, id DESC LIMIT ${historyLimit || null}`,
    ),
    queryRows<{ day: string; spentMsat: string; calls: number }>(
      db,
      Prisma.sql`SELECT to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day,
          (-SUM(amount_msat))::text AS "spentMsat", count(*)::int AS calls
        FROM prepaid_movements WHERE balance_id = ${id} AND tenant_id = ${scope.tenantId} AND kind = 'usage'
        GROUP BY 1 ORDER BY 1`,
    ),
  ]);
  const token = data.find((row) => row.id === id) as PayerTokenRow;
  return { token, history, usageByDay, historyTruncated: historyLimit > 0 && history.length === historyLimit };
}
