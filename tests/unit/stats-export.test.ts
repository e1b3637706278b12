// Issue 8, item 6: export cells a spreadsheet would run as a formula are neutralised, and
// amounts are exact (sats as decimals of msat, never floats).
import { describe, expect, it } from "vitest";
import { paymentCsvLine, PAYMENT_CSV_HEADER } from "../../lib/stats/export";
import { msatToSatsText } from "../../lib/stats/money";
import type { PaymentRow } from "../../lib/stats/types";

const row = (endpoint: string): PaymentRow => ({
  paymentHash: "ab".repeat(32),
  endpoint,
  amountSats: 100,
  amountMsat: "100000",
  feeMsat: "300",
  netMsat: "99700",
  settledAt: "2026-12-01T10:00:00.000Z",
  mode: "test",
  redeemed: true,
  failedCalls: 0,
});

describe("payment CSV", () => {
  it("neutralises cells starting with = + - @ tab or CR", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      const line = paymentCsvLine(row(`${start}HYPERLINK("http://evil","x")`));
      const endpointCell = line.split(",")[2];
      expect(endpointCell.startsWith(`"'${start}`) || endpointCell.startsWith(`'${start}`), JSON.stringify(endpointCell)).toBe(true);
    }
    // Quotes and commas are escaped, not split into columns.
    const line = paymentCsvLine(row('=SUM(A1,"b")'));
    expect(line).toContain(`"'=SUM(A1,""b"")"`);
    expect(line.endsWith("\r\n")).toBe(true);
  });

  it("one cell per header column, amounts exact in sats and msat", () => {
    const cells = paymentCsvLine(row("GET /premium")).trimEnd().split(",");
    expect(cells).toHaveLength(PAYMENT_CSV_HEADER.length);
    expect(cells).toEqual([
      "ab".repeat(32),
      "2026-12-01T10:00:00.000Z",
      "GET /premium",
      "test",
      "100",
      "100000",
      "0.3",
      "300",
      "99.7",
      "99700",
      "true",
      "0",
    ]);
  });

  it("msat to sats text is exact", () => {
    expect(msatToSatsText(0n)).toBe("0");
    expect(msatToSatsText(1n)).toBe("0.001");
    expect(msatToSatsText(99_700n)).toBe("99.7");
    expect(msatToSatsText(-300n)).toBe("-0.3");
    expect(msatToSatsText(2_100_000_000_000_000_000n)).toBe("2100000000000000");
  });
});
