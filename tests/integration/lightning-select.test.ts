// Which backend serves which key mode, and clear errors for a half-configured live node.
import bolt11 from "bolt11";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../lib/db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { LightningConfigurationError, lightningBackendFor, liveBackendName, type Environment } from "../../lib/lightning/select";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** Backends are cached per database object; these cases never touch the database. */
const unusedDb = () => ({}) as Db;

describe("lightningBackendFor", () => {
  it("test mode is always the simulated node on testnet, whatever LIGHTNING_BACKEND says, and is cached", async () => {
    const backend = lightningBackendFor("test", t.db, { LIGHTNING_BACKEND: "lnd" });
    expect(backend.name).toBe("simulated");
    expect(lightningBackendFor("test", t.db)).toBe(backend);
    const created = await backend.createInvoice({ amountMsat: 10_000n, description: "test mode", expirySeconds: 60 });
    expect(created.bolt11.startsWith("lntb")).toBe(true);
    expect(bolt11.decode(created.bolt11).complete).toBe(true);
  });

  it("live mode defaults to the simulated node with mainnet invoices", async () => {
    const db = t.db;
    const live = lightningBackendFor("live", db, {});
    expect(live.name).toBe("simulated");
    expect(live).not.toBe(lightningBackendFor("test", db));
    expect((await live.createInvoice({ amountMsat: 10_000n, description: "live", expirySeconds: 60 })).bolt11.startsWith("lnbc")).toBe(
      true,
    );
  });

  it("live mode builds LND or LNbits from their variables", () => {
    expect(
      lightningBackendFor("live", unusedDb(), {
        LIGHTNING_BACKEND: "lnd",
        LND_REST_URL: "https://127.0.0.1:8080",
        LND_MACAROON_HEX: "0201",
      }).name,
    ).toBe("lnd");
    expect(
      lightningBackendFor("live", unusedDb(), {
        LIGHTNING_BACKEND: "LNbits",
        LNBITS_URL: "https://lnbits.example",
        LNBITS_INVOICE_KEY: "i",
        LNBITS_ADMIN_KEY: "a",
      }).name,
    ).toBe("lnbits");
  });

  it("names the missing variable", () => {
    const missing = (env: Environment) => {
      try {
        lightningBackendFor("live", unusedDb(), env);
      } catch (error) {
        expect(error).toBeInstanceOf(LightningConfigurationError);
        return error as LightningConfigurationError;
      }
      throw new Error("expected a configuration error");
    };
    expect(missing({ LIGHTNING_BACKEND: "lnd", LND_MACAROON_HEX: "0201" })).toMatchObject({
      variable: "LND_REST_URL",
      message: expect.stringContaining("LND_REST_URL"),
    });
    expect(missing({ LIGHTNING_BACKEND: "lnd", LND_REST_URL: "https://x" })).toMatchObject({ variable: "LND_MACAROON_HEX" });
    expect(missing({ LIGHTNING_BACKEND: "lnbits", LNBITS_URL: "https://x", LNBITS_INVOICE_KEY: "i" })).toMatchObject({
      variable: "LNBITS_ADMIN_KEY",
    });
    expect(
      missing({ LIGHTNING_BACKEND: "lnd", LND_REST_URL: "https://x", LND_MACAROON_HEX: "0201", LND_TLS_CERT: "/nonexistent/tls.cert" }),
    ).toMatchObject({
      variable: "LND_TLS_CERT",
    });
    expect(missing({ LIGHTNING_BACKEND: "eclair" })).toMatchObject({ variable: "LIGHTNING_BACKEND" });
    expect(liveBackendName({})).toBe("simulated");
  });
});
