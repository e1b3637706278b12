import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../../lib/export/csv";

describe("CSV cells", () => {
  it("neutralises anything a spreadsheet would run as a formula", () => {
    for (const text of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(text).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
  });

  it("quotes commas, quotes and line breaks; leaves plain text, numbers and empties alone", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(10n)).toBe("10");
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-12-01T10:00:00Z"))).toBe("2026-12-01T10:00:00.000Z");
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });
});
