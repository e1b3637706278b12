// callbackUrl after sign-in/sign-up: only paths on our own origin. Browsers drop tab, CR
// and LF anywhere in a URL and read "\" as "/", so each of these is "//evil.example" to
// them, a link to another site.
import { describe, expect, it } from "vitest";
import { safeCallback } from "../../lib/forms/callback";

// As the page receives them: ?callbackUrl= decoded once by the URL parser.
const hostile = [
  "/\t/evil.example",
  "/\r/evil.example",
  "/\n/evil.example",
  "/\t\t/evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "//evil.example",
  "///evil.example",
  "/\t\\evil.example",
  "\t//evil.example",
  " //evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "/.//evil.example",
  "/./\\evil.example",
  "/../\\evil.example",
  "evil.example",
  "",
  "/\u0000/evil.example",
];

describe("safeCallback", () => {
  it.each(hostile)("sends %j to the dashboard", (value) => {
    expect(safeCallback(value)).toBe("/dashboard");
  });

  it.each(hostile)("%j never resolves to another origin", (value) => {
    expect(new URL(safeCallback(value), "https://tollbooth.example").origin).toBe("https://tollbooth.example");
  });

  it("double-encoded variants stay harmless paths on our origin", () => {
    for (const value of ["/%09/evil.example", "/%2F/evil.example", "/%5Cevil.example", "/%2f%2fevil.example"]) {
      const result = safeCallback(value);
      expect(new URL(result, "https://tollbooth.example").origin).toBe("https://tollbooth.example");
      expect(result.startsWith("//")).toBe(false);
    }
  });

  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeCallback("/dashboard/team")).toBe("/dashboard/team");
    expect(safeCallback("/invite/AbC_12-xyz")).toBe("/invite/AbC_12-xyz");
    expect(safeCallback("/dashboard?tab=keys#new")).toBe("/dashboard?tab=keys#new");
    expect(safeCallback(undefined)).toBe("/dashboard");
  });
});
