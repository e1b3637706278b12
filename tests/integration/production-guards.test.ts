// In production (NODE_ENV=production) test money cannot pass for live money: the simulated
// node never serves live keys (a clear error naming LIGHTNING_BACKEND, at start-up and when
// an invoice is asked for), and the dev wallet is off unless DEV_WALLET=1 says otherwise.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../../lib/db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { devWalletEnabled } from "../../lib/api/routes/dev";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { describeLiveLightning, lightningBackendFor, LightningConfigurationError } from "../../lib/lightning/select";

let t: TestDatabase;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let liveKey: string;
beforeAll(async () => {
  t = await createTestDatabase();
  owner = await tenantWithKey(t.db);
  liveKey = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterAll(async () => {
  await t.drop();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Backends are cached per database object; these cases never touch the database. */
const unusedDb = () => ({}) as Db;

function refusal(run: () => unknown): LightningConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LightningConfigurationError);
    return error as LightningConfigurationError;
  }
  throw new Error("expected a LightningConfigurationError");
}

describe("the simulated node never serves live keys in production", () => {
  it("refuses to build it for live mode, naming LIGHTNING_BACKEND, whether it is the default or chosen", () => {
    for (const env of [{ NODE_ENV: "production" }, { NODE_ENV: "production", LIGHTNING_BACKEND: "simulated" }]) {
      const error = refusal(() => lightningBackendFor("live", unusedDb(), env));
      expect(error.variable).toBe("LIGHTNING_BACKEND");
      expect(error.message).toMatch(/LIGHTNING_BACKEND/);
      expect(error.message).toMatch(/lnd or lnbits/);
    }
    // Test keys keep the simulated node; a real node serves live keys; development is unchanged.
    expect(lightningBackendFor("test", unusedDb(), { NODE_ENV: "production" }).name).toBe("simulated");
    expect(
      lightningBackendFor("live", unusedDb(), {
        NODE_ENV: "production",
        LIGHTNING_BACKEND: "lnd",
        LND_REST_URL: "https://127.0.0.1:8080",
        LND_MACAROON_HEX: "0201",
      }).name,
    ).toBe("lnd");
    expect(lightningBackendFor("live", unusedDb(), { NODE_ENV: "development" }).name).toBe("simulated");
  });

  it("an invoice for a live key is a 503 naming LIGHTNING_BACKEND, and nothing is stored; test keys still work", async () => {
    vi.stubEnv("NODE_ENV", "production");
    const app = createApiApp();
    const before = await t.db.invoice.count();
    const live = await call(app, "POST", "/api/v1/invoices", { key: liveKey, body: { endpoint: "GET /premium" } });
    expect(live.status).toBe(503);
    expect(live.body.error).toMatchObject({
      type: "api_error",
      code: "lightning_not_configured",
      message: expect.stringContaining("LIGHTNING_BACKEND"),
    });
    expect(await t.db.invoice.count()).toBe(before);

    const test = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } });
    expect(test.status).toBe(201);
    expect(test.body.invoice).toMatch(/^lntb/);
  });

  it("start-up says which backend live keys use, and names LIGHTNING_BACKEND when production refuses them", () => {
    const refused = describeLiveLightning({ NODE_ENV: "production" });
    expect(refused.live).toBe("live keys are refused (LIGHTNING_BACKEND=simulated in production)");
    expect(refused.problem).toMatch(/LIGHTNING_BACKEND/);
    expect(describeLiveLightning({})).toEqual({ live: expect.stringMatching(/simulated node.*LIGHTNING_BACKEND unset.*no real money/) });
    expect(
      describeLiveLightning({
        NODE_ENV: "production",
        LIGHTNING_BACKEND: "lnd",
        LND_REST_URL: "https://node:8080",
        LND_MACAROON_HEX: "0201",
      }),
    ).toEqual({
      live: "live keys use lnd (LIGHTNING_BACKEND=lnd: real payments)",
    });
    const halfConfigured = describeLiveLightning({
      NODE_ENV: "production",
      LIGHTNING_BACKEND: "lnbits",
      LNBITS_URL: "https://lnbits.example",
    });
    expect(halfConfigured.live).toMatch(/lnbits.*not configured/);
    expect(halfConfigured.problem).toMatch(/LNBITS_INVOICE_KEY/);
  });
});

describe("the dev wallet in production", () => {
  it("is off unless DEV_WALLET=1: /api/dev/pay does not exist", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DEV_WALLET", "");
    const off = await call(createApiApp(), "POST", "/api/dev/pay", { body: { invoice: "lntb1" } });
    expect(off.status).toBe(404);
    expect(off.body.error.code).toBe("route_not_found");
    for (const value of ["true", "yes", "0"]) {
      vi.stubEnv("DEV_WALLET", value);
      expect((await call(createApiApp(), "POST", "/api/dev/pay", { body: { invoice: "lntb1" } })).status).toBe(404);
    }
  });

  it("DEV_WALLET=1 turns it on on purpose (and it still never pays live invoices)", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DEV_WALLET", "1");
    const app = createApiApp();
    const bad = await call(app, "POST", "/api/dev/pay", { body: { invoice: "not an invoice" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_invoice");
  });

  it("the /dev/wallet page is a 404 in production without DEV_WALLET=1", async () => {
    const { default: DevWalletPage } = await import("../../app/dev/wallet/page"); // loaded as in development
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DEV_WALLET", "");
    expect(() => DevWalletPage()).toThrow(expect.objectContaining({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" }));
    vi.stubEnv("DEV_WALLET", "1");
    expect(DevWalletPage()).toBeTruthy();
  });

  it("the same switch for the API and the page: on in development unless DEV_WALLET=0", () => {
    expect(devWalletEnabled({ NODE_ENV: "development" })).toBe(true);
    expect(devWalletEnabled({ NODE_ENV: "development", DEV_WALLET: "0" })).toBe(false);
    expect(devWalletEnabled({ NODE_ENV: "production" })).toBe(false);
    expect(devWalletEnabled({ NODE_ENV: "production", DEV_WALLET: "1" })).toBe(true);
  });
});
