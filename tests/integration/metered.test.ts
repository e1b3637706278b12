// Prepaid balances on metered endpoints, end to end through the real service and the real
// middleware: deposit, calls of different costs, top-up when the balance runs low, and the
// balance's history, its row and the ledger agreeing to the msat; 50 concurrent calls that
// never overdraw; settle applied once; reservations that lapse; tenant isolation.
// Concurrency needs real Postgres (DATABASE_URL).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getL402, l402, withL402, type L402Payment } from "../../packages/l402/src/index";
import { createL402Fetch, isL402PaymentRefused } from "../../packages/l402/src/client/index";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { accountBalanceMsat } from "../../lib/ledger/balances";
import { accounts } from "../../lib/ledger/accounts";
import { expireReservations, expireBalances } from "../../lib/prepaid/expire";
import { getBalance } from "../../lib/stats";
import { createWebhookEndpoint } from "../../lib/webhooks/endpoints";
import { usingRealPostgres, createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey } from "../helpers/api";

const LNGET = /(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i;
let database: TestDatabase;
const app = createApiApp();
const serviceFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(app.request(String(input), init));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await database.drop();
});

async function pay(response: Response): Promise<string> {
  expect(response.status).toBe(402);
  const challenge = LNGET.exec(response.headers.get("www-authenticate") ?? "")!;
  const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice: challenge[3] } });
  return `L402 ${challenge[2]}:${paid.body.preimage}`;
}

async function meteredTenant(path: string, endpoint: { priceSats: number; maxCostPerCallSats: number | null; balanceExpiry?: string }) {
  const { key, tenant } = await tenantWithKey(database.db);
  await createEndpoint(database.db, tenant.id, { method: "GET", path, pricingMode: "metered", ...endpoint });
  const pending: Promise<unknown>[] = [];
  const costs = new Map<string, number>();
  const handler = withL402(
    (request: Request) => {
      const cost = Number(new URL(request.url).searchParams.get("cost") ?? "0");
      if (cost < 0) return new Response("boom", { status: 500 });
      getL402(request)!.charge!(cost, `call costing ${cost} msat`);
      costs.set(request.url, cost);
      return Response.json({ ok: true });
    },
    { apiKey: key, baseUrl: "http://tollbooth.test", fetch: serviceFetch, logger: false, waitUntil: (p) => void pending.push(p) },
  );
  const settled = async () => void (await Promise.all(pending.splice(0)));
  return { key, tenant, handler, settled };
}

async function balanceRow(tenantId: string) {
  return database.db.prepaidBalance.findFirstOrThrow({ where: { tenantId } });
}

const fee = (msat: number) => Math.floor((msat * 30) / 10_000);

describe("metered endpoints", () => {
  it("a paid deposit is a payment.settled event for the balance, with no fee or net yet", async () => {
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    const { tenant, handler } = await meteredTenant("/deposit-event", { priceSats: 10, maxCostPerCallSats: 2 });
    await createWebhookEndpoint(
      database.db,
      { tenantId: tenant.id, mode: "test" },
      { url: "http://127.0.0.1:9/hook", events: ["payment.settled"] },
    );
    const authorization = await pay(await handler(new Request("http://api.example/deposit-event")));
    expect((await handler(new Request("http://api.example/deposit-event?cost=1000", { headers: { authorization } }))).status).toBe(200);
    const balance = await balanceRow(tenant.id);
    const events = await database.db.webhookEvent.findMany({ where: { tenantId: tenant.id, type: "payment.settled" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ amountMsat: "10000", feeMsat: "0", netMsat: "0", prepaidBalanceId: balance.id });
  });

  it("deposit, calls of different costs, a top-up: history, balance and ledger agree to the msat", async () => {
    const { tenant, handler, settled } = await meteredTenant("/llm", { priceSats: 10, maxCostPerCallSats: 4 });
    const unpaid = await handler(new Request("http://api.example/llm"));
    expect(await unpaid.clone().json()).toMatchObject({
      priceSats: 10,
      balanceMsat: "0",
      prepaid: { kind: "deposit", maxCostPerCallSats: 4 },
    });
    const first = await pay(unpaid);

    const callWith = async (authorization: string, cost: number) => {
      const response = await handler(new Request(`http://api.example/llm?cost=${cost}`, { headers: { authorization } }));
      await settled();
      return response;
    };
    const headers: string[] = [];
    for (const cost of [1234, 3999, 4000]) headers.push((await callWith(first, cost)).headers.get("tollbooth-balance-msat")!);
    expect(headers).toEqual(["8766", "4767", "767"]);

    // 767 msat left, a call may cost 4,000: 402 with a top-up invoice carrying the balance over.
    const low = await callWith(first, 10);
    expect(low.status).toBe(402);
    const low402 = await low.clone().json();
    expect(low402).toMatchObject({ balanceMsat: "767", prepaid: { kind: "top_up" }, reason: { code: "insufficient_balance" } });
    const second = await pay(low);
    expect((await callWith(second, 17)).headers.get("tollbooth-balance-msat")).toBe("10750");
    // The first credential draws on the same balance.
    expect((await callWith(first, 4000)).headers.get("tollbooth-balance-msat")).toBe("6750");
    // A failed handler settles zero.
    expect((await callWith(second, -1)).status).toBe(500);

    const charges = [1234, 3999, 4000, 17, 4000];
    const spent = charges.reduce((a, b) => a + b, 0);
    const row = await balanceRow(tenant.id);
    expect(row).toMatchObject({ depositedMsat: 20_000n, spentMsat: BigInt(spent), availableMsat: 6750n, reservedMsat: 0n, charges: 5 });

    const history = await database.db.prepaidMovement.findMany({ where: { balanceId: row.id }, orderBy: { createdAt: "asc" } });
    expect(history.map((m) => [m.kind, Number(m.amountMsat), Number(m.balanceAfterMsat)])).toEqual([
      ["deposit", 10_000, 10_000],
      ["usage", -1234, 8766],
      ["usage", -3999, 4767],
      ["usage", -4000, 767],
      ["top_up", 10_000, 10_767],
      ["usage", -17, 10_750],
      ["usage", -4000, 6750],
    ]);
    expect(history[1]!.description).toBe("call costing 1234 msat");

    const fees = charges.reduce((total, c) => total + fee(c), 0);
    expect(await accountBalanceMsat(database.db, accounts.tenantPrepaid("test", tenant.id))).toBe(6750n);
    expect(await accountBalanceMsat(database.db, accounts.tenantAvailable("test", tenant.id))).toBe(BigInt(spent - fees));
    // The dashboard's balance (rollups + other movements) counts each charge once, as the ledger does.
    expect((await getBalance(database.db, { tenantId: tenant.id, mode: "test" })).availableMsat).toBe(BigInt(spent - fees));
    // Stats count the settled charges only (not the deposits) as revenue.
    const stats = await database.db.statsDaily.aggregate({ where: { tenantId: tenant.id }, _sum: { amountMsat: true, netMsat: true } });
    expect(stats._sum).toEqual({ amountMsat: BigInt(spent), netMsat: BigInt(spent - fees) });
  });

  it.skipIf(!usingRealPostgres)(
    "(real Postgres) 50 concurrent calls on one balance never overdraw it; charges + balance = deposits to the msat",
    async () => {
      const { tenant, handler, settled } = await meteredTenant("/burst", { priceSats: 100, maxCostPerCallSats: 3 });
      const authorization = await pay(await handler(new Request("http://api.example/burst")));
      const costs = Array.from({ length: 50 }, (_, i) => 1000 + i * 37); // 1,000…2,813 msat; up to 3,000 reserved each
      const responses = await Promise.all(
        costs.map((cost) => handler(new Request(`http://api.example/burst?cost=${cost}`, { headers: { authorization } }))),
      );
      await settled();
      const served = responses.filter((r) => r.status === 200).length;
      // 100,000 msat holds 33 reservations of 3,000 at once; the rest got 402 (top-up).
      expect(served).toBeGreaterThanOrEqual(33);
      expect(responses.every((r) => r.status === 200 || r.status === 402)).toBe(true);
      const row = await balanceRow(tenant.id);
      expect(row.availableMsat).toBeGreaterThanOrEqual(0n);
      expect(row.reservedMsat).toBe(0n);
      const usage = await database.db.prepaidMovement.aggregate({
        where: { balanceId: row.id, kind: "usage" },
        _sum: { amountMsat: true },
      });
      expect(-(usage._sum.amountMsat ?? 0n) + row.availableMsat).toBe(row.depositedMsat);
      expect(row.spentMsat + row.availableMsat).toBe(100_000n);
      expect(await accountBalanceMsat(database.db, accounts.tenantPrepaid("test", tenant.id))).toBe(row.availableMsat);
    },
  );

  it("a retried settle is applied once; an unknown one is 404; another tenant's is unknown", async () => {
    const { key, tenant, handler } = await meteredTenant("/once", { priceSats: 10, maxCostPerCallSats: 5 });
    const authorization = await pay(await handler(new Request("http://api.example/once")));
    const verified = await call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method: "GET", path: "/once" } });
    expect(verified.status).toBe(200);
    expect(verified.body.metered).toEqual({ reservedMsat: "5000", balanceMsat: "10000" });
    const charge = { paymentHash: verified.body.paymentHash, redemption: verified.body.redemption, amountMsat: "2500" };
    const other = await tenantWithKey(database.db);
    expect((await call(app, "POST", "/api/v1/l402/charge", { key: other.key, body: charge })).status).toBe(404);
    const once = await call(app, "POST", "/api/v1/l402/charge", { key, body: charge });
    const again = await call(app, "POST", "/api/v1/l402/charge", { key, body: { ...charge, amountMsat: "4000" } });
    expect(once.body).toEqual({ applied: true, chargedMsat: "2500", balanceMsat: "7500" });
    expect(again.body).toEqual({ applied: false, chargedMsat: "2500", balanceMsat: "7500" });
    expect((await balanceRow(tenant.id)).spentMsat).toBe(2500n);
    const entries = await database.db.journalEntry.count({ where: { tenantId: tenant.id, kind: "prepaid_charge" } });
    expect(entries).toBe(1);
    const bad = await call(app, "POST", "/api/v1/l402/charge", { key, body: { ...charge, amountMsat: "-5" } });
    expect(bad.status).toBe(400);
    const unknown = await call(app, "POST", "/api/v1/l402/charge", { key, body: { ...charge, redemption: 99 } });
    expect(unknown.status).toBe(404);
  });

  it("a reservation never settled lapses back to the balance; an expired balance is kept by the owner as its own entry", async () => {
    const { key, tenant, handler } = await meteredTenant("/lapse", { priceSats: 10, maxCostPerCallSats: 6 });
    const authorization = await pay(await handler(new Request("http://api.example/lapse")));
    const verified = await call(app, "POST", "/api/v1/l402/verify", { key, body: { authorization, method: "GET", path: "/lapse" } });
    expect(verified.status).toBe(200);
    expect((await balanceRow(tenant.id)).reservedMsat).toBe(6000n);
    const later = new Date(Date.now() + 3_600_000 + 60_000);
    expect(await expireReservations(database.db, later)).toBeGreaterThanOrEqual(1);
    expect(await balanceRow(tenant.id)).toMatchObject({ availableMsat: 10_000n, reservedMsat: 0n });
    // The token lived an hour (the endpoint's default lifetime): so does the balance.
    expect(await expireBalances(database.db, later)).toBeGreaterThanOrEqual(1);
    expect(await expireBalances(database.db, later)).toBe(0);
    expect(await balanceRow(tenant.id)).toMatchObject({ availableMsat: 0n, forfeitedMsat: 10_000n });
    expect(await accountBalanceMsat(database.db, accounts.tenantPrepaid("test", tenant.id))).toBe(0n);
    expect(await accountBalanceMsat(database.db, accounts.tenantAvailable("test", tenant.id))).toBe(BigInt(10_000 - fee(10_000)));
    expect((await getBalance(database.db, { tenantId: tenant.id, mode: "test" })).availableMsat).toBe(BigInt(10_000 - fee(10_000)));
    const expiry = await database.db.prepaidMovement.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "expiry" } });
    expect(expiry.amountMsat).toBe(-10_000n);
    // The lapsed reservation cannot be settled any more.
    const late = await call(app, "POST", "/api/v1/l402/charge", {
      key,
      body: { paymentHash: verified.body.paymentHash, redemption: verified.body.redemption, amountMsat: "1" },
    });
    expect(late.body).toEqual({ applied: false, reason: "expired" });
  });

  it("a dynamic price is fixed into the invoice at 402 time and never stored on the endpoint", async () => {
    const { key, tenant } = await tenantWithKey(database.db);
    const handler = withL402(() => Response.json({ ok: true }), {
      apiKey: key,
      baseUrl: "http://tollbooth.test",
      fetch: serviceFetch,
      logger: false,
      priceSats: ({ url }) => 2 + new URL(url, "http://x").searchParams.getAll("q").length,
    });
    const cheap = await handler(new Request("http://api.example/search?q=a"));
    const dear = await handler(new Request("http://api.example/search?q=a&q=b&q=c"));
    expect((await cheap.json()).priceSats).toBe(3);
    expect((await dear.clone().json()).priceSats).toBe(5);
    const endpoint = await database.db.endpoint.findFirstOrThrow({ where: { tenantId: tenant.id } });
    expect(endpoint).toMatchObject({ dynamicPrice: true, discovered: true, priceSats: 3 });
    // The dear token pays for the cheap request: the price was fixed when it was bought.
    const authorization = await pay(dear);
    const served = await handler(new Request("http://api.example/search?q=a", { headers: { authorization } }));
    expect(served.status).toBe(200);
  });

  it("Express: req.l402.charge in units, the exact balance header, a throwing handler settles zero; balance.low once", async () => {
    const { key, tenant } = await tenantWithKey(database.db);
    // Events are stored only for tenants with a subscribed endpoint (lib/webhooks/publish.ts);
    // this one is never delivered to (the test reads the stored event).
    vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
    await createWebhookEndpoint(
      database.db,
      { tenantId: tenant.id, mode: "test" },
      { url: "http://127.0.0.1:9/hook", events: ["balance.low"] },
    );
    await createEndpoint(database.db, tenant.id, {
      method: "GET",
      path: "/words",
      priceSats: 10,
      pricingMode: "metered",
      maxCostPerCallSats: 3,
    });
    const app2 = express();
    app2.get(
      "/words",
      l402({ apiKey: key, baseUrl: "http://tollbooth.test", fetch: serviceFetch, logger: false, msatPerUnit: 25 }),
      (req, res) => {
        const words = Number(req.query.words);
        if (words < 0) throw new Error("model crashed");
        (req as unknown as { l402: L402Payment }).l402.charge!({ units: words }, `${words} words`);
        res.json({ words });
      },
    );
    const server = createServer(app2);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const authorization = await pay(await fetch(`${base}/words`));
      const headers: (string | null)[] = [];
      for (const words of [40, 100, -1, 120]) {
        const response = await fetch(`${base}/words?words=${words}`, { headers: { authorization } });
        headers.push(`${response.status}:${response.headers.get("tollbooth-balance-msat")}`);
      }
      // 10,000 − 1,000 − 2,500 − 0 (the crash) − 3,000 = 3,500: each header is the balance after its own charge.
      expect(headers).toEqual(["200:9000", "200:6500", "500:6500", "200:3500"]);
      // Under the low mark (the max per call, 3,000 msat) once: one balance.low event, not one per call.
      await fetch(`${base}/words?words=40`, { headers: { authorization } });
      const events = await database.db.$queryRawUnsafe<{ type: string; data: { id: string; balanceMsat: string } }[]>(
        `SELECT type, data FROM webhook_events WHERE tenant_id = $1`,
        tenant.id,
      );
      expect(events.map((e) => [e.type, e.data.balanceMsat])).toEqual([["balance.low", "2500"]]);
      expect((await balanceRow(tenant.id)).spentMsat).toBe(7500n);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("createL402Fetch pays the deposit, then a top-up within its budget, and knows the balance; past the budget it refuses", async () => {
    const { handler, settled } = await meteredTenant("/agent", { priceSats: 10, maxCostPerCallSats: 4 });
    const wallet = {
      payInvoice: async ({ invoice }: { invoice: string }) => ({
        preimage: (await call(app, "POST", "/api/dev/pay", { body: { invoice } })).body.preimage as string,
      }),
    };
    const balances: bigint[] = [];
    const paidFetch = createL402Fetch({
      wallet,
      maxPriceSats: 10,
      budgetSats: 20,
      fetch: async (input, init) => {
        const response = await handler(new Request(input as string, init));
        await settled();
        return response;
      },
      onBalance: (balance) => void balances.push(balance),
    });
    for (const cost of [3000, 3000, 3000, 2500]) expect((await paidFetch(`http://api.example/agent?cost=${cost}`)).status).toBe(200);
    // 10,000 − 9,000 = 1,000 < 4,000: the fourth call was a top-up, paid and carried over.
    expect(paidFetch.payments.map((p) => p.prepaid)).toEqual(["deposit", "top_up"]);
    expect(balances).toEqual([7000n, 4000n, 1000n, 8500n]);
    expect(paidFetch.balanceMsat).toBe(8500n);
    for (const cost of [4000, 4000]) await paidFetch(`http://api.example/agent?cost=${cost}`);
    // 500 msat left and the 20-sat budget spent: no third payment.
    const refused = await paidFetch("http://api.example/agent?cost=1").catch((error: unknown) => error);
    expect(isL402PaymentRefused(refused)).toBe(true);
    expect(paidFetch.spentSats).toBe(20);
  });
});
