// Unpaid traffic cannot starve paying callers (issue #7, item 8). One payer IP floods
// challenges far past its budget, in parallel with a paying caller from another IP: the
// flooder gets 429 payer_rate_limited (Retry-After, RateLimit-*), the payer's invoices get
// 201 and its paid verifications 200, and paid verifications are never rate-limited.
// Real Postgres when DATABASE_URL is set (the parallel requests race for real).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createEndpoint } from "../../lib/endpoints/registry";
import { withL402 } from "../../packages/l402/src/index";

const FLOODER = "198.51.100.66";
const PAYER = "203.0.113.9";
// Small budgets so a test-sized flood goes far past them: per payer IP 5 at once then 1/s;
// the key's general calls, and separately all its challenges, 20 at once then 1/s.
const CHALLENGE_BURST = 5;
const KEY_BURST = 20;

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;

beforeAll(async () => {
  vi.stubEnv("CHALLENGE_RATE_LIMIT_PER_SECOND", "1");
  vi.stubEnv("CHALLENGE_RATE_LIMIT_BURST", String(CHALLENGE_BURST));
  vi.stubEnv("API_RATE_LIMIT_PER_SECOND", "1");
  vi.stubEnv("API_RATE_LIMIT_BURST", String(KEY_BURST));
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/stream", priceSats: 50, usesPerPayment: 100 });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetApiAuthState();
  await t.drop();
});
beforeEach(() => resetApiAuthState());

const challenge = (endpoint: string, payerIp?: string) =>
  call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint, ...(payerIp ? { payerIp } : {}) } });
const verify = (authorization: string, path: string, payerIp?: string) =>
  call(app, "POST", "/api/v1/l402/verify", {
    key: owner.key,
    body: { authorization, method: "GET", path, ...(payerIp ? { payerIp } : {}) },
  });
const pay = async (invoice: string) => (await call(app, "POST", "/api/dev/pay", { body: { invoice } })).body.preimage as string;

/** A paying caller: a challenge, the payment, then the paid call's verification. */
async function payingCall(endpoint: string, payerIp: string) {
  const issued = await challenge(endpoint, payerIp);
  expect(issued.status).toBe(201);
  const preimage = await pay(issued.body.invoice);
  const verified = await verify(`L402 ${issued.body.macaroon}:${preimage}`, endpoint.split(" ")[1]!, payerIp);
  expect(verified.status).toBe(200);
  expect(verified.body.valid).toBe(true);
  return `L402 ${issued.body.macaroon}:${preimage}`;
}

describe("a flood of challenges from one IP", () => {
  it("gets that IP 429s while another payer's invoices (201) and paid verifications (200) go through", async () => {
    // A credential the flooder never paid for: each try is refused and would mint a fresh challenge.
    const unpaid = (await challenge("GET /premium", FLOODER)).body;
    const started = Date.now();
    const flood = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0 ? verify(`L402 ${unpaid.macaroon}:${"00".repeat(32)}`, "/premium", FLOODER) : challenge("GET /premium", FLOODER),
    );
    // The paying caller, at the same time: three paid calls, each with its own invoice.
    const paying = Promise.all([payingCall("GET /premium", PAYER), payingCall("GET /premium", PAYER), payingCall("GET /premium", PAYER)]);
    const [flooded] = await Promise.all([Promise.all(flood), paying]);
    const elapsedSeconds = (Date.now() - started) / 1000;

    const limited = flooded.filter((response) => response.status === 429);
    const served = flooded.filter((response) => response.status !== 429);
    // Everything the flooder got past its budget: its burst (one spent above) plus what refilled meanwhile.
    expect(served.length).toBeLessThanOrEqual(CHALLENGE_BURST - 1 + Math.ceil(elapsedSeconds) + 1);
    expect(served.every((response) => response.status === 201 || response.status === 402)).toBe(true);
    expect(limited.length).toBeGreaterThanOrEqual(60 - CHALLENGE_BURST - Math.ceil(elapsedSeconds) - 1);
    for (const response of limited) {
      expect(response.body.error).toMatchObject({ type: "rate_limit_error", code: "payer_rate_limited" });
      expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(response.headers.get("ratelimit-limit")).toBe(String(CHALLENGE_BURST));
      expect(response.headers.get("ratelimit-remaining")).toBe("0");
      expect(response.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
    }
    // The refused verifications (every third request) were limited too, not only the invoice requests.
    expect(flooded.filter((_, i) => i % 3 === 0).some((response) => response.status === 429)).toBe(true);

    // The key's general budget was never touched by any of it.
    const general = await call(app, "GET", "/api/v1/endpoints", { key: owner.key });
    expect(general.status).toBe(200);
    expect(general.headers.get("ratelimit-remaining")).toBe(String(KEY_BURST - 1));
  });

  it("never rate-limits paid verifications, even past every budget the key has", async () => {
    const authorization = await payingCall("GET /stream", PAYER);
    // Exhaust the flooder's budget and the key's general budget first.
    await Promise.all(Array.from({ length: CHALLENGE_BURST + 5 }, () => challenge("GET /premium", FLOODER)));
    for (let i = 0; i < KEY_BURST + 2; i++) await call(app, "GET", "/api/v1/endpoints", { key: owner.key });
    expect((await call(app, "GET", "/api/v1/endpoints", { key: owner.key })).status).toBe(429);
    expect((await challenge("GET /premium", FLOODER)).status).toBe(429);

    // More paid verifications than any bucket holds, from the payer and from the flooder's IP alike.
    const verified = await Promise.all(
      Array.from({ length: KEY_BURST + 10 }, (_, i) => verify(authorization, "/stream", i % 2 ? PAYER : FLOODER)),
    );
    expect(verified.map((response) => response.status)).toEqual(Array(KEY_BURST + 10).fill(200));
  });

  it("counts IPv6 payers by /64, so rotating addresses inside one block buys nothing", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= CHALLENGE_BURST + 3; i++)
      statuses.push((await challenge("GET /premium", `2001:db8:1:2::${i.toString(16)}`)).status);
    expect(statuses.slice(0, CHALLENGE_BURST)).toEqual(Array(CHALLENGE_BURST).fill(201));
    expect(statuses.slice(CHALLENGE_BURST)).toEqual([429, 429, 429]);
    // Another /64 is another payer.
    expect((await challenge("GET /premium", "2001:db8:1:3::1")).status).toBe(201);
  });

  it("without payerIp (an older middleware), challenges share one ceiling per key and still spare the general budget and paid verifications", async () => {
    const authorization = await payingCall("GET /stream", PAYER);
    const flooded = await Promise.all(Array.from({ length: KEY_BURST + 10 }, () => challenge("GET /premium")));
    const limited = flooded.filter((response) => response.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(8);
    expect(limited[0]!.body.error.code).toBe("rate_limited");
    expect(limited[0]!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect((await call(app, "GET", "/api/v1/endpoints", { key: owner.key })).status).toBe(200);
    expect((await verify(authorization, "/stream")).status).toBe(200);
  });
});

describe("through the middleware", () => {
  it("answers the flooding client 429 and serves the paying client, each by its own IP", async () => {
    // withL402 in front of a handler, talking to the real service in-process.
    const handler = withL402(async () => Response.json({ data: "premium" }), {
      apiKey: owner.key,
      baseUrl: "http://tollbooth.test",
      endpoint: "GET /premium",
      logger: false,
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
      payerIp: (request) => request.headers.get("x-test-client-ip"),
    });
    const get = (clientIp: string, authorization?: string) =>
      handler(
        new Request("http://api.test/premium", {
          headers: { "x-test-client-ip": clientIp, accept: "application/json", ...(authorization ? { authorization } : {}) },
        }),
      );

    const flooded = await Promise.all(Array.from({ length: 40 }, () => get(FLOODER)));
    const statuses = flooded.map((response) => response.status);
    expect(statuses.filter((status) => status === 402).length).toBeLessThanOrEqual(CHALLENGE_BURST + 2);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(40 - CHALLENGE_BURST - 2);
    expect(statuses.every((status) => status === 402 || status === 429)).toBe(true);
    expect(flooded.find((response) => response.status === 429)!.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);

    const unpaid = await get(PAYER);
    expect(unpaid.status).toBe(402);
    const body = (await unpaid.json()) as { invoice: string; macaroon: string };
    const preimage = await pay(body.invoice);
    const paid = await get(PAYER, `L402 ${body.macaroon}:${preimage}`);
    expect(paid.status).toBe(200);
    expect(await paid.json()).toEqual({ data: "premium" });
  });
});
