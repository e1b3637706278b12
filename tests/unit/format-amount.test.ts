import { describe, expect, it } from "vitest";
import { chartDays } from "../../lib/dashboard/chart-days";
import { formatAmount, satsToMsat } from "../../lib/format/amount";

describe("formatAmount: sats, msat and BTC from millisatoshis, exactly", () => {
  it("shows sats with up to three decimals (a 0.3% fee on 21 sats is 63 msat)", () => {
    expect(formatAmount(21_000n)).toBe("21 sats");
    expect(formatAmount("63")).toBe("0.063 sats");
    expect(formatAmount(20_937n)).toBe("20.937 sats");
    expect(formatAmount(1_000n)).toBe("1 sat");
    expect(formatAmount(0n)).toBe("0 sats");
    expect(formatAmount(123_456_789_000n)).toBe("123,456,789 sats");
    expect(formatAmount(-5_500n)).toBe("-5.5 sats");
  });

  it("shows msat whole and BTC with at least 8 decimals, 11 when msat need them", () => {
    expect(formatAmount(21_000n, "msat")).toBe("21,000 msat");
    expect(formatAmount(21_000n, "btc")).toBe("0.00000021 BTC");
    expect(formatAmount(63n, "btc")).toBe("0.00000000063 BTC");
    expect(formatAmount(100_000_000_000n, "btc")).toBe("1.00000000 BTC");
    // Beyond what a double holds exactly: 21M BTC plus one msat.
    expect(formatAmount(2_100_000_000_000_000_001n, "btc")).toBe("21,000,000.00000000001 BTC");
    expect(formatAmount(2_100_000_000_000_000_001n, "msat")).toBe("2,100,000,000,000,000,001 msat");
  });

  it("satsToMsat takes the stats' fractional sats back to msat", () => {
    expect(satsToMsat(0.063)).toBe(63n);
    expect(satsToMsat(62.811)).toBe(62_811n);
  });
});

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
});
