// Security headers on every response server.ts serves, here in `npm run start:api` mode
// (the Hono app alone); the pages get theirs from the same code (tests/e2e/front-door.spec.ts).
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { resetApiAuthState } from "../../lib/api/auth";
import { startServer } from "../../server";

let t: TestDatabase;
let server: Server | undefined;
beforeAll(async () => {
  t = await createTestDatabase();
  resetApiAuthState();
});
afterAll(async () => {
  await t.drop();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve() {
  server = await startServer({ apiOnly: true, port: 0, hostname: "127.0.0.1" });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function expectSecurityHeaders(response: Response) {
  expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
}

describe("security headers (API-only server)", () => {
  it("are on answers, errors, 404s and images alike; no HSTS outside production", async () => {
    const base = await serve();
    const { key } = await tenantWithKey(t.db);
    const responses = await Promise.all([
      fetch(`${base}/api/health`),
      fetch(`${base}/api/v1/openapi.json`),
      fetch(`${base}/api/v1/endpoints`, { headers: { authorization: `Bearer ${key}` } }),
      fetch(`${base}/api/v1/invoices`, { method: "POST" }), // 401
      fetch(`${base}/api/v1/nothing-here`), // 404
      fetch(`${base}/dashboard`), // not an API path: the Hono app alone answers 404
      fetch(`${base}/api/v1/qr.svg?data=lntb1`),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 401, 404, 404, expect.any(Number)]);
    for (const response of responses) {
      expectSecurityHeaders(response);
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("add HSTS in production", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const base = await serve();
    const response = await fetch(`${base}/api/health`);
    expectSecurityHeaders(response);
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{7,}/);
  });
});
