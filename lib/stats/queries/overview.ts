// The overview's numbers: totals, fee and net, the 7-day trend, per endpoint and per day,
// and the 20 most recent payments, all from the scope's settlement entries.
import { Prisma } from "../../db/generated/client";
import type { Db } from "../../db/client";
import { msat, msatToSats } from "../money";
import { dayRange, trendWindows } from "../range";
import type { OverviewQuery, OverviewStats } from "../types";
import { orderSql, paymentRowsSql, queryPaymentRows, toPaymentRow } from "./payment-rows";

interface DayEndpointRow {
  day: string;
  endpoint: string;
  payments: number;
  amount_msat: string;
  fee_msat: string;
  net_msat: string;
}

export async function getOverviewStats(db: Db, query: OverviewQuery): Promise<OverviewStats> {
  const { fromDay, toDay } = dayRange(query);
  const trend = trendWindows(query.now ?? new Date());
  const [days, trendRows, recentRows] = await Promise.all([
    dailyTotals(db, query, fromDay, toDay),
    dailyTotals(db, query, trend.previousFrom, trend.currentTo),
    queryPaymentRows(db, paymentRowsSql(query, rangeSql(fromDay, toDay), Prisma.sql`${orderSql("newest")} LIMIT 20`)),
  ]);

  let totalPayments = 0;
  let amountMsat = 0n;
  let feeMsat = 0n;
  let netMsat = 0n;
  const byEndpoint: OverviewStats["byEndpoint"] = {};
  const byDay = new Map<string, { count: number; msat: bigint }>();
  for (const row of days) {
    const amount = msat(row.amount_msat);
    totalPayments += row.payments;
    amountMsat += amount;
    feeMsat += msat(row.fee_msat);
    netMsat += msat(row.net_msat);
    const endpoint = (byEndpoint[row.endpoint] ??= { count: 0, sats: 0 });
    endpoint.count += row.payments;
    endpoint.sats += msatToSats(amount);
    const day = byDay.get(row.day) ?? { count: 0, msat: 0n };
    byDay.set(row.day, { count: day.count + row.payments, msat: day.msat + amount });
  }

  const windowTotals = (from: string, to: string) => {
    const inWindow = trendRows.filter((row) => row.day >= from && row.day < to);
    return {
      count: inWindow.reduce((sum, row) => sum + row.payments, 0),
      sats: msatToSats(inWindow.reduce((sum, row) => sum + msat(row.amount_msat), 0n)),
    };
  };
  const current = windowTotals(trend.currentFrom, trend.currentTo);
  const previous = windowTotals(trend.previousFrom, trend.currentFrom);

  return {
    totalPayments,
    totalSats: msatToSats(amountMsat),
    platformFeeSats: msatToSats(feeMsat),
    netSats: msatToSats(netMsat),
    totalMsat: amountMsat.toString(),
    platformFeeMsat: feeMsat.toString(),
    netMsat: netMsat.toString(),
    trend: { payments7d: current.count, payments7dPrev: previous.count, sats7d: current.sats, sats7dPrev: previous.sats },
    byEndpoint,
    byDay: [...byDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, totals]) => ({ date, count: totals.count, sats: msatToSats(totals.msat) })),
    recent: recentRows.map(toPaymentRow),
  };
}

function rangeSql(fromDay?: string, toDay?: string): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (fromDay) where.push(Prisma.sql`je.created_at >= ${`${fromDay}T00:00:00Z`}::timestamptz`);
  if (toDay) where.push(Prisma.sql`je.created_at < ${`${toDay}T00:00:00Z`}::timestamptz`);
  return where;
}

/** Payments, amount, fee and net per UTC day and endpoint, days in [fromDay, toDay). */
async function dailyTotals(db: Db, query: OverviewQuery, fromDay?: string, toDay?: string): Promise<DayEndpointRow[]> {
  const rows = await queryPaymentRows(db, paymentRowsSql(query, rangeSql(fromDay, toDay), Prisma.empty));
  const grouped = new Map<string, DayEndpointRow>();
  for (const row of rows) {
    const day = row.settled_at.toISOString().slice(0, 10);
    const key = `${day} ${row.endpoint}`;
    const into = grouped.get(key) ?? { day, endpoint: row.endpoint, payments: 0, amount_msat: "0", fee_msat: "0", net_msat: "0" };
    into.payments += 1;
    into.amount_msat = (BigInt(into.amount_msat) + BigInt(row.amount_msat)).toString();
    into.fee_msat = (BigInt(into.fee_msat) + BigInt(row.fee_msat)).toString();
    into.net_msat = (BigInt(into.net_msat) + BigInt(row.net_msat)).toString();
    grouped.set(key, into);
  }
  return [...grouped.values()];
}
