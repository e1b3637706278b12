// Times on the dashboard: UTC, spelled the same on the server and in the browser (no
// hydration mismatch from the viewer's time zone), e.g. "Dec 1, 17:03:05 UTC".
export function utcTime(iso: string | Date): string {
  const date = typeof iso === "string" ? new Date(iso) : iso;
  return `${date.toLocaleString("en-US", { timeZone: "UTC", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })} UTC`;
}
