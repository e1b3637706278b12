import { describe, expect, it } from "vitest";
import { compareSpecificity, isPathPattern, pathMatches } from "../../lib/l402/path-pattern";
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
    // Dot segments and trailing slashes could never match a normalised request path.
    for (const bad of ["premium", "/a*/b", "/a//b", "/sp ace", "", "/premium/", "/a/../b", "/a/./b"])
      expect(isPathPattern(bad), bad).toBe(false);
  });

  it("picks the most specific registered endpoint", () => {
    const endpoint = (id: string, path: string) => ({ id, path, method: "GET" }) as EndpointRecord;
    const endpoints = [endpoint("wild", "/users/*"), endpoint("param", "/users/:id"), endpoint("exact", "/users/me")];
    expect(matchEndpoint(endpoints, "GET", "/users/me")?.id).toBe("exact");
    expect(matchEndpoint(endpoints, "GET", "/users/42")?.id).toBe("param");
    expect(matchEndpoint(endpoints, "GET", "/users/42/posts")?.id).toBe("wild");
    expect(matchEndpoint(endpoints, "POST", "/users/me")).toBeUndefined();
  });

  it("ranks segment by segment: a deeper pattern with parameters beats a shallower wildcard", () => {
    const endpoint = (id: string, path: string) => ({ id, path, method: "GET" }) as EndpointRecord;
    const endpoints = [
      endpoint("shallow", "/users/*"),
      endpoint("deep", "/users/:id/files/*"),
      endpoint("deeper", "/users/:id/files/:name"),
    ];
    expect(matchEndpoint(endpoints, "GET", "/users/42/files/a.txt")?.id).toBe("deeper");
    expect(matchEndpoint(endpoints, "GET", "/users/42/files/a/b.txt")?.id).toBe("deep");
    expect(matchEndpoint(endpoints, "GET", "/users/42")?.id).toBe("shallow");
    expect(compareSpecificity("/users/admin", "/users/:id")).toBeLessThan(0);
    expect(compareSpecificity("/files/a/*", "/files/*")).toBeLessThan(0);
  });

  it("matches without case, as Express routes", () => {
    expect(pathMatches("/premium/gold", "/premium/GOLD")).toBe(true);
    expect(pathMatches("/Premium/*", "/premium/x")).toBe(true);
  });
});
