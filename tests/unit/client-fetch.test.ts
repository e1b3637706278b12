/**
 * createL402Fetch against a paywalled API that mints real L402 tokens and signed BOLT11
 * invoices (lib/l402, lib/lightning), paying through a fake Tollbooth dev wallet or an
 * in-process wallet.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createL402Fetch, devWallet, L402PaymentRefused, L402WalletError, type L402Payment } from "@/packages/l402/src/client/index";
import { FakeLightning, inProcessWallet, startFakeDevWallet, startPaywall, type PaywallOptions, type RunningServer } from "./client-fakes";

const running: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function setUp(options: Omit<PaywallOptions, "lightning">) {
  const lightning = new FakeLightning();
  const paywall = await startPaywall({ lightning, ...options });
  running.push(paywall);
  return { lightning, paywall, wallet: inProcessWallet(lightning) };
}

async function refusalOf(promise: Promise<unknown>): Promise<L402PaymentRefused> {
  const error = await promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(L402PaymentRefused);
  return error as L402PaymentRefused;
}

describe("createL402Fetch", () => {
  it("pays the challenge through the dev wallet, retries with the credential and gets 200", async () => {
    const lightning = new FakeLightning();
    const paywall = await startPaywall({ lightning, invoiceSats: 21 });
    const wallet = await startFakeDevWallet(lightning);
    running.push(paywall, wallet);
    const reported: L402Payment[] = [];
    const paidFetch = createL402Fetch({
      wallet: devWallet({ baseUrl: wallet.url }),
      maxPriceSats: 100,
      onPayment: (payment) => reported.push(payment),
    });

    // A drop-in: usable wherever a fetch is expected.
    const asFetch: typeof fetch = paidFetch;
    const response = await asFetch(`${paywall.url}/premium?q=1`);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ paid: true, path: "/premium?q=1" });
    expect(wallet.paid).toHaveLength(1);
    expect(paywall.seen).toHaveLength(2);
    expect(paywall.seen[0]!.authorization).toBeUndefined();
    expect(paywall.seen[1]!.authorization).toMatch(/^L402 [A-Za-z0-9+/]+=*:[0-9a-f]{64}$/);
    expect(paidFetch.spentSats).toBe(21);
    expect(paidFetch.payments).toEqual([
      { url: `${paywall.url}/premium?q=1`, amountSats: 21, paymentHash: expect.stringMatching(/^[0-9a-f]{64}$/), at: expect.any(Date) },
    ]);
    expect(reported).toEqual(paidFetch.payments);
    // The reported hash is the invoice's: its preimage is the one the fake network holds.
    expect(lightning.preimageByHash.has(paidFetch.payments[0]!.paymentHash)).toBe(true);
  });

  it("passes through answers that are not 402 without paying", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 5 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100, fetch: async () => new Response("free", { status: 200 }) });
    const response = await paidFetch(`${paywall.url}/free`);
    expect(await response.text()).toBe("free");
    expect(wallet.invoices).toHaveLength(0);
    expect(paidFetch.spentSats).toBe(0);
  });

  it("refuses an invoice above maxPriceSats and makes no payment", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 150 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });

    const refusal = await refusalOf(paidFetch(`${paywall.url}/premium`));

    expect(refusal.code).toBe("over_max_price");
    expect(refusal.details).toMatchObject({ amountSats: 150, maxPriceSats: 100 });
    expect(refusal.message).toContain("150 sats");
    expect(wallet.invoices).toHaveLength(0);
    expect(paidFetch.spentSats).toBe(0);
    expect(paywall.seen).toHaveLength(1);
  });

  it("stops paying once the budget is spent", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 40 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100, budgetSats: 100 });

    expect((await paidFetch(`${paywall.url}/a`)).status).toBe(200);
    expect((await paidFetch(`${paywall.url}/b`)).status).toBe(200);
    const refusal = await refusalOf(paidFetch(`${paywall.url}/c`));

    expect(refusal.code).toBe("over_budget");
    expect(refusal.details).toMatchObject({ amountSats: 40, remainingSats: 20 });
    expect(wallet.invoices).toHaveLength(2);
    expect(paidFetch.spentSats).toBe(80);
  });

  it("reserves the budget before paying, so concurrent calls cannot overspend it together", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 60 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100, budgetSats: 100 });

    const outcomes = await Promise.allSettled([paidFetch(`${paywall.url}/a`), paidFetch(`${paywall.url}/b`)]);

    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as L402PaymentRefused).code).toBe("over_budget");
    expect(paidFetch.spentSats).toBe(60);
  });

  it("refuses an invoice whose amount differs from the priceSats the 402 body advertises", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 50, advertisedSats: 10 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });

    const refusal = await refusalOf(paidFetch(`${paywall.url}/premium`));

    expect(refusal.code).toBe("amount_mismatch");
    expect(refusal.details).toMatchObject({ amountSats: 50, advertisedSats: 10 });
    expect(wallet.invoices).toHaveLength(0);
  });

  it("pays without priceSats in the body (the header alone is enough)", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 7, advertisedSats: null });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 10 });
    expect((await paidFetch(`${paywall.url}/premium`)).status).toBe(200);
    expect(paidFetch.spentSats).toBe(7);
  });

  it("refuses an amountless invoice", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: undefined, advertisedSats: null });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });
    expect((await refusalOf(paidFetch(`${paywall.url}/premium`))).code).toBe("amountless_invoice");
    expect(wallet.invoices).toHaveLength(0);
  });

  it("refuses a 402 without an L402 challenge", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 5, challengeStyle: "none" });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });
    expect((await refusalOf(paidFetch(`${paywall.url}/premium`))).code).toBe("no_challenge");
  });

  it('pays an LSAT challenge with token= and version="0" after another scheme, answering with the LSAT scheme', async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 3, challengeStyle: "lsat-token" });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 10 });

    const response = await paidFetch(`${paywall.url}/premium`);

    expect(response.status).toBe(200);
    expect(paywall.seen[1]!.authorization).toMatch(/^LSAT [A-Za-z0-9+/]+=*:[0-9a-f]{64}$/);
  });

  it("reuses a multi-use credential: the second call sends it proactively and pays nothing", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 10, usesPerPayment: 2 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });

    expect((await paidFetch(`${paywall.url}/premium`)).status).toBe(200);
    expect((await paidFetch(`${paywall.url}/premium?page=2`)).status).toBe(200);

    expect(wallet.invoices).toHaveLength(1);
    expect(paywall.seen.map((request) => request.authorization === undefined)).toEqual([true, false, false]);
    expect(paywall.seen[2]!.authorization).toBe(paywall.seen[1]!.authorization);
    expect(paidFetch.spentSats).toBe(10);
  });

  it("keeps credentials apart per method and path", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 10, usesPerPayment: 5 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });
    await paidFetch(`${paywall.url}/a`);
    await paidFetch(`${paywall.url}/b`);
    await paidFetch(`${paywall.url}/a`, { method: "POST", body: "x" });
    expect(wallet.invoices).toHaveLength(3);
  });

  it("drops a credential the server refuses later and pays the fresh challenge", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 10, usesPerPayment: 2 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 100 });

    await paidFetch(`${paywall.url}/premium`); // pays, use 1
    await paidFetch(`${paywall.url}/premium`); // reuses, use 2
    const third = await paidFetch(`${paywall.url}/premium`); // used up: 402, pays again

    expect(third.status).toBe(200);
    expect(wallet.invoices).toHaveLength(2);
    expect(paidFetch.payments).toHaveLength(2);
    expect(paidFetch.spentSats).toBe(20);
    // request 4 is the proactive credential refused; request 5 carries the new one.
    expect(paywall.seen[3]!.authorization).toBe(paywall.seen[1]!.authorization);
    expect(paywall.seen[4]!.authorization).not.toBe(paywall.seen[1]!.authorization);

    paywall.revokeAll();
    expect((await paidFetch(`${paywall.url}/premium`)).status).toBe(200);
    expect(wallet.invoices).toHaveLength(3);
  });

  it("re-sends the same method, headers and body on the paid retry of a POST", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 2 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 10 });
    const body = JSON.stringify({ prompt: "hello", n: 3 });

    const response = await paidFetch(
      new Request(`${paywall.url}/generate`, { method: "POST", headers: { "content-type": "application/json", "x-trace": "t1" }, body }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: "POST", body });
    expect(paywall.seen.map((request) => [request.method, request.body])).toEqual([
      ["POST", body],
      ["POST", body],
    ]);
  });

  it("re-sends a streamed body", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 2 });
    const paidFetch = createL402Fetch({ wallet, maxPriceSats: 10 });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("part one, "));
        controller.enqueue(new TextEncoder().encode("part two"));
        controller.close();
      },
    });
    const response = await paidFetch(`${paywall.url}/upload`, { method: "PUT", body: stream, duplex: "half" } as RequestInit);
    expect(response.status).toBe(200);
    expect(paywall.seen.map((request) => request.body)).toEqual(["part one, part two", "part one, part two"]);
  });

  it("returns a 402 that answers the paid retry instead of paying twice", async () => {
    const { paywall, wallet } = await setUp({ invoiceSats: 4 });
    // A server that never accepts: every answer is the paywall's 402.
    const paidFetch = createL402Fetch({
      wallet,
      maxPriceSats: 10,
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.delete("authorization");
        return fetch(request);
      },
    });
    const response = await paidFetch(`${paywall.url}/premium`);
    expect(response.status).toBe(402);
    expect(wallet.invoices).toHaveLength(1);
    expect(paidFetch.spentSats).toBe(4);
    // And the refused credential is not cached: the next call starts unauthenticated.
    await paidFetch(`${paywall.url}/premium`);
    expect(paywall.seen[2]!.authorization).toBeUndefined();
  });

  it("gives the budget back when the wallet fails, and surfaces an L402WalletError", async () => {
    const { paywall } = await setUp({ invoiceSats: 30 });
    const paidFetch = createL402Fetch({
      wallet: { payInvoice: async () => Promise.reject(new Error("no route")) },
      maxPriceSats: 100,
      budgetSats: 30,
    });
    const error = await paidFetch(`${paywall.url}/premium`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(L402WalletError);
    expect((error as L402WalletError).code).toBe("payment_failed");
    expect((error as L402WalletError).message).toContain("no route");
    expect(paidFetch.spentSats).toBe(0);
    // The 30 sats are still available: the next refusal (if any) is the wallet's, not the budget's.
    const second = await paidFetch(`${paywall.url}/premium`).catch((caught: unknown) => caught);
    expect(second).toBeInstanceOf(L402WalletError);
  });

  it("rejects a wallet's preimage that does not match the invoice, and keeps it counted", async () => {
    const { paywall } = await setUp({ invoiceSats: 30 });
    const paidFetch = createL402Fetch({
      wallet: { payInvoice: async () => ({ preimage: "ab".repeat(32) }) },
      maxPriceSats: 100,
      budgetSats: 50,
    });
    const error = await paidFetch(`${paywall.url}/premium`).catch((caught: unknown) => caught);
    expect((error as L402WalletError).code).toBe("bad_preimage");
    // Money may have left: the remaining 20 sats cannot cover another 30.
    expect((await refusalOf(paidFetch(`${paywall.url}/premium`))).code).toBe("over_budget");
  });

  it("validates its limits", () => {
    const wallet = { payInvoice: async () => ({ preimage: "" }) };
    expect(() => createL402Fetch({ wallet, maxPriceSats: -1 })).toThrow(/maxPriceSats/);
    expect(() => createL402Fetch({ wallet, maxPriceSats: 1, budgetSats: Number.NaN })).toThrow(/budgetSats/);
  });
});
