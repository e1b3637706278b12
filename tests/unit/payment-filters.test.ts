import { describe, expect, it } from "vitest";
import { hasPaymentFilters, parsePaymentFilters, paymentFiltersQuery } from "../../lib/dashboard/payment-filters";
import { encodeCursor } from "../../lib/stats/cursor";

describe("the payments page's URL filters", () => {
  it("reads a submitted form: empty fields are no filter, the 'to' day is included", () => {
    const parsed = parsePaymentFilters({
      paymentHash: "",
      endpoint: "GET /premium",
      status: "",
      from: "2026-11-01",
      to: "2026-11-30",
      sort: "oldest",
    });
    expect(parsed.problem).toBeUndefined();
    expect(parsed.values).toEqual({ endpoint: "GET /premium", from: "2026-11-01", to: "2026-11-30", sort: "oldest" });
    expect(parsed.filters).toEqual({
      endpoint: "GET /premium",
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-12-01T00:00:00Z"),
      sort: "oldest",
    });
  });

  it("leaves out what it cannot use and says why, keeping the rest", () => {
    const parsed = parsePaymentFilters({ paymentHash: "zz", status: "failed", sort: "sideways" });
    expect(parsed.problem).toMatchObject({ code: "invalid_filter", param: "paymentHash" });
    expect(parsed.problem?.message).toMatch(/^Payment hash: /);
    expect(parsed.values).toEqual({ status: "failed" });
    expect(parsed.filters).toEqual({ status: "failed" });
    expect(parsePaymentFilters({ from: "2026-12-05", to: "2026-12-01" }).filters).toEqual({ to: new Date("2026-12-02T00:00:00Z") });
  });

  it("keeps a cursor it can read and drops one it cannot", () => {
    const cursor = encodeCursor({ at: new Date("2026-12-01T10:00:00Z"), id: "entry" });
    expect(parsePaymentFilters({ cursor }).cursor).toBe(cursor);
    const bad = parsePaymentFilters({ cursor: "garbage" });
    expect(bad.cursor).toBeUndefined();
    expect(bad.problem).toMatchObject({ code: "invalid_cursor" });
  });

  it("writes the same filters back into links (the next page, the CSV)", () => {
    const { values } = parsePaymentFilters({ endpoint: "GET /a b", status: "redeemed", sort: "newest", to: "2026-11-30" });
    expect(paymentFiltersQuery(values)).toBe("?endpoint=GET+%2Fa+b&status=redeemed&to=2026-11-30");
    expect(paymentFiltersQuery(values, "abc")).toBe("?endpoint=GET+%2Fa+b&status=redeemed&to=2026-11-30&cursor=abc");
    expect(paymentFiltersQuery({})).toBe("");
    expect(hasPaymentFilters(values)).toBe(true);
    expect(hasPaymentFilters({ sort: "oldest" })).toBe(false);
    // What the link says is what the next request reads.
    expect(parsePaymentFilters(Object.fromEntries(new URLSearchParams(paymentFiltersQuery(values)))).values).toEqual({
      endpoint: "GET /a b",
      status: "redeemed",
      to: "2026-11-30",
    });
  });
});
