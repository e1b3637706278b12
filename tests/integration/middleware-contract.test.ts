// The middleware against the fake service its unit tests use AND against the real service:
// the same scenarios, the same expectations. The fake (packages/l402/test/fake-service.ts)
// once counted redemptions differently from the real service, which hid a payer-losing
// bug; this file is what keeps the two in step.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, FakeService } from "../../packages/l402/test/fake-service";
import { getL402, l402, withL402, type L402Options, type L402Payment } from "../../packages/l402/src/index";
import { createApiApp } from "../../lib/api/app";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey } from "../helpers/api";
import { createEndpoint } from "../../lib/endpoints/registry";

const LNGET_CHALLENGE = /(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i;

interface ServiceUnderTest {
  options: L402Options;
  pay(invoice: string): Promise<string>;
  /** Sells `GET path` as a prepaid balance: a deposit of depositSats, at most maxCostPerCallSats a call. */
  meter(path: string, depositSats: number, maxCostPerCallSats: number): Promise<void>;
  stop(): Promise<void>;
}

async function fakeService(): Promise<ServiceUnderTest> {
  const service = await new FakeService().start();
  return {
    options: { apiKey: FAKE_API_KEY, baseUrl: service.url },
    pay: async (invoice) => service.pay(invoice),
    meter: async (path, _depositSats, maxCostPerCallSats) => {
      service.metered.set(`GET ${path}`, { maxCostPerCallMsat: maxCostPerCallSats * 1000 });
    },
    stop: () => service.stop(),
  };
}

let database: TestDatabase | undefined;
async function realService(): Promise<ServiceUnderTest> {
  database ??= await createTestDatabase();
  const app = createApiApp();
  const { key, tenant } = await tenantWithKey(database.db);
  return {
    // The real Hono app, in-process: the middleware's fetch goes straight to it.
    options: { apiKey: key, baseUrl: "http://tollbooth.test", fetch: (input, init) => Promise.resolve(app.request(String(input), init)) },
    pay: async (invoice) => (await call(app, "POST", "/api/dev/pay", { body: { invoice } })).body.preimage,
    meter: async (path, priceSats, maxCostPerCallSats) => {
      await createEndpoint(database!.db, tenant.id, { method: "GET", path, priceSats, pricingMode: "metered", maxCostPerCallSats });
    },
    stop: async () => {},
  };
}
afterAll(async () => {
  await database?.drop();
});

describe.each([
  ["the fake service", fakeService],
  ["the real service", realService],
])("the middleware against %s", (_name, start) => {
  let service: ServiceUnderTest;
  const quiet = { logger: false as const };
  beforeAll(async () => {
    service = await start();
  });
  afterAll(() => service.stop());

  async function pay402(response: Response): Promise<string> {
    expect(response.status).toBe(402);
    const challenge = LNGET_CHALLENGE.exec(response.headers.get("www-authenticate") ?? "");
    expect(challenge).not.toBeNull();
    return `L402 ${challenge![2]}:${await service.pay(challenge![3]!)}`;
  }

  it("402 → pay → 200 once; the replay gets a fresh challenge", async () => {
    const seen: (L402Payment | undefined)[] = [];
    const handler = withL402(
      (request: Request) => {
        seen.push(getL402(request));
        return Response.json({ data: "premium" });
      },
      { ...service.options, ...quiet, priceSats: 10 },
    );
    const unpaid = await handler(new Request("http://api.example/contract-once"));
    expect((await unpaid.clone().json()).priceSats).toBe(10);
    const authorization = await pay402(unpaid);
    const paid = await handler(new Request("http://api.example/contract-once", { headers: { authorization } }));
    expect(paid.status).toBe(200);
    expect(seen[0]).toMatchObject({ amountSats: 10, endpoint: "GET /contract-once", remainingUses: 0, redemption: 1 });
    const replay = await handler(new Request("http://api.example/contract-once", { headers: { authorization } }));
    expect(replay.status).toBe(402);
    expect((await replay.json()).reason.code).toBe("used_up");
  });

  it("a handler that fails again and again gives the use back every time", async () => {
    let failuresLeft = 3;
    const pending: Promise<unknown>[] = [];
    const redemptions: (number | null | undefined)[] = [];
    const handler = withL402(
      (request: Request) => {
        redemptions.push(getL402(request)?.redemption);
        return failuresLeft-- > 0 ? new Response("upstream down", { status: 502 }) : Response.json({ ok: true });
      },
      { ...service.options, ...quiet, priceSats: 3, waitUntil: (promise) => void pending.push(promise) },
    );
    const authorization = await pay402(await handler(new Request("http://api.example/contract-flaky")));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await handler(new Request("http://api.example/contract-flaky", { headers: { authorization } }))).status);
      await Promise.all(pending.splice(0));
    }
    expect(statuses).toEqual([502, 502, 502, 200]);
    expect(redemptions).toEqual([1, 2, 3, 4]);
    expect((await handler(new Request("http://api.example/contract-flaky", { headers: { authorization } }))).status).toBe(402);
  });

  it("metered: deposit, charges of different costs, the balance header, a top-up that carries the balance over", async () => {
    await service.meter("/contract-metered", 5, 2);
    const pending: Promise<unknown>[] = [];
    const handler = withL402(
      (request: Request) => {
        getL402(request)!.charge!({ units: Number(new URL(request.url).searchParams.get("tokens")) }, "tokens");
        return Response.json({ ok: true });
      },
      { ...service.options, ...quiet, priceSats: 5, msatPerUnit: 100, waitUntil: (promise) => void pending.push(promise) },
    );
    const unpaid = await handler(new Request("http://api.example/contract-metered"));
    expect(await unpaid.clone().json()).toMatchObject({ priceSats: 5, balanceMsat: "0", prepaid: { kind: "deposit" } });
    const deposit = await pay402(unpaid);
    const run = async (authorization: string, tokens: number) => {
      const response = await handler(new Request(`http://api.example/contract-metered?tokens=${tokens}`, { headers: { authorization } }));
      await Promise.all(pending.splice(0));
      return response;
    };
    const headers = [];
    for (const tokens of [12, 7, 19.5]) headers.push((await run(deposit, tokens)).headers.get("tollbooth-balance-msat"));
    expect(headers).toEqual(["3800", "3100", "1150"]);
    const low = await run(deposit, 1);
    expect(await low.clone().json()).toMatchObject({
      balanceMsat: "1150",
      prepaid: { kind: "top_up" },
      reason: { code: "insufficient_balance" },
    });
    const topUp = await pay402(low);
    expect((await run(topUp, 3)).headers.get("tollbooth-balance-msat")).toBe("5850");
  });

  it("app.use('/premium', l402()) declares /premium/*, never a payer's path", async () => {
    const app = express();
    app.use("/contract-mount", l402({ ...service.options, ...quiet, priceSats: 5 }), (req, res) => {
      res.json({ endpoint: (req as unknown as { l402?: L402Payment }).l402?.endpoint });
    });
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ["/contract-mount/a", "/contract-mount/:anything", "/contract-mount/b"]) {
        const authorization = await pay402(await fetch(base + path));
        const paid = await fetch(base + path, { headers: { authorization } });
        expect(paid.status, path).toBe(200);
        expect(await paid.json()).toEqual({ endpoint: "GET /contract-mount/*" });
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("the middleware and the owner's prices (real service)", () => {
  it("a dashboard price wins over priceSats in code, and the middleware says so once", async () => {
    database ??= await createTestDatabase();
    const app = createApiApp();
    const { key, tenant } = await tenantWithKey(database.db);
    await createEndpoint(database.db, tenant.id, { method: "GET", path: "/priced", priceSats: 50 });
    const warnings: string[] = [];
    const handler = withL402(() => Response.json({ ok: true }), {
      apiKey: key,
      baseUrl: "http://tollbooth.test",
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
      priceSats: 10,
      logger: { warn: (message: string) => void warnings.push(message) },
    });
    for (let i = 0; i < 3; i++) expect((await (await handler(new Request("http://api.example/priced"))).json()).priceSats).toBe(50);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("GET /priced is priced at 50 sats on the Tollbooth dashboard; priceSats 10 in code is ignored");
  });

  it("a payer's path that looks like a pattern is never declared by the fetch adapter", async () => {
    const calls: string[] = [];
    const handler = withL402(() => Response.json({ ok: true }), {
      apiKey: FAKE_API_KEY,
      baseUrl: "http://tollbooth.test",
      logger: false,
      priceSats: 1,
      fetch: async (input) => {
        calls.push(String(input));
        return Response.json({}, { status: 500 });
      },
    });
    for (const path of ["/reports/:id", "/reports/*", "/:x"]) {
      const response = await handler(new Request(`http://api.example${path}`));
      expect(response.status, path).toBe(400);
    }
    expect(calls).toEqual([]);
  });
});
