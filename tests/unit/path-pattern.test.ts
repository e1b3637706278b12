import { describe, expect, it } from "vitest";
import { isPathPattern, pathMatches } from "../../lib/l402/path-pattern";
import { matchEndpoint, type EndpointRecord } from "../../lib/endpoints/registry";

describe("path patterns", () => {
  it.each([
    ["/premium", "/premium", true],
    ["/premium", "/premium?x=1", true],
    ["/premium", "/premium/extra", false],
    ["/users/:id", "/users/42", true],
    ["/users/:id", "/users/", false],
    ["/users/:id", "/users/42/posts", false],
    ["/files/*", "/files/a/b.txt", true],
    ["/files/*", "/files/", false],
    ["/files/*", "/file", false],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(pathMatches(pattern, path)).toBe(expected);
  });

  it("accepts only well-formed patterns", () => {
    for (const ok of ["/", "/premium", "/users/:id", "/files/*", "/v1/a-b_c.d"]) expect(isPathPattern(ok), ok).toBe(true);
    for (const bad of ["premium", "/a*/b", "/a//b", "/sp ace", ""]) expect(isPathPattern(bad), bad).toBe(false);
  });

  it("picks the most specific registered endpoint", () => {
    const endpoint = (id: string, path: string) => ({ id, path, method: "GET" }) as EndpointRecord;
    const endpoints = [endpoint("wild", "/users/*"), endpoint("param", "/users/:id"), endpoint("exact", "/users/me")];
    expect(matchEndpoint(endpoints, "GET", "/users/me")?.id).toBe("exact");
    expect(matchEndpoint(endpoints, "GET", "/users/42")?.id).toBe("param");
    expect(matchEndpoint(endpoints, "GET", "/users/42/posts")?.id).toBe("wild");
    expect(matchEndpoint(endpoints, "POST", "/users/me")).toBeUndefined();
  });
});
