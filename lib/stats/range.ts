// Stats are kept per UTC day (lib/stats/rollups.ts): a range given as instants is rounded
// out to whole days, so a query never has to look at the raw payments of a partial day.
const DAY_MS = 86_400_000;

/** Midnight UTC of the day `at` falls in. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** YYYY-MM-DD (UTC). */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** [fromDay, toDay) as YYYY-MM-DD, whole UTC days covering [from, to); undefined = open. */
export function dayRange(range: { from?: Date; to?: Date }): { fromDay?: string; toDay?: string } {
  return {
    fromDay: range.from ? utcDate(startOfUtcDay(range.from)) : undefined,
    // to is exclusive: a to at 00:00 ends the day before; anything later includes its day.
    toDay: range.to ? utcDate(startOfUtcDay(new Date(range.to.getTime() + DAY_MS - 1))) : undefined,
  };
}

/** The trend's windows: the last 7 UTC days (today included) and the 7 before. */
export function trendWindows(now: Date) {
  const tomorrow = addDays(startOfUtcDay(now), 1);
  return {
    currentFrom: utcDate(addDays(tomorrow, -7)),
    currentTo: utcDate(tomorrow),
    previousFrom: utcDate(addDays(tomorrow, -14)),
  };
}
