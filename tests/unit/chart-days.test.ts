import { describe, expect, it } from "vitest";
import { chartDays } from "../../lib/dashboard/chart-days";
import { satsToMsat } from "../../lib/stats/money";

describe("chartDays: every day of the range, zeros where nothing was paid", () => {
  const byDay = [
    { date: "2026-11-20", count: 2, sats: 20 },
    { date: "2026-11-30", count: 1, sats: 21 },
  ];
  it("7D/30D/90D end today and fill the gaps", () => {
    const week = chartDays(byDay, "7d", "2026-12-01");
    expect(week.map((d) => d.date)).toEqual([
      "2026-11-25",
      "2026-11-26",
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
    ]);
    expect(week.map((d) => d.count)).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(chartDays(byDay, "30d", "2026-12-01")).toHaveLength(30);
    expect(chartDays(byDay, "90d", "2026-12-01")).toHaveLength(90);
    expect(chartDays(byDay, "30d", "2026-12-01").find((d) => d.date === "2026-11-20")).toEqual({ date: "2026-11-20", count: 2, sats: 20 });
  });
  it("All starts at the first paid day (at least a week)", () => {
    const all = chartDays(byDay, "all", "2026-12-01");
    expect(all[0].date).toBe("2026-11-20");
    expect(all.at(-1)?.date).toBe("2026-12-01");
    expect(chartDays([], "all", "2026-12-01")).toHaveLength(7);
  });
  it("satsToMsat takes the stats' fractional sats back to msat", () => {
    expect(satsToMsat(0.063)).toBe(63n);
    expect(satsToMsat(62.811)).toBe(62_811n);
  });
});
