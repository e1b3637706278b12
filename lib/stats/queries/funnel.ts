// The funnel per endpoint: challenges issued (invoices) → paid (settled) → redeemed (the
// token was used at least once), so an owner can see whether a price scares callers away.
// From the rollups, each counted on the UTC day it happened (lib/stats/rollups.ts): the
// challenge counts survive the purge of unpaid invoices.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { dayRange } from "../range";
import { queryRows } from "../sql";
import type { DateRange, FunnelRow, Scope } from "../types";

export async function getFunnel(db: Db, query: Scope & DateRange): Promise<FunnelRow[]> {
  const { fromDay, toDay } = dayRange(query);
  return queryRows<FunnelRow>(
    db,
    Prisma.sql`
    SELECT endpoint, SUM(challenges)::int AS challenges, SUM(payments)::int AS paid, SUM(redeemed)::int AS redeemed
    FROM stats_daily
    WHERE tenant_id = ${query.tenantId} AND mode = ${query.mode}::"KeyMode"
      AND day >= COALESCE(${fromDay ?? null}::date, '-infinity'::date) AND day < COALESCE(${toDay ?? null}::date, 'infinity'::date)
    GROUP BY endpoint ORDER BY challenges DESC, endpoint`,
  );
}
