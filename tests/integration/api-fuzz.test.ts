// Every /api route, fed what a careless or hostile client sends: wrong types, huge and
// fractional numbers, NUL and other awkward Unicode, arrays instead of objects, invalid
// JSON, the wrong content type, odd path parameters. Whatever it is, the answer is a
// 2xx or a 4xx in the error shape, never a 500.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createEndpoint } from "../../lib/endpoints/registry";

// Thousands of requests from one key: keep the per-key rate limit out of the way.
process.env.API_RATE_LIMIT_BURST = "1000000";

let t: TestDatabase;
let app: Api;
let key: string;
let endpointId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  resetApiAuthState();
  app = createApiApp();
  const owner = await tenantWithKey(t.db);
  key = owner.key;
  endpointId = (await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 })).id;
});
afterAll(async () => {
  delete process.env.API_RATE_LIMIT_BURST;
  await t.drop();
});

const WEIRD: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  "",
  " ",
  "x",
  "0",
  "1e3",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "😀".repeat(300),
  "€".repeat(500),
  "é".repeat(2000),
  "x".repeat(20_000),
  "GET /../../etc/passwd",
  "GET /*",
  "GET /a b",
  "lnbc1\u0000",
  [],
  [1, 2],
  ["GET /premium"],
  {},
  { nested: { deep: [1] } },
];

/** A well-formed body per route, so each field is also fuzzed with the others valid. */
const ROUTES: { method: string; path: () => string; valid: Record<string, unknown> }[] = [
  { method: "POST", path: () => "/api/v1/invoices", valid: { endpoint: "GET /premium", priceSats: 1, description: "ok" } },
  { method: "POST", path: () => "/api/v1/l402/verify", valid: { authorization: "L402 AgEJ:00", method: "GET", path: "/premium" } },
  {
    method: "POST",
    path: () => "/api/v1/l402/release",
    valid: { paymentHash: "a".repeat(64), redemption: 1, status: 500, reason: "boom" },
  },
  {
    method: "POST",
    path: () => "/api/v1/endpoints",
    valid: { method: "GET", path: "/fuzzed", priceSats: 1, description: "d", enabled: true, tokenLifetimeSeconds: 60, usesPerPayment: 1 },
  },
  {
    method: "PATCH",
    path: () => `/api/v1/endpoints/${endpointId}`,
    valid: { priceSats: 2, description: "d", enabled: true, tokenLifetimeSeconds: 60, usesPerPayment: 1 },
  },
  { method: "POST", path: () => "/api/dev/pay", valid: { invoice: "lntb1" } },
];

const RAW_BODIES = [
  "",
  "{",
  "[",
  "nul",
  '{"a":}',
  "\u0000",
  '{"endpoint":"GET /premium"',
  '"just a string"',
  "1e999999",
  '{"__proto__":{"x":1}}',
];

interface Answer {
  status: number;
  body: unknown;
  requestId: string | null;
}

async function send(method: string, path: string, body: string | undefined, contentType = "application/json"): Promise<Answer> {
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": contentType }) },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* an SVG or plain text */
  }
  return { status: response.status, body: parsed, requestId: response.headers.get("x-request-id") };
}

const failures: string[] = [];
beforeEach(() => {
  failures.length = 0;
});
function check(label: string, answer: Answer) {
  const errorShaped =
    typeof answer.body === "object" &&
    answer.body !== null &&
    typeof (answer.body as { error?: { type?: unknown; code?: unknown; message?: unknown } }).error?.message === "string";
  if (answer.status >= 500) failures.push(`${answer.status} ${label}: ${JSON.stringify(answer.body).slice(0, 160)}`);
  else if (answer.status >= 400 && answer.status !== 402 && !errorShaped)
    failures.push(`${answer.status} not in the error shape ${label}: ${JSON.stringify(answer.body).slice(0, 160)}`);
  if (!answer.requestId) failures.push(`no x-request-id ${label}`);
}

describe("fuzzing every route", () => {
  it("never answers 500 to a wrong body", async () => {
    for (const route of ROUTES) {
      const bodies: unknown[] = [...WEIRD, Object.keys(route.valid), Object.values(route.valid), [route.valid]];
      for (const field of Object.keys(route.valid)) {
        for (const value of WEIRD) bodies.push({ ...route.valid, [field]: value }, { [field]: value });
      }
      for (const body of bodies) {
        const json = JSON.stringify(body);
        check(`${route.method} ${route.path()} ${json.slice(0, 80)}`, await send(route.method, route.path(), json));
      }
      for (const raw of RAW_BODIES)
        check(`${route.method} ${route.path()} raw ${JSON.stringify(raw)}`, await send(route.method, route.path(), raw));
      for (const contentType of [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin1",
      ]) {
        check(
          `${route.method} ${route.path()} as ${contentType}`,
          await send(route.method, route.path(), JSON.stringify(route.valid), contentType),
        );
      }
      check(`${route.method} ${route.path()} without a body`, await send(route.method, route.path(), undefined));
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it("never answers 500 to odd path parameters and queries", async () => {
    const params = [
      "%00",
      "%ff",
      "%E0%A4%A",
      "..%2F..%2F",
      "x".repeat(5000),
      "%F0%9F%98%80",
      "a%20b",
      "%u0000",
      "__proto__",
      "constructor",
    ];
    for (const param of params) {
      check(`GET invoice ${param.slice(0, 20)}`, await send("GET", `/api/v1/invoices/${param}`, undefined));
      check(`PATCH endpoint ${param.slice(0, 20)}`, await send("PATCH", `/api/v1/endpoints/${param}`, JSON.stringify({ priceSats: 3 })));
      check(`GET l402.json ${param.slice(0, 20)}`, await send("GET", `/api/public/tenants/${param}/l402.json`, undefined));
      check(`GET qr ${param.slice(0, 20)}`, await send("GET", `/api/v1/qr.svg?data=${param}`, undefined));
    }
    for (const query of ["", "data", "data=", "data=a&data=b", `data=${"%C3%A9".repeat(2000)}`, `data=${"x".repeat(100_000)}`]) {
      check(`GET qr ?${query.slice(0, 20)}`, await send("GET", `/api/v1/qr.svg?${query}`, undefined));
    }
    for (const path of ["/api/v1/endpoints", "/api/v1/discovery", "/api/health", "/api/v1/openapi.json"]) {
      check(`GET ${path}?weird`, await send("GET", `${path}?limit=-1&cursor=%00&x[]=1`, undefined));
    }
    expect(failures).toEqual([]);
  });
});
