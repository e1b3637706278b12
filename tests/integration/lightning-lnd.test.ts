// The LND adapter against tests/fakes/lnd-server.ts, a fake that follows LND's documented
// REST API (no Lightning node can run on these machines, so this is not a real LND). The
// requests it records prove the wire format: macaroon header, string int64s, hex and
// base64 in the right places, SendPaymentV2's stream.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import bolt11 from "bolt11";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LightningError } from "../../lib/lightning/backend";
import { createPinnedCertFetch } from "../../lib/lightning/http";
import { createLndBackend } from "../../lib/lightning/lnd";
import { remoteInvoice as makeRemoteInvoice } from "../fakes/remote-invoice";
import { startFakeLnd, type FakeLnd } from "../fakes/lnd-server";

let fake: FakeLnd;
beforeAll(async () => {
  fake = await startFakeLnd();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.setPaymentBehaviour({ kind: "succeed" });
});

const sha256Hex = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const backend = () => createLndBackend({ restUrl: fake.url, macaroonHex: fake.macaroonHex, payGraceMs: 0, trackTimeoutMs: 2_000 });

const remoteInvoice = (amountMsat = 50_000n) => makeRemoteInvoice(amountMsat);

describe("lnd: invoices", () => {
  it("creates an invoice with POST /v1/invoices: value_msat and expiry as strings, the macaroon header", async () => {
    const created = await backend().createInvoice({ amountMsat: 150_500n, description: "GET /premium", expirySeconds: 600 });
    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v1/invoices" });
    expect(request.headers["grpc-metadata-macaroon"]).toBe(fake.macaroonHex);
    expect(request.body).toEqual({ value_msat: "150500", memo: "GET /premium", expiry: "600" });

    const decoded = bolt11.decode(created.bolt11);
    expect(decoded.payeeNodeKey).toBe(fake.nodeIdHex); // signature verifies against LND's node key
    expect(decoded.millisatoshis).toBe("150500");
    expect(decoded.tagsObject.payment_hash).toBe(created.paymentHash);
    expect(created.paymentHash).toMatch(/^[0-9a-f]{64}$/); // r_hash came as base64
    expect(created.expiresAt.getTime()).toBe((decoded.timestamp! + 600) * 1000);
  });

  it("looks up by hex hash: pending, then settled with the preimage", async () => {
    const lnd = backend();
    const created = await lnd.createInvoice({ amountMsat: 10_000n, description: "x", expirySeconds: 600 });
    expect(await lnd.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: `/v1/invoice/${created.paymentHash}` });

    fake.settle(created.paymentHash, 10_000n);
    const status = await lnd.lookupInvoice(created.paymentHash);
    expect(status).toMatchObject({ state: "settled", amountPaidMsat: 10_000n });
    if (status.state !== "settled") throw new Error("unreachable");
    expect(sha256Hex(status.preimage)).toBe(created.paymentHash); // r_preimage came as base64
    expect(Math.abs(status.settledAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it("an expired invoice (LND cancels it) reads as expired", async () => {
    const lnd = backend();
    const created = await lnd.createInvoice({ amountMsat: 1_000n, description: "short", expirySeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await lnd.lookupInvoice(created.paymentHash)).toEqual({ state: "expired" });
  });

  it("an invoice past its expiry that LND has not cancelled yet is still pending, and can settle", async () => {
    // LND's expiry watcher cancels on its own schedule; until it has, a payment can land.
    const slow = await startFakeLnd({ cancelExpired: false });
    try {
      const lnd = createLndBackend({ restUrl: slow.url, macaroonHex: slow.macaroonHex });
      const created = await lnd.createInvoice({ amountMsat: 1_000n, description: "late", expirySeconds: 60 });
      slow.invoices.get(created.paymentHash)!.creationDate -= 3_600;
      expect(await lnd.lookupInvoice(created.paymentHash)).toEqual({ state: "pending" });
      slow.settle(created.paymentHash);
      expect(await lnd.lookupInvoice(created.paymentHash)).toMatchObject({ state: "settled", amountPaidMsat: 1_000n });
    } finally {
      await slow.close();
    }
  });

  it("surfaces LND's errors as LightningError: unknown invoice, wrong or missing macaroon", async () => {
    await expect(backend().lookupInvoice("ab".repeat(32))).rejects.toMatchObject({
      name: "LightningError",
      status: 404,
      message: expect.stringContaining("unable to locate invoice"),
    });
    const wrong = createLndBackend({ restUrl: fake.url, macaroonHex: "00".repeat(40) });
    const error = await wrong.createInvoice({ amountMsat: 1_000n, description: "x", expirySeconds: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightningError);
    expect(error).toMatchObject({ backend: "lnd", status: 500, message: expect.stringContaining("verification failed") });
    expect(() => createLndBackend({ restUrl: fake.url, macaroonHex: "not hex" })).toThrow(/hex/);
  });

  it("an unreachable node is a LightningError, not a crash", async () => {
    const gone = createLndBackend({ restUrl: "http://127.0.0.1:1", macaroonHex: fake.macaroonHex });
    await expect(gone.lookupInvoice("ab".repeat(32))).rejects.toBeInstanceOf(LightningError);
  });
});

describe("lnd: payments", () => {
  it("pays with POST /v2/router/send and reads the streamed final update", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice(50_000n);
    fake.addRemotePreimage(preimageHex);
    fake.setPaymentBehaviour({ kind: "succeed", feeMsat: 12n });
    const paid = await backend().payInvoice({ bolt11: invoice, maxFeeMsat: 1_000n, timeoutSeconds: 30 });
    expect(paid).toEqual({ state: "succeeded", preimage: preimageHex, feeMsat: 12n, amountMsat: 50_000n });

    const request = fake.requests.at(-1)!;
    expect(request).toMatchObject({ method: "POST", path: "/v2/router/send" });
    expect(request.headers["grpc-metadata-macaroon"]).toBe(fake.macaroonHex);
    expect(request.body).toEqual({ payment_request: invoice, timeout_seconds: 30, fee_limit_msat: "1000", no_inflight_updates: true });

    expect(await backend().lookupPayment(paymentHashHex)).toEqual(paid);
    // The track path carries the hash as padded URL-safe base64 (a bytes path parameter).
    const trackPath = fake.requests.at(-1)!.path;
    expect(trackPath).toBe(
      `/v2/router/track/${Buffer.from(paymentHashHex, "hex").toString("base64").replace(/\+/g, "-").replace(/\//g, "_")}?no_inflight_updates=false`,
    );
  });

  it("paying an invoice again is answered from LND's record, not paid twice", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice();
    fake.addRemotePreimage(preimageHex);
    const first = await backend().payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 30 });
    const second = await backend().payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 30 });
    expect(second).toEqual(first);
    expect(first.state).toBe("succeeded");
    expect(fake.payments.get(paymentHashHex)?.status).toBe("SUCCEEDED");
  });

  it("reports a failed payment with LND's failure reason", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice();
    fake.addRemotePreimage(preimageHex);
    fake.setPaymentBehaviour({ kind: "fail", reason: "FAILURE_REASON_NO_ROUTE" });
    expect(await backend().payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 30 })).toEqual({
      state: "failed",
      reason: "FAILURE_REASON_NO_ROUTE",
    });
    expect(await backend().lookupPayment(paymentHashHex)).toEqual({ state: "failed", reason: "FAILURE_REASON_NO_ROUTE" });

    const unknownToDestination = remoteInvoice();
    fake.setPaymentBehaviour({ kind: "succeed" });
    expect(await backend().payInvoice({ bolt11: unknownToDestination.invoice, maxFeeMsat: 0n, timeoutSeconds: 30 })).toEqual({
      state: "failed",
      reason: "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS",
    });
  });

  it("a payment still in flight when our deadline passes is in_flight, and lookupPayment follows it to the end", async () => {
    const { invoice, paymentHashHex, preimageHex } = remoteInvoice();
    fake.addRemotePreimage(preimageHex);
    fake.setPaymentBehaviour({ kind: "hold" });
    expect(await backend().payInvoice({ bolt11: invoice, maxFeeMsat: 0n, timeoutSeconds: 1 })).toEqual({ state: "in_flight" });
    expect(await backend().lookupPayment(paymentHashHex)).toEqual({ state: "in_flight" });
    fake.release({ kind: "succeed" });
    expect(await backend().lookupPayment(paymentHashHex)).toMatchObject({ state: "succeeded", preimage: preimageHex });
  });

  it("lookupPayment of a hash LND never paid is unknown", async () => {
    expect(await backend().lookupPayment("cd".repeat(32))).toEqual({ state: "unknown" });
  });

  it("an invalid invoice is refused before anything is sent", async () => {
    const count = fake.requests.length;
    await expect(backend().payInvoice({ bolt11: "lnbcrt1garbage", maxFeeMsat: 0n, timeoutSeconds: 5 })).rejects.toBeInstanceOf(
      LightningError,
    );
    expect(fake.requests.length).toBe(count);
  });
});

describe("lnd: tls.cert pinning", () => {
  it("talks HTTPS to a server with a self-signed certificate given as tlsCert", async (context) => {
    const dir = mkdtempSync(path.join(tmpdir(), "lnd-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=localhost",
          "-addext",
          "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout",
          path.join(dir, "tls.key"),
          "-out",
          path.join(dir, "tls.cert"),
        ],
        { stdio: "ignore" },
      );
    } catch {
      context.skip(); // no openssl on this machine
    }
    const cert = readFileSync(path.join(dir, "tls.cert"), "utf8");
    const server = createServer({ cert, key: readFileSync(path.join(dir, "tls.key")) }, (request, response) => {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          code: 5,
          message: `unable to locate invoice (macaroon ${request.headers["grpc-metadata-macaroon"]})`,
          details: [],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const restUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const pinned = createLndBackend({ restUrl, macaroonHex: "abcd", tlsCert: cert });
      await expect(pinned.lookupInvoice("ab".repeat(32))).rejects.toMatchObject({
        status: 404,
        message: expect.stringContaining("macaroon abcd"),
      });
      // Without the pinned certificate the TLS handshake must fail.
      await expect(createLndBackend({ restUrl, macaroonHex: "abcd" }).lookupInvoice("ab".repeat(32))).rejects.toMatchObject({
        status: undefined,
      });
      // And the pinned fetch streams bodies like fetch does.
      const response = await createPinnedCertFetch(cert)(`${restUrl}/v1/getinfo`, { method: "POST", body: "{}" });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 5 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
