import { describe, expect, it } from "vitest";
import { safeText, truncateUtf8, utf8Length } from "../../lib/schemas/text";

describe("safeText", () => {
  it("refuses NUL, which Postgres cannot store, and keeps the usual string checks", () => {
    const schema = safeText().trim().max(5);
    expect(schema.safeParse("a\u0000b").error?.issues[0].message).toMatch(/NUL/);
    expect(schema.parse("  ok  ")).toBe("ok");
    expect(schema.safeParse("toolong").success).toBe(false);
    expect(schema.parse("é€😀")).toBe("é€😀");
  });
});

describe("truncateUtf8", () => {
  it("cuts to a byte budget on a character boundary", () => {
    expect(truncateUtf8("abc", 10)).toBe("abc");
    expect(truncateUtf8("€€€", 8)).toBe("€€"); // 6 bytes; a third € would need 9
    expect(truncateUtf8("a😀", 4)).toBe("a"); // never half a surrogate pair
    expect(truncateUtf8("a😀", 5)).toBe("a😀");
    const cut = truncateUtf8("é".repeat(1000), 639);
    expect(utf8Length(cut)).toBe(638);
    expect(cut).toBe("é".repeat(319));
  });
});
