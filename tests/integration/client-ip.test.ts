// The client IP as server.ts derives it, over real HTTP: behind TRUST_PROXY=N proxies the
// address is the one the proxies appended (right-most X-Forwarded-For entries), never the
// left-most one a client writes. The API-key allow-list and the sign-in throttle both use it.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { resetApiAuthState } from "../../lib/api/auth";
import { startServer } from "../../server";

let t: TestDatabase;
let server: Server | undefined;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => resetApiAuthState());
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serve(trustProxy?: string) {
  if (trustProxy !== undefined) vi.stubEnv("TRUST_PROXY", trustProxy);
  server = await startServer({ apiOnly: true, port: 0, hostname: "127.0.0.1" });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function createInvoice(base: string, key: string, headers: Record<string, string>) {
  const response = await fetch(`${base}/api/v1/invoices`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ endpoint: "GET /ip", priceSats: 1 }),
  });
  return { status: response.status, body: await response.json() };
}

describe("client IP behind a trusted proxy (TRUST_PROXY=1)", () => {
  it("a key allowed only from 203.0.113.5 is refused when a client merely writes that address first", async () => {
    const base = await serve("1");
    const { key } = await tenantWithKey(t.db, { allowedIps: ["203.0.113.5"] });
    // The client wrote 203.0.113.5; the proxy (here the test itself) appended 127.0.0.1.
    const forged = await createInvoice(base, key, { "x-forwarded-for": "203.0.113.5, 127.0.0.1" });
    expect(forged.status).toBe(403);
    expect(forged.body.error).toMatchObject({ code: "ip_not_allowed", message: expect.stringContaining("127.0.0.1") });
    // The proxy's own entry is what counts: a client at 203.0.113.5 whatever it wrote before.
    expect((await createInvoice(base, key, { "x-forwarded-for": "198.51.100.7, 203.0.113.5" })).status).toBe(201);
  });

  it("rotating the header does not rotate the address", async () => {
    const base = await serve("1");
    const { key } = await tenantWithKey(t.db, { allowedIps: ["203.0.113.5"] });
    const seen = new Set<string>();
    for (let i = 1; i <= 5; i++) {
      const refused = await createInvoice(base, key, { "x-forwarded-for": `10.9.0.${i}, 192.0.2.66` });
      seen.add(refused.body.error.message);
    }
    expect([...seen]).toEqual(["Requests from 192.0.2.66 are not allowed for this API key."]);
  });

  it("TRUST_PROXY=2 skips two proxies' entries, and a client cannot set the resolved address itself", async () => {
    const base = await serve("2");
    const { key } = await tenantWithKey(t.db, { allowedIps: ["203.0.113.5"] });
    // client-written, then the outer proxy's view of the client, then the inner proxy.
    expect((await createInvoice(base, key, { "x-forwarded-for": "198.51.100.1, 203.0.113.5, 10.0.0.1" })).status).toBe(201);
    const forged = await createInvoice(base, key, {
      "x-forwarded-for": "203.0.113.5, 198.51.100.1, 10.0.0.1",
      "x-tollbooth-client-ip": "203.0.113.5",
    });
    expect(forged.body.error.message).toContain("198.51.100.1");
  });
});

describe("client IP without a proxy (TRUST_PROXY unset)", () => {
  it("uses the socket address and ignores X-Forwarded-For", async () => {
    const base = await serve();
    const { key } = await tenantWithKey(t.db, { allowedIps: ["203.0.113.5"] });
    const forged = await createInvoice(base, key, { "x-forwarded-for": "203.0.113.5" });
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toContain("127.0.0.1");
  });

  it("refuses a TRUST_PROXY that is not a number of hops, naming the variable", async () => {
    vi.stubEnv("TRUST_PROXY", "true");
    await expect(startServer({ apiOnly: true, port: 0, hostname: "127.0.0.1" })).rejects.toThrow(/TRUST_PROXY/);
  });
});
