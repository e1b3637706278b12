// Times as the dashboard shows them: UTC, to the minute (the same on every screen and in
// every export), and durations in the largest whole unit.

/** 2026-12-01 14:03 UTC */
export function formatUtc(date: Date | null | undefined, empty = "—"): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : empty;
}

/** 3600 → "1 h", 90 → "90 s", 2_592_000 → "30 d". */
export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "3 min ago", "in 2 h": how far `date` is from `now`, roughly. */
export function formatRelative(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [abs, "s"]
      : abs < 3600
        ? [Math.round(abs / 60), "min"]
        : abs < 86_400
          ? [Math.round(abs / 3600), "h"]
          : [Math.round(abs / 86_400), "d"];
  return seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}
