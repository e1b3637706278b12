import { describe, expect, it } from "vitest";
import { buildCaveats, checkCaveats, parseCaveat, parseCaveats, type RequestContext } from "@/lib/l402";
import { codeOf } from "../helpers/l402-error-code";

const now = new Date("2026-11-22T12:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const validUntil = nowSeconds + 3600;
const caveats = buildCaveats({
  service: { name: "weather" },
  tenantId: "tn_123",
  endpoint: { method: "get", path: "/v1/forecast" },
  uses: 2,
  validUntil,
});
const context: RequestContext = { service: "weather", tenantId: "tn_123", method: "GET", path: "/v1/forecast", usesSoFar: 0 };

describe("building caveats", () => {
  it("writes Aperture's and our key=value strings in a fixed order", () => {
    expect(caveats).toEqual([
      "services=weather:0",
      `weather_valid_until=${validUntil}`,
      "tenant=tn_123",
      "endpoint=GET /v1/forecast",
      "uses=2",
      `valid_until=${validUntil}`,
    ]);
    expect(buildCaveats({ service: { name: "weather", tier: 2 } })).toEqual(["services=weather:2"]);
    expect(buildCaveats({})).toEqual([]);
  });

  it("refuses a spec that would not parse back", () => {
    expect(codeOf(() => buildCaveats({ uses: 0 }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ endpoint: { method: "GET", path: "no-slash" } }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ endpoint: { method: "GET", path: "/a b" } }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ service: { name: "we ather" } }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ tenantId: "" }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ tenantId: "a\nb" }))).toBe("invalid_argument");
    expect(codeOf(() => buildCaveats({ validUntil: 1.5 }))).toBe("invalid_argument");
  });
});

describe("parsing caveats", () => {
  it("parses each key into a typed caveat", () => {
    expect(parseCaveat("services=weather:0,maps:1")).toEqual({
      kind: "services",
      raw: "services=weather:0,maps:1",
      services: [
        { name: "weather", tier: 0 },
        { name: "maps", tier: 1 },
      ],
    });
    expect(parseCaveat("weather_valid_until=100")).toMatchObject({ kind: "valid_until", service: "weather", validUntil: 100 });
    expect(parseCaveat("valid_until=100")).toMatchObject({ kind: "valid_until", service: null, validUntil: 100 });
    expect(parseCaveat("tenant=tn_1")).toMatchObject({ kind: "tenant", tenantId: "tn_1" });
    expect(parseCaveat("endpoint=POST /a/b")).toMatchObject({ kind: "endpoint", endpoint: { method: "POST", path: "/a/b" } });
    expect(parseCaveat("uses=3")).toMatchObject({ kind: "uses", maxUses: 3 });
    // Split at the first "=": values may contain "=".
    expect(parseCaveat("color=a=b")).toMatchObject({ kind: "unknown", key: "color", value: "a=b" });
  });

  it("collects the effective restrictions", () => {
    expect(parseCaveats(caveats)).toEqual({
      services: [{ name: "weather", tier: 0 }],
      serviceValidUntil: { weather: validUntil },
      validUntil,
      tenantId: "tn_123",
      endpoint: { method: "GET", path: "/v1/forecast" },
      uses: 2,
      unknown: [],
    });
  });

  it("keeps the last value when a repeat narrows", () => {
    const set = parseCaveats([...caveats, `valid_until=${validUntil - 60}`, "uses=1", "services=weather:0", "tenant=tn_123"]);
    expect(set.validUntil).toBe(validUntil - 60);
    expect(set.uses).toBe(1);
  });

  it.each([
    "no-equals-sign",
    "=value",
    "uses=0",
    "uses=-1",
    "uses=01",
    "uses=1.5",
    "uses=99999999999999999",
    "valid_until=soon",
    "weather_valid_until=",
    "services=weather",
    "services=weather:x",
    "services=weather:0:1",
    "services=",
    "tenant=",
    "tenant=a b",
    "endpoint=/v1/forecast",
    "endpoint=get /v1/forecast",
    "endpoint=GET v1",
    "endpoint=GET /v1?x=1",
  ])("rejects %j as malformed_caveat", (raw) => {
    expect(codeOf(() => parseCaveat(raw))).toBe("malformed_caveat");
    expect(checkCaveats([raw], context, now)).toMatchObject({ ok: false, code: "malformed_caveat", caveat: raw });
  });

  it.each([
    ["a later expiry", [`valid_until=${validUntil}`, `valid_until=${validUntil + 1}`]],
    ["a later service expiry", [`weather_valid_until=${validUntil}`, `weather_valid_until=${validUntil + 1}`]],
    ["more uses", ["uses=1", "uses=2"]],
    ["a service not listed before", ["services=weather:0", "services=weather:0,maps:0"]],
    ["another tenant", ["tenant=tn_1", "tenant=tn_2"]],
    ["another endpoint", ["endpoint=GET /a", "endpoint=GET /b"]],
  ])("rejects %s as caveat_widens, naming the caveat", (_name, list) => {
    expect(codeOf(() => parseCaveats(list))).toBe("caveat_widens");
    const result = checkCaveats(list, { ...context, tenantId: "tn_1", path: "/a" }, new Date(0));
    expect(result).toMatchObject({ ok: false, code: "caveat_widens", caveat: list[1] });
  });

  it("treats each service's expiry as its own chain", () => {
    expect(() => parseCaveats([`weather_valid_until=${validUntil}`, `maps_valid_until=${validUntil + 99}`])).not.toThrow();
  });
});

describe("checking caveats against a request", () => {
  it("passes a matching request", () => {
    expect(checkCaveats(caveats, context, now)).toEqual({ ok: true });
    expect(checkCaveats([], context, now)).toEqual({ ok: true });
  });

  it("matches the method in any case and ignores the query string", () => {
    expect(checkCaveats(caveats, { ...context, method: "get", path: "/v1/forecast?city=oslo" }, now)).toEqual({ ok: true });
  });

  it("is valid until the second before valid_until (as Aperture)", () => {
    expect(checkCaveats(caveats, context, new Date((validUntil - 1) * 1000))).toEqual({ ok: true });
    expect(checkCaveats(caveats, context, new Date(validUntil * 1000))).toMatchObject({
      ok: false,
      code: "expired",
      caveat: `weather_valid_until=${validUntil}`,
    });
  });

  it("applies the plain valid_until to every service and <name>_valid_until only to <name>", () => {
    const list = [`maps_valid_until=${nowSeconds - 1}`, `valid_until=${nowSeconds + 10}`];
    expect(checkCaveats(list, context, now)).toEqual({ ok: true });
    expect(checkCaveats(list, { ...context, service: "maps" }, now)).toMatchObject({ code: "expired", caveat: list[0] });
    expect(checkCaveats(list, context, new Date((nowSeconds + 10) * 1000))).toMatchObject({ code: "expired", caveat: list[1] });
  });

  it.each([
    ["wrong_service", { service: "maps" }, "services=weather:0"],
    ["wrong_tenant", { tenantId: "tn_999" }, "tenant=tn_123"],
    ["wrong_endpoint", { method: "POST" }, "endpoint=GET /v1/forecast"],
    ["wrong_endpoint", { path: "/v1/forecast/" }, "endpoint=GET /v1/forecast"],
    ["wrong_endpoint", { path: "/v1/other" }, "endpoint=GET /v1/forecast"],
    ["used_up", { usesSoFar: 2 }, "uses=2"],
  ] as const)("reports %s for %j, naming the caveat", (code, change, caveat) => {
    const result = checkCaveats(caveats, { ...context, ...change }, now);
    expect(result).toMatchObject({ ok: false, code, caveat });
    expect(result.ok || result.message.length > 0).toBe(true);
  });

  it("allows the last use and fails the one after", () => {
    expect(checkCaveats(["uses=2"], { ...context, usesSoFar: 1 }, now)).toEqual({ ok: true });
    expect(checkCaveats(["uses=2"], { ...context, usesSoFar: 2 }, now)).toMatchObject({ code: "used_up" });
  });

  it("fails closed on a caveat it does not understand", () => {
    const list = [...caveats, "ip=203.0.113.7"];
    expect(checkCaveats(list, context, now)).toMatchObject({ ok: false, code: "unknown_caveat", caveat: "ip=203.0.113.7" });
    expect(parseCaveats(list).unknown).toEqual(["ip=203.0.113.7"]);
  });

  it("defaults now to the clock", () => {
    expect(checkCaveats([`valid_until=${Math.floor(Date.now() / 1000) + 60}`], context)).toEqual({ ok: true });
    expect(checkCaveats([`valid_until=${Math.floor(Date.now() / 1000) - 1}`], context)).toMatchObject({ code: "expired" });
  });
});
