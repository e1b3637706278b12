// The overview's per-day charts: a range of whole UTC days, every day present (days with no
// payments are zeros, so the chart's gaps are real gaps, not missing bars).
import type { DayTotals } from "../stats/types";

export const CHART_RANGES = ["7d", "30d", "90d", "all"] as const;
export type ChartRange = (typeof CHART_RANGES)[number];

const DAY_MS = 86_400_000;
const RANGE_DAYS: Record<Exclude<ChartRange, "all">, number> = { "7d": 7, "30d": 30, "90d": 90 };

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Days of `range` ending `today` (YYYY-MM-DD, UTC), oldest first; "all" starts at the first day with payments (at least 7 days). */
export function chartDays(byDay: readonly DayTotals[], range: ChartRange, today: string): DayTotals[] {
  const last = dayNumber(today);
  const firstWithData = byDay.length > 0 ? dayNumber(byDay[0].date) : last;
  const first = range === "all" ? Math.min(firstWithData, last - 6) : last - RANGE_DAYS[range] + 1;
  const byDate = new Map(byDay.map((d) => [d.date, d]));
  const days: DayTotals[] = [];
  for (let day = first; day <= last; day++) {
    const date = dateOf(day);
    const found = byDate.get(date);
    days.push({ date, count: found?.count ?? 0, sats: found?.sats ?? 0 });
  }
  return days;
}
