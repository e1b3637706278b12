// An export is read as consecutive time windows of about one chunk of payments each, planned
// from the rollups' per-day counts (no scan), so two windows can be read at once: the
// per-row lookups of one window's query run in one Postgres backend while the next window's
// run in another. The windows cover the whole range without gaps (empty days and the ends
// go into their neighbours), so a payment is exported even if the counts were off; they
// only size the windows.
import { Prisma } from "../db/generated/client";
import type { Db } from "../db/client";
import { addDays } from "./range";
import { queryRows } from "./sql";
import type { PaymentFilters } from "./types";

export interface TimeWindow {
  /** Inclusive; undefined: from the beginning (or the filters' from). */
  from?: Date;
  /** Exclusive; undefined: to the end (or the filters' to). */
  to?: Date;
}

const later = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: Date | undefined, b: Date | undefined) => (!a ? b : !b ? a : a < b ? a : b);

/** Windows in the export's order (newest first unless sort is "oldest"). */
export async function exportWindows(db: Db, filters: PaymentFilters, rowsPerWindow: number): Promise<TimeWindow[]> {
  // A hash is one payment; a status filter keeps too few rows for the counts to mean much.
  if (filters.paymentHash) return [{ from: filters.from, to: filters.to }];
  const days = await queryRows<{ day: string; payments: number }>(
    db,
    Prisma.sql`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, SUM(payments)::int AS payments FROM stats_daily
      WHERE tenant_id = ${filters.tenantId} AND mode = ${filters.mode}::"KeyMode" AND payments > 0
        ${filters.endpoint ? Prisma.sql`AND endpoint = ${filters.endpoint}` : Prisma.empty}
      GROUP BY day ORDER BY day DESC`,
  );
  // Cut points, newest first: a window closes once it holds rowsPerWindow payments; a day
  // with more is cut into equal slices of time.
  const cuts: Date[] = [];
  let held = 0;
  for (const { day, payments } of days) {
    const start = new Date(`${day}T00:00:00Z`);
    if (held + payments <= rowsPerWindow) {
      held += payments;
      continue;
    }
    if (held > 0) cuts.push(addDays(start, 1));
    const slices = Math.ceil(payments / rowsPerWindow);
    for (let slice = slices - 1; slice >= 1; slice--) cuts.push(new Date(start.getTime() + (slice * 86_400_000) / slices));
    held = payments - Math.floor((payments * (slices - 1)) / slices);
  }
  const windows: TimeWindow[] = [];
  let upper: Date | undefined;
  for (const cut of cuts) {
    windows.push({ from: cut, to: upper });
    upper = cut;
  }
  windows.push({ from: undefined, to: upper });
  // Within the filters' own range; windows entirely outside it are dropped.
  const bounded = windows
    .map((w) => ({ from: later(w.from, filters.from), to: earlier(w.to, filters.to) }))
    .filter((w) => !w.from || !w.to || w.from < w.to);
  return filters.sort === "oldest" ? bounded.reverse() : bounded;
}
