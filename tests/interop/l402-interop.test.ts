// Real third-party L402 code against the real service and the example Express API, unchanged:
// Alby's fetchWithL402 pays, lnget's challenge pattern and two BOLT11 decoders read our 402,
// the `macaroon` package reads (and verifies) our token, and our own client pays within its
// limits. Everything talks HTTP on loopback: the service (Hono, API only) and the example
// API each listen on a port of their own.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import bolt11 from "bolt11";
import { decode as lightDecode } from "light-bolt11-decoder";
import { fetchWithL402, parseL402 } from "@getalby/lightning-tools/402/l402";
import { createL402Fetch, devWallet, isL402PaymentRefused, type L402Wallet } from "@tollbooth/l402/client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { tenantWithKey } from "../helpers/api";
import { createEndpoint } from "../../lib/endpoints/registry";
import { startServer } from "../../server";
import { createApp } from "../../examples/express-api/app";
import { createApp as createMeteredApp } from "../../examples/metered-llm/app";

// The `macaroon` package (js-macaroon, libmacaroons-compatible) ships no types.
const macaroonPackage = createRequire(import.meta.url)("macaroon") as {
  importMacaroon(data: string | Uint8Array): {
    identifier: Uint8Array;
    location: string;
    verify(rootKey: Uint8Array, check: (condition: string) => string | null): void;
  };
};

// lnget (Lightning Labs) finds the challenge with this pattern; Go's (?i) is JavaScript's i flag.
const LNGET_CHALLENGE = /(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

let t: TestDatabase;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let service: Server;
let api: Server;
let serviceUrl: string;
let apiUrl: string;
const middlewareWarnings: string[] = [];
/** Every invoice the dev wallet was asked to pay, by any of the wallets below. */
const devWalletInvoices: string[] = [];

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Alby's wallet shape, `payInvoice({invoice}) -> {preimage}`, paying through the dev wallet over HTTP. */
const albyWallet = {
  async payInvoice({ invoice }: { invoice: string }): Promise<{ preimage: string }> {
    devWalletInvoices.push(invoice);
    const response = await fetch(`${serviceUrl}/api/dev/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ invoice }),
    });
    if (!response.ok) throw new Error(`dev wallet answered ${response.status}`);
    return { preimage: ((await response.json()) as { preimage: string }).preimage };
  },
};

/** Our dev wallet, counting the calls it gets. */
function countingDevWallet(): L402Wallet & { calls: number } {
  const inner = devWallet({ baseUrl: serviceUrl });
  const wallet = {
    calls: 0,
    payInvoice(args: { invoice: string }) {
      wallet.calls += 1;
      devWalletInvoices.push(args.invoice);
      return inner.payInvoice(args);
    },
  };
  return wallet;
}

const paidInvoiceCount = () => t.db.invoice.count({ where: { tenantId: owner.tenant.id, state: "paid" } });
const invoiceCount = () => t.db.invoice.count({ where: { tenantId: owner.tenant.id } });

beforeAll(async () => {
  t = await createTestDatabase();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10, description: "Premium weather report" });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/forecast/:city", priceSats: 21, usesPerPayment: 10 });

  service = await startServer({ port: 0, apiOnly: true, hostname: "127.0.0.1" });
  serviceUrl = urlOf(service);

  const app = createApp({
    apiKey: owner.key,
    baseUrl: serviceUrl,
    logger: { warn: (message: string) => void middlewareWarnings.push(message) },
  });
  api = app.listen(0, "127.0.0.1");
  await once(api, "listening");
  apiUrl = urlOf(api);
});

afterAll(async () => {
  for (const server of [api, service]) {
    if (!server) continue;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await t?.drop();
});

describe("@getalby/lightning-tools fetchWithL402", () => {
  it("pays the example API's challenge and gets the premium JSON; its credential replayed on a single-use endpoint gets a fresh challenge", async () => {
    const before = devWalletInvoices.length;
    const response = await fetchWithL402(`${apiUrl}/premium`, {}, { wallet: albyWallet });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: "premium", paid: { amountSats: 10 } });
    expect(devWalletInvoices.length - before).toBe(1);
    const firstInvoice = devWalletInvoices.at(-1)!;

    // Alby keeps no token store in 9.x: the credential comes back on the response, to be
    // handed back explicitly (then it never pays again, whatever the server answers).
    expect(response.payment).toMatchObject({ paid: true, amountSat: 10, credentials: { header: "Authorization" } });
    const credentials = response.payment!.credentials;
    expect(credentials.value).toMatch(/^L402 [A-Za-z0-9+/]+=*:[0-9a-f]{64}$/);

    const replay = await fetchWithL402(`${apiUrl}/premium`, {}, { wallet: albyWallet, credentials });
    expect(replay.status).toBe(402);
    expect(devWalletInvoices.length - before).toBe(1);
    const challenge = replay.headers.get("www-authenticate")!;
    const fresh = parseL402(challenge);
    expect(fresh.invoice).toMatch(/^lntb/);
    expect(fresh.invoice).not.toBe(firstInvoice);
    expect(fresh.token).not.toBe(credentials.value.slice("L402 ".length).split(":")[0]);
    const body = (await replay.json()) as { priceSats: number; invoice: string; reason?: { code: string } };
    expect(body).toMatchObject({ error: "Payment Required", priceSats: 10, invoice: fresh.invoice, reason: { code: "used_up" } });

    // The same credential replayed by hand (plain fetch, the header Alby sent) is refused the same way.
    const byHand = await fetch(`${apiUrl}/premium`, { headers: { authorization: credentials.value } });
    expect(byHand.status).toBe(402);
    expect(parseL402(byHand.headers.get("www-authenticate")!).invoice).not.toBe(firstInvoice);
  });
});

describe("lnget's challenge pattern, BOLT11 decoders and the macaroon package read the example API's 402", () => {
  for (const [path, priceSats] of [
    ["/premium", 10],
    ["/forecast/oslo", 21],
  ] as const) {
    it(`GET ${path}`, async () => {
      const response = await fetch(`${apiUrl}${path}`);
      expect(response.status).toBe(402);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as { priceSats: number; invoice: string; macaroon: string; paymentHash: string };
      expect(body.priceSats).toBe(priceSats);

      const match = LNGET_CHALLENGE.exec(response.headers.get("www-authenticate") ?? "");
      expect(match, "lnget's pattern matches the WWW-Authenticate header").not.toBeNull();
      const [, scheme, macaroon, invoice] = match!;
      expect(scheme).toBe("L402");
      expect(macaroon).toBe(body.macaroon);
      expect(invoice).toBe(body.invoice);

      const decoded = bolt11.decode(invoice!);
      expect(decoded.complete).toBe(true);
      expect(decoded.satoshis).toBe(body.priceSats);
      expect(decoded.millisatoshis).toBe(String(body.priceSats * 1000));
      expect(decoded.tagsObject.payment_hash).toBe(body.paymentHash);

      const light = lightDecode(invoice!);
      const section = (name: string) => light.sections.find((s: { name: string }) => s.name === name) as { value?: unknown } | undefined;
      expect(section("amount")?.value).toBe(String(body.priceSats * 1000));
      expect(section("payment_hash")?.value).toBe(body.paymentHash);

      const theirs = macaroonPackage.importMacaroon(macaroon!);
      expect(theirs.identifier).toHaveLength(66);
      expect([...theirs.identifier.slice(0, 2)]).toEqual([0, 0]); // uint16 version 0
      expect(hex(theirs.identifier.slice(2, 34))).toBe(body.paymentHash);
      // And its signature checks out against the token's root key, as libmacaroons computes it.
      const token = await t.db.l402Token.findUniqueOrThrow({ where: { paymentHash: body.paymentHash } });
      const conditions: string[] = [];
      theirs.verify(new Uint8Array(token.rootKey), (condition) => {
        conditions.push(condition);
        return null;
      });
      expect(conditions).toContain(`endpoint=GET ${path.startsWith("/forecast") ? "/forecast/:city" : path}`);
    });
  }
});

describe("our client (createL402Fetch + devWallet) against our middleware", () => {
  it("pays a protected endpoint once and gets 200", async () => {
    const wallet = countingDevWallet();
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 50 });
    const response = await paidFetch(`${apiUrl}/premium`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: "premium", paid: { amountSats: 10 } });
    expect(paidFetch.spentSats).toBe(10);
    expect(paidFetch.payments).toHaveLength(1);
    expect(wallet.calls).toBe(1);
  });

  it("reuses a multi-use credential: the second call makes no payment", async () => {
    const wallet = countingDevWallet();
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 50 });
    const first = await paidFetch(`${apiUrl}/forecast/lisbon`);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ forecast: { city: "lisbon" }, remainingUses: 9 });
    const paidAfterFirst = await paidInvoiceCount();

    const second = await paidFetch(`${apiUrl}/forecast/lisbon`);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ forecast: { city: "lisbon" }, remainingUses: 8 });
    expect(wallet.calls).toBe(1);
    expect(paidFetch.spentSats).toBe(21);
    expect(paidFetch.payments).toHaveLength(1);
    expect(await paidInvoiceCount()).toBe(paidAfterFirst);
  });

  it("refuses an endpoint priced above its limit without paying", async () => {
    const wallet = countingDevWallet();
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 15 });
    const paidBefore = await paidInvoiceCount();
    const walletInvoicesBefore = devWalletInvoices.length;

    const refusal = await paidFetch(`${apiUrl}/forecast/oslo`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isL402PaymentRefused(refusal), `expected L402PaymentRefused, got ${String(refusal)}`).toBe(true);
    expect(refusal).toMatchObject({ name: "L402PaymentRefused", code: "over_max_price", details: { amountSats: 21, maxPriceSats: 15 } });
    expect(wallet.calls).toBe(0);
    expect(devWalletInvoices.length).toBe(walletInvoicesBefore);
    expect(paidFetch.spentSats).toBe(0);
    expect(await paidInvoiceCount()).toBe(paidBefore);

    // Within the limit it still pays.
    expect((await paidFetch(`${apiUrl}/premium`)).status).toBe(200);
    expect(paidFetch.spentSats).toBe(10);
  });
});

describe("the example API's /.well-known/l402.json", () => {
  it("lists the priced endpoints", async () => {
    const response = await fetch(`${apiUrl}/.well-known/l402.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const document = (await response.json()) as { tenant: { name: string }; endpoints: unknown[] };
    expect(document.tenant.name).toBe(owner.tenant.name);
    expect(document.endpoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: "GET", path: "/premium", priceSats: 10, usesPerPayment: 1 }),
        expect.objectContaining({ method: "GET", path: "/forecast/:city", priceSats: 21, usesPerPayment: 10 }),
      ]),
    );
    // The free route is not for sale.
    expect(document.endpoints).not.toContainEqual(expect.objectContaining({ path: "/" }));
  });
});

describe("paid but failed", () => {
  it("a handler that throws after payment answers 500; the retry with the same credential is not charged again", async () => {
    const unpaid = await fetch(`${apiUrl}/flaky`);
    expect(unpaid.status).toBe(402);
    const challenge = (await unpaid.json()) as { priceSats: number; invoice: string; macaroon: string; paymentHash: string };
    expect(challenge.priceSats).toBe(5);
    const { preimage } = await albyWallet.payInvoice({ invoice: challenge.invoice });
    const authorization = `L402 ${challenge.macaroon}:${preimage}`;

    const failed = await fetch(`${apiUrl}/flaky`, { headers: { authorization } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: "Internal Server Error", message: "upstream weather station timed out" });

    // The middleware reports the failure after the answer is sent (best effort): wait for
    // the service to record it before retrying.
    await vi.waitFor(
      async () => {
        const recorded = await t.db.failedCall.count({ where: { paymentHash: challenge.paymentHash } });
        expect(
          recorded,
          `the service recorded no release for this payment; middleware warnings: ${JSON.stringify(middlewareWarnings)}`,
        ).toBe(1);
      },
      { timeout: 5000, interval: 50 },
    );

    const invoicesBefore = await invoiceCount();
    const paidBefore = await paidInvoiceCount();
    const walletInvoicesBefore = devWalletInvoices.length;
    const retry = await fetch(`${apiUrl}/flaky`, { headers: { authorization } });
    expect(retry.status).toBe(200);
    // The retry is a new redemption (numbers never go down), so it could be released in turn.
    expect(await retry.json()).toMatchObject({ data: "flaky", redemption: 2 });
    // Not charged again: no new invoice, no payment.
    expect(await invoiceCount()).toBe(invoicesBefore);
    expect(await paidInvoiceCount()).toBe(paidBefore);
    expect(devWalletInvoices.length).toBe(walletInvoicesBefore);

    // The use that was given back is now spent: one more call needs a new payment.
    const again = await fetch(`${apiUrl}/flaky`, { headers: { authorization } });
    expect(again.status).toBe(402);
    expect(await again.json()).toMatchObject({ reason: { code: "used_up" } });
  });
});

describe("a metered endpoint (examples/metered-llm) paid by Alby's fetchWithL402, unchanged", () => {
  it("pays the deposit like any L402 invoice; the credential then draws each call's real cost from the balance", async () => {
    await createEndpoint(t.db, owner.tenant.id, {
      method: "POST",
      path: "/v1/complete",
      priceSats: 500,
      pricingMode: "metered",
      maxCostPerCallSats: 20,
    });
    const metered = createMeteredApp({ apiKey: owner.key, baseUrl: serviceUrl }).listen(0, "127.0.0.1");
    await once(metered, "listening");
    try {
      const url = `${urlOf(metered)}/v1/complete`;
      const post = (prompt: string) => ({
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prompt }),
      });
      const before = devWalletInvoices.length;
      const first = await fetchWithL402(url, post("hello"), { wallet: albyWallet });
      expect(first.status).toBe(200);
      expect(devWalletInvoices.length - before).toBe(1);
      expect(bolt11.decode(devWalletInvoices.at(-1)!).satoshis).toBe(500);
      const usage = ((await first.json()) as { usage: { msat: number } }).usage;
      expect(first.headers.get("tollbooth-balance-msat")).toBe(String(500_000 - usage.msat));

      const credentials = first.payment!.credentials;
      const second = await fetchWithL402(url, post("a longer question about prepaid balances"), { wallet: albyWallet, credentials });
      expect(second.status).toBe(200);
      const secondUsage = ((await second.json()) as { usage: { msat: number } }).usage;
      expect(second.headers.get("tollbooth-balance-msat")).toBe(String(500_000 - usage.msat - secondUsage.msat));
      expect(devWalletInvoices.length - before).toBe(1);
    } finally {
      metered.closeAllConnections();
      await new Promise((resolve) => metered.close(resolve));
    }
  });
});
