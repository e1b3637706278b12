import { describe, expect, it } from "vitest";
import { formatMsat } from "../../lib/format/amount";

describe("formatMsat", () => {
  it("shows sats, exact to the msat", () => {
    expect(formatMsat(10_000n)).toBe("10 sats");
    expect(formatMsat("99700")).toBe("99.7 sats");
    expect(formatMsat(300n)).toBe("0.3 sats");
    expect(formatMsat(1n)).toBe("0.001 sats");
    expect(formatMsat(1_234_567_000n)).toBe("1,234,567 sats");
    expect(formatMsat(0n)).toBe("0 sats");
  });

  it("shows msat and BTC", () => {
    expect(formatMsat(99_700n, "msat")).toBe("99,700 msat");
    expect(formatMsat(10_000n, "btc")).toBe("0.00000010 BTC");
    expect(formatMsat(99_700n, "btc")).toBe("0.000000997 BTC");
    expect(formatMsat(1n, "btc")).toBe("0.00000000001 BTC");
    expect(formatMsat(250_000_000_000n, "btc")).toBe("2.50000000 BTC");
  });

  it("signs movements", () => {
    expect(formatMsat(-500_000n)).toBe("−500 sats");
    expect(formatMsat(99_700n, "sats", { signed: true })).toBe("+99.7 sats");
    expect(formatMsat(0n, "sats", { signed: true })).toBe("0 sats");
    expect(formatMsat(-1n, "msat")).toBe("−1 msat");
  });

  it("handles amounts past Number's exact range", () => {
    expect(formatMsat(2_100_000_000_000_000_001n, "msat")).toBe("2,100,000,000,000,000,001 msat");
  });
});
