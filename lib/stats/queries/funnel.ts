// The funnel per endpoint: challenges issued (invoices) → paid (settled) → redeemed (the
// token was used at least once), so an owner can see whether a price scares callers away.
import type { Db } from "../../db/client";
import { dayRange } from "../range";
import type { DateRange, FunnelRow, Scope } from "../types";

export async function getFunnel(db: Db, query: Scope & DateRange): Promise<FunnelRow[]> {
  const { fromDay, toDay } = dayRange(query);
  const from = fromDay ? `${fromDay}T00:00:00Z` : null;
  const to = toDay ? `${toDay}T00:00:00Z` : null;
  const rows = await db.$queryRaw<{ endpoint: string; challenges: number; paid: number; redeemed: number }[]>`
    SELECT t.endpoint_label AS endpoint, count(*)::int AS challenges,
      (count(*) FILTER (WHERE i.state = 'paid'))::int AS paid,
      (count(*) FILTER (WHERE i.state = 'paid' AND t.redemption_count > 0))::int AS redeemed
    FROM invoices i JOIN l402_tokens t ON t.payment_hash = i.payment_hash
    WHERE i.tenant_id = ${query.tenantId} AND i.mode = ${query.mode}::"KeyMode"
      AND (${from}::timestamptz IS NULL OR i.created_at >= ${from}::timestamptz)
      AND (${to}::timestamptz IS NULL OR i.created_at < ${to}::timestamptz)
    GROUP BY t.endpoint_label ORDER BY challenges DESC, endpoint`;
  return rows;
}
