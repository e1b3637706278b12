// The LNbits adapter against tests/fakes/lnbits-server.ts, a fake that follows LNbits'
// documented wallet API (no LNbits or Lightning node can run on these machines, so this
// is not a real LNbits). The recorded requests prove the wire format: X-Api-Key with the
// right key, out:false sent explicitly, whole sats.
import { createHash } from "node:crypto";
import bolt11 from "bolt11";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LightningError } from "../../lib/lightning/backend";
import { createLnbitsBackend } from "../../lib/lightning/lnbits";
import { remoteInvoice as makeRemoteInvoice } from "../fakes/remote-invoice";
import { startFakeLnbits, type FakeLnbits } from "../fakes/lnbits-server";

let fake: FakeLnbits;
let legacy: FakeLnbits;
beforeAll(async () => {
  fake = await startFakeLnbits({ flavor: "1.x" });
  legacy = await startFakeLnbits({ flavor: "0.x" });
});
afterAll(async () => {
  await fake.close();
  await legacy.close();
});
beforeEach(() => {
  fake.setPaymentBehaviour({ kind: "succeed" });
});

const sha256Hex = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const backendFor = (server: FakeLnbits) =>
  createLnbitsBackend({ url: server.url, invoiceKey: server.invoiceKey, adminKey: server.adminKey, pollIntervalMs: 50 });

const remoteInvoice = (amountMsat = 25_000n) => makeRemoteInvoice(amountMsat);

describe("lnbits: invoices", () => {
  for (const flavor of ["1.x", "0.x"] as const) {
    it(`creates with out:false and whole sats, with the invoice key, and reads the answer of LNbits ${flavor}`, async () => {
      const server = flavor === "1.x" ? fake : legacy;
      const lnbits = backendFor(server);
      const created = await lnbits.createInvoice({ amountMsat: 21_000n, description: "GET /premium", expirySeconds: 600 });

      const request = server.requests.at(-1)!;
      expect(request).toMatchObject({ method: "POST", path: "/api/v1/payments" });
      expect(request.headers["x-api-key"]).toBe(server.invoiceKey);
      expect(request.body).toEqual({ out: false, amount: 21, unit: "sat", memo: "GET /premium", expiry: 600 });

      const decoded = bolt11.decode(created.bolt11);
      expect(decoded.complete).toBe(true);
      expect(decoded.millisatoshis).toBe("21000");
      expect(decoded.tagsObject.payment_hash).toBe(created.paymentHash);
      expect(created.expiresAt.getTime()).toBe((decoded.timestamp! + 600) * 1000);

      expect(await lnbits.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
      expect(server.requests.at(-1)).toMatchObject({ method: "GET", path: `/api/v1/payments/${created.paymentHash}` });
      expect(server.requests.at(-1)!.headers["x-api-key"]).toBe(server.invoiceKey);

      server.settle(created.paymentHash);
      const status = await lnbits.lookupInvoice(created.paymentHash);
      expect(status).toMatchObject({ state: "settled", amountPaidMsat: 21_000n });
      if (status.state !== "settled") throw new Error("unreachable");
      expect(sha256Hex(status.preimage)).toBe(created.paymentHash);
      expect(Math.abs(status.settledAt.getTime() - Date.now())).toBeLessThan(5_000);
    });
  }

  it("refuses amounts that are not whole sats before calling LNbits", async () => {
    const count = fake.requests.length;
    await expect(backendFor(fake).createInvoice({ amountMsat: 21_500n, description: "x", expirySeconds: 60 })).rejects.toThrow(
      /whole sats/,
    );
    expect(fake.requests.length).toBe(count);
  });

  it("an invoice is expired when LNbits says so (failed), not by our clock", async () => {
    const lnbits = backendFor(fake);
    const created = await lnbits.createInvoice({ amountMsat: 1_000n, description: "short", expirySeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Past its expiry but LNbits still has it pending: a payment can still land.
    expect(await lnbits.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
    fake.payments.get(created.paymentHash)!.status = "failed";
    expect(await lnbits.lookupInvoice(created.paymentHash)).toEqual({ state: "expired" });
  });

  it("surfaces errors as LightningError: unknown invoice, wrong key", async () => {
    await expect(backendFor(fake).lookupInvoice("ab".repeat(32))).rejects.toMatchObject({ name: "LightningError", status: 404 });
    const wrongKey = createLnbitsBackend({ url: fake.url, invoiceKey: "nope", adminKey: "nope" });
    const error = await wrongKey.createInvoice({ amountMsat: 1_000n, description: "x", expirySeconds: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightningError);
    expect(error).toMatchObject({ backend: "lnbits", status: 401, message: expect.stringContaining("Invalid key or wallet.") });
  });
});

describe("lnbits: payments", () => {
  it("pays with out:true and the admin key, then reads the outcome", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice(25_000n);
    fake.addRemotePreimage(preimageHex);
    fake.setPaymentBehaviour({ kind: "succeed", feeMsat: 3_000n });
    const paid = await backendFor(fake).payInvoice({ bolt11: invoice, maxFeeMsat: 5_000n, timeoutSeconds: 10 });
    expect(paid).toEqual({ state: "succeeded", preimage: preimageHex, feeMsat: 3_000n, amountMsat: 25_000n });

    const post = fake.requests.find((r) => r.method === "POST" && (r.body as { bolt11?: string }).bolt11 === invoice)!;
    expect(post.headers["x-api-key"]).toBe(fake.adminKey);
    expect(post.body).toEqual({ out: true, bolt11: invoice });
    expect(await backendFor(fake).lookupPayment(paymentHashHex)).toEqual(paid);

    // Again: answered from LNbits' record, no second POST.
    const posts = fake.requests.filter((r) => r.method === "POST").length;
    expect(await backendFor(fake).payInvoice({ bolt11: invoice, maxFeeMsat: 5_000n, timeoutSeconds: 10 })).toEqual(paid);
    expect(fake.requests.filter((r) => r.method === "POST").length).toBe(posts);
  });

  it("reports a payment error (520, status failed) as failed with LNbits' reason", async () => {
    const { invoice } = remoteInvoice();
    fake.setPaymentBehaviour({ kind: "fail", detail: "Insufficient balance." });
    expect(await backendFor(fake).payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 5 })).toEqual({
      state: "failed",
      reason: "Insufficient balance.",
    });
  });

  it("a payment still pending when time runs out is in_flight; lookupPayment sees it finish", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice();
    fake.addRemotePreimage(preimageHex);
    fake.setPaymentBehaviour({ kind: "pending" });
    expect(await backendFor(fake).payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 1 })).toEqual({ state: "in_flight" });
    expect(await backendFor(fake).lookupPayment(paymentHashHex)).toEqual({ state: "in_flight" });
    fake.finishOutgoing(paymentHashHex, "success");
    expect(await backendFor(fake).lookupPayment(paymentHashHex)).toMatchObject({ state: "succeeded", preimage: preimageHex });
  });

  it("a pending payment that fails later reads as failed", async () => {
    const { invoice, paymentHashHex } = remoteInvoice();
    fake.setPaymentBehaviour({ kind: "pending" });
    expect(await backendFor(fake).payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 1 })).toEqual({ state: "in_flight" });
    fake.finishOutgoing(paymentHashHex, "failed");
    expect(await backendFor(fake).lookupPayment(paymentHashHex)).toMatchObject({ state: "failed" });
  });

  it("works with LNbits 0.x's short pay answer too", async () => {
    const { invoice, preimageHex } = remoteInvoice(2_000n);
    legacy.addRemotePreimage(preimageHex);
    expect(await backendFor(legacy).payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 5 })).toMatchObject({
      state: "succeeded",
      preimage: preimageHex,
      amountMsat: 2_000n,
    });
  });

  it("lookupPayment of a hash it never paid is unknown; paying with only an invoice key is a LightningError", async () => {
    expect(await backendFor(fake).lookupPayment("cd".repeat(32))).toEqual({ state: "unknown" });
    const invoiceKeyOnly = createLnbitsBackend({ url: fake.url, invoiceKey: fake.invoiceKey, adminKey: fake.invoiceKey });
    await expect(invoiceKeyOnly.payInvoice({ bolt11: remoteInvoice().invoice, maxFeeMsat: 0n, timeoutSeconds: 5 })).rejects.toMatchObject({
      name: "LightningError",
      status: 403,
    });
  });
});
