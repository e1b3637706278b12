// How the client address is chosen from the socket and X-Forwarded-For (Express's numeric
// `trust proxy` semantics), and how TRUST_PROXY is read.
import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIp, normalizeIp, stampClientIp, trustedProxyHops } from "../../lib/http/client-ip";

describe("clientIp", () => {
  it("without trusted proxies is the socket address, whatever the header says", () => {
    expect(clientIp("192.0.2.1", "203.0.113.5", 0)).toBe("192.0.2.1");
    expect(clientIp("::ffff:192.0.2.1", undefined, 0)).toBe("192.0.2.1");
  });

  it("with N trusted proxies is the N-th address counted from our side, never the client's left-most", () => {
    expect(clientIp("127.0.0.1", "203.0.113.5, 127.0.0.1", 1)).toBe("127.0.0.1");
    expect(clientIp("10.0.0.2", "6.6.6.6, 203.0.113.5", 1)).toBe("203.0.113.5");
    expect(clientIp("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1", 2)).toBe("203.0.113.5");
    expect(clientIp("10.0.0.2", ["6.6.6.6, 7.7.7.7", "203.0.113.5"], 1)).toBe("203.0.113.5");
  });

  it("with fewer entries than hops takes the farthest one there is, as Express does", () => {
    expect(clientIp("10.0.0.2", "203.0.113.5", 3)).toBe("203.0.113.5");
    expect(clientIp("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientIp("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
  });

  it("is null for an entry that is not an address", () => {
    expect(clientIp("10.0.0.2", "6.6.6.6, unknown", 1)).toBeNull();
    expect(clientIp(undefined, undefined, 0)).toBeNull();
  });
});

describe("normalizeIp", () => {
  it("drops ports, brackets and the IPv4-mapped prefix, and lower-cases IPv6", () => {
    expect(normalizeIp("203.0.113.5:4711")).toBe("203.0.113.5");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("::FFFF:203.0.113.5")).toBe("203.0.113.5");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeIp("evil.example")).toBeNull();
  });
});

describe("stampClientIp", () => {
  it("replaces a client-sent value of the header it writes, or removes it", () => {
    const req = {
      headers: { [CLIENT_IP_HEADER]: "203.0.113.5", "x-forwarded-for": "203.0.113.5" } as Record<string, string>,
      rawHeaders: ["X-Tollbooth-Client-Ip", "203.0.113.5", "X-Forwarded-For", "203.0.113.5"],
      socket: { remoteAddress: "192.0.2.9" },
    };
    stampClientIp(req as never, 0);
    expect(req.headers[CLIENT_IP_HEADER]).toBe("192.0.2.9");
    // rawHeaders too: @hono/node-server builds its Request from them.
    expect(req.rawHeaders).toEqual(["X-Forwarded-For", "203.0.113.5", CLIENT_IP_HEADER, "192.0.2.9"]);
    const unknown = {
      headers: { [CLIENT_IP_HEADER]: "203.0.113.5" } as Record<string, string>,
      rawHeaders: [CLIENT_IP_HEADER, "203.0.113.5"],
      socket: { remoteAddress: undefined },
    };
    stampClientIp(unknown as never, 0);
    expect(unknown.headers[CLIENT_IP_HEADER]).toBeUndefined();
    expect(unknown.rawHeaders).toEqual([]);
  });
});

describe("trustedProxyHops (TRUST_PROXY)", () => {
  it("is a number of hops; unset or empty is none", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops("")).toBe(0);
    expect(trustedProxyHops("1")).toBe(1);
    expect(trustedProxyHops(" 2 ")).toBe(2);
  });

  it("refuses anything else, naming the variable", () => {
    for (const value of ["true", "yes", "-1", "1.5", "loopback"]) expect(() => trustedProxyHops(value)).toThrow(/TRUST_PROXY/);
  });
});
