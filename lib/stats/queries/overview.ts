// The overview's numbers: totals, fee and net, the 7-day trend, per endpoint and per day
// (from the rollups, grouped in Postgres: a few hundred rows whatever the traffic), and the
// 20 most recent payments (the journal's index, newest first).
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { msat, msatToSats } from "../money";
import { dayRange, trendWindows } from "../range";
import { queryRows } from "../sql";
import type { OverviewQuery, OverviewStats, Scope } from "../types";
import { paymentPageSql, toPaymentRow, type RawPaymentRow } from "./payments";

interface GroupRow {
  /** 0: a (day) group, 1: an (endpoint) group, 2: the grand total. */
  level: number;
  day: string | null;
  endpoint: string | null;
  payments: number;
  amount_msat: string | null;
  fee_msat: string | null;
  net_msat: string | null;
}

interface TrendRow {
  payments_7d: number;
  payments_prev: number;
  msat_7d: string | null;
  msat_prev: string | null;
}

/** SQL: the scope's rollup rows with days in [fromDay, toDay) (either end open). */
function rollupWhere(scope: Scope, fromDay?: string, toDay?: string): Prisma.Sql {
  return Prisma.sql`tenant_id = ${scope.tenantId} AND mode = ${scope.mode}::"KeyMode"
    AND day >= COALESCE(${fromDay ?? null}::date, '-infinity'::date) AND day < COALESCE(${toDay ?? null}::date, 'infinity'::date)`;
}

export async function getOverviewStats(db: Db, query: OverviewQuery): Promise<OverviewStats> {
  const { fromDay, toDay } = dayRange(query);
  const trend = trendWindows(query.now ?? new Date());
  const [groups, [trendRow], recentRows] = await Promise.all([
    queryRows<GroupRow>(
      db,
      Prisma.sql`
        SELECT GROUPING(day, endpoint) - 1 AS level, to_char(day, 'YYYY-MM-DD') AS day, endpoint, SUM(payments)::int AS payments,
          SUM(amount_msat)::text AS amount_msat, SUM(fee_msat)::text AS fee_msat, SUM(net_msat)::text AS net_msat
        FROM stats_daily WHERE ${rollupWhere(query, fromDay, toDay)}
        GROUP BY GROUPING SETS ((day), (endpoint), ())
        HAVING SUM(payments) > 0 OR GROUPING(day, endpoint) = 3
        ORDER BY level, day, endpoint`,
    ),
    queryRows<TrendRow>(
      db,
      Prisma.sql`
        SELECT COALESCE(SUM(payments) FILTER (WHERE day >= ${trend.currentFrom}::date), 0)::int AS payments_7d,
          COALESCE(SUM(payments) FILTER (WHERE day < ${trend.currentFrom}::date), 0)::int AS payments_prev,
          SUM(amount_msat) FILTER (WHERE day >= ${trend.currentFrom}::date)::text AS msat_7d,
          SUM(amount_msat) FILTER (WHERE day < ${trend.currentFrom}::date)::text AS msat_prev
        FROM stats_daily WHERE ${rollupWhere(query, trend.previousFrom, trend.currentTo)}`,
    ),
    queryRows<RawPaymentRow>(db, paymentPageSql({ ...query, from: fromDate(fromDay), to: fromDate(toDay) }, undefined, 20)),
  ]);

  const total = groups.find((row) => row.level === 2);
  return {
    totalPayments: total?.payments ?? 0,
    totalSats: msatToSats(msat(total?.amount_msat)),
    platformFeeSats: msatToSats(msat(total?.fee_msat)),
    netSats: msatToSats(msat(total?.net_msat)),
    totalMsat: msat(total?.amount_msat).toString(),
    platformFeeMsat: msat(total?.fee_msat).toString(),
    netMsat: msat(total?.net_msat).toString(),
    trend: {
      payments7d: trendRow.payments_7d,
      payments7dPrev: trendRow.payments_prev,
      sats7d: msatToSats(msat(trendRow.msat_7d)),
      sats7dPrev: msatToSats(msat(trendRow.msat_prev)),
    },
    byEndpoint: Object.fromEntries(
      groups
        .filter((row) => row.level === 1)
        .map((row) => [row.endpoint ?? "unknown", { count: row.payments, sats: msatToSats(msat(row.amount_msat)) }]),
    ),
    byDay: groups
      .filter((row) => row.level === 0)
      .map((row) => ({ date: row.day ?? "", count: row.payments, sats: msatToSats(msat(row.amount_msat)) })),
    recent: recentRows.map(toPaymentRow),
  };
}

const fromDate = (day?: string) => (day ? new Date(`${day}T00:00:00Z`) : undefined);
