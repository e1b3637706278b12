// The invoice service end to end through its HTTP API: create → pay with the dev wallet →
// verify → verify again (refused, with a fresh challenge). Real peers check the artefacts:
// `bolt11` decodes and verifies the invoice, `macaroon` imports and verifies the token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bolt11 from "bolt11";
import * as macaroonPkg from "macaroon";
import { createHash, randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { addCaveats, macaroonFromBase64, macaroonToBase64 } from "@tollbooth/l402/protocol";

const LNGET_CHALLENGE = /(LSAT|L402)\s+macaroon="([^"]+)",\s*invoice="([^"]+)"/i;

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 100, description: "Premium data" });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/forecast/:city", priceSats: 21, usesPerPayment: 3 });
});
afterAll(async () => {
  await t.drop();
});

async function newInvoice(endpoint = "GET /premium", extra: Record<string, unknown> = {}) {
  const response = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint, ...extra } });
  expect(response.status).toBe(201);
  return response.body;
}

async function pay(invoice: string) {
  const response = await call(app, "POST", "/api/dev/pay", { body: { invoice } });
  expect(response.status).toBe(200);
  return response.body.preimage as string;
}

const verify = (authorization: string, extra: Record<string, unknown> = {}) =>
  call(app, "POST", "/api/v1/l402/verify", { key: owner.key, body: { authorization, method: "GET", path: "/premium", ...extra } });

describe("POST /api/v1/invoices", () => {
  it("returns a real BOLT11 invoice and a V2 macaroon that third-party code accepts", async () => {
    const issued = await newInvoice();
    expect(issued).toMatchObject({ amountSats: 100, endpoint: "GET /premium" });
    const decoded = bolt11.decode(issued.invoice);
    expect(decoded.complete).toBe(true);
    expect(decoded.satoshis).toBe(100);
    expect(decoded.tagsObject.payment_hash).toBe(issued.paymentHash);
    expect(decoded.tagsObject.description).toBe("Premium data");
    expect(decoded.payeeNodeKey).toMatch(/^0[23][0-9a-f]{64}$/);

    const imported = macaroonPkg.importMacaroon(issued.macaroon);
    const identifier = Buffer.from(imported.identifier as Uint8Array);
    expect(identifier).toHaveLength(66);
    expect(identifier.readUInt16BE(0)).toBe(0);
    expect(identifier.subarray(2, 34).toString("hex")).toBe(issued.paymentHash);
    const token = await t.db.l402Token.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } });
    expect(token.rootKeyId).toBe(createHash("sha256").update(identifier).digest("hex"));
    const caveats: string[] = [];
    imported.verify(new Uint8Array(token.rootKey), (caveat: string) => {
      caveats.push(caveat);
      return null;
    });
    expect(caveats).toEqual(expect.arrayContaining([`tenant=${owner.tenant.id}`, "endpoint=GET /premium", "uses=1"]));
    expect(() => imported.verify(randomBytes(32), () => null)).toThrow();

    const [, scheme, macaroon, invoice] = issued.challenge.match(LNGET_CHALLENGE)!;
    expect([scheme, macaroon, invoice]).toEqual(["L402", issued.macaroon, issued.invoice]);
    expect(issued.challenge).toBe(`L402 macaroon="${issued.macaroon}", invoice="${issued.invoice}"`);
  });

  it("registers an unknown endpoint that declares a price, and a registered price always wins", async () => {
    const discovered = await newInvoice("POST /reports/:id", { priceSats: 42 });
    expect(discovered.amountSats).toBe(42);
    const endpoint = await t.db.endpoint.findFirstOrThrow({ where: { tenantId: owner.tenant.id, method: "POST", path: "/reports/:id" } });
    expect(endpoint).toMatchObject({ discovered: true, priceSats: 42 });
    expect((await newInvoice("GET /premium", { priceSats: 1 })).amountSats).toBe(100);
    expect((await newInvoice(endpoint.id)).amountSats).toBe(42);
  });

  it("refuses an unknown endpoint without a price, and bad input, with the error shape", async () => {
    const unknown = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /nope" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: "invalid_request_error", code: "unknown_endpoint", param: "endpoint" });
    const cases: [unknown, string][] = [
      [{}, "endpoint"],
      [{ endpoint: "GET /x", priceSats: "10" }, "priceSats"],
      [{ endpoint: "GET /x", priceSats: -5 }, "priceSats"],
      [{ endpoint: "GET /x", priceSats: 1.5 }, "priceSats"],
      [{ endpoint: "FETCH /x", priceSats: 5 }, "endpoint"],
      [{ endpoint: "not an endpoint!" }, "endpoint"],
    ];
    for (const [body, param] of cases) {
      const response = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.param, JSON.stringify(body)).toBe(param);
    }
    const before = await t.db.invoice.count();
    const notJson = await app.request("/api/v1/invoices", {
      method: "POST",
      headers: { authorization: `Bearer ${owner.key}`, "content-type": "application/json" },
      body: "{nope",
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.type).toBe("invalid_request_error");
    expect(await t.db.invoice.count()).toBe(before);
  });
});

describe("pay, verify, verify again", () => {
  it("accepts a paid credential once, then refuses it with a fresh challenge", async () => {
    const issued = await newInvoice();
    const preimage = await pay(issued.invoice);
    expect(createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex")).toBe(issued.paymentHash);

    const first = await verify(`L402 ${issued.macaroon}:${preimage}`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      valid: true,
      paymentHash: issued.paymentHash,
      amountSats: 100,
      endpoint: "GET /premium",
      remainingUses: 0,
      redemption: 1,
    });

    const again = await verify(`L402 ${issued.macaroon}:${preimage}`);
    expect(again.status).toBe(402);
    expect(again.body.valid).toBe(false);
    expect(again.body.error).toMatchObject({ type: "payment_required", code: "used_up" });
    const [, , freshMacaroon, freshInvoice] = again.body.challenge.match(LNGET_CHALLENGE);
    expect(bolt11.decode(freshInvoice).tagsObject.payment_hash).not.toBe(issued.paymentHash);
    expect(freshMacaroon).not.toBe(issued.macaroon);

    const state = await call(app, "GET", `/api/v1/invoices/${issued.paymentHash}`, { key: owner.key });
    expect(state.body).toMatchObject({ state: "paid", amountSats: 100, token: { usesAllowed: 1, usesConsumed: 1 } });
  });

  it("accepts the credential variants real clients send (LSAT, any case, URL-safe base64, upper-case hex)", async () => {
    const issued = await newInvoice("GET /forecast/:city");
    const preimage = await pay(issued.invoice);
    const urlSafe = issued.macaroon.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    for (const authorization of [`LSAT ${issued.macaroon}:${preimage}`, `l402 ${urlSafe}:${preimage.toUpperCase()}`]) {
      const response = await verify(authorization, { path: "/forecast/lisbon" });
      expect(response.status, authorization).toBe(200);
    }
    const third = await verify(`L402 ${issued.macaroon}:${preimage}`, { path: "/forecast/oslo" });
    expect(third.body).toMatchObject({ valid: true, remainingUses: 0 });
    expect((await verify(`L402 ${issued.macaroon}:${preimage}`, { path: "/forecast/rome" })).body.error.code).toBe("used_up");
  });

  it("says why a credential is refused", async () => {
    const issued = await newInvoice();
    const preimage = await pay(issued.invoice);
    const expectCode = async (authorization: string, code: string, extra: Record<string, unknown> = {}) => {
      const response = await verify(authorization, extra);
      expect(response.status, code).toBe(402);
      expect(response.body.error.code).toBe(code);
    };
    await expectCode("Bearer nonsense", "malformed_credential");
    await expectCode(`L402 ${issued.macaroon}`, "malformed_credential");
    await expectCode(`L402 ${issued.macaroon}:${randomBytes(32).toString("hex")}`, "unpaid");
    await expectCode(`L402 ${issued.macaroon}:${preimage}`, "wrong_endpoint", { path: "/other" });

    // An unpaid invoice's credential cannot be guessed into validity.
    const unpaid = await newInvoice();
    await expectCode(`L402 ${unpaid.macaroon}:${"00".repeat(32)}`, "unpaid");

    await t.db.l402Token.update({ where: { paymentHash: issued.paymentHash }, data: { revokedAt: new Date() } });
    await expectCode(`L402 ${issued.macaroon}:${preimage}`, "revoked");

    const expiring = await newInvoice();
    const expiringPreimage = await pay(expiring.invoice);
    await t.db.l402Token.update({ where: { paymentHash: expiring.paymentHash }, data: { validUntil: new Date(Date.now() - 1000) } });
    await expectCode(`L402 ${expiring.macaroon}:${expiringPreimage}`, "expired");
  });

  it("honours caveats a holder adds: narrowing ones bind, ones we cannot honour refuse the token", async () => {
    const issued = await newInvoice();
    const preimage = await pay(issued.invoice);
    const token = macaroonFromBase64(issued.macaroon);
    const attenuated = (caveats: string[]) => `L402 ${macaroonToBase64(addCaveats(token, caveats))}:${preimage}`;
    const unknown = await verify(attenuated(["colour=blue"]));
    expect(unknown.body.error).toMatchObject({ code: "caveat_failed", message: expect.stringContaining("colour=blue") });
    const widened = await verify(attenuated(["uses=5"]));
    expect(widened.body.error.code).toBe("caveat_failed");
    const expiredByHolder = await verify(attenuated([`valid_until=${Math.floor(Date.now() / 1000) - 10}`]));
    expect(expiredByHolder.body.error).toEqual({
      type: "payment_required",
      code: "expired",
      message: "This token has expired: pay the fresh invoice to call again.",
    });
    // None of the refusals spent the use.
    expect((await verify(`L402 ${issued.macaroon}:${preimage}`)).body.valid).toBe(true);
  });

  it("a tampered macaroon fails its signature check", async () => {
    const issued = await newInvoice();
    const preimage = await pay(issued.invoice);
    const bytes = Buffer.from(issued.macaroon, "base64");
    bytes[bytes.length - 5] ^= 0x01; // inside the signature
    const response = await verify(`L402 ${bytes.toString("base64")}:${preimage}`);
    expect(response.status).toBe(402);
    expect(["invalid_signature", "malformed_credential"]).toContain(response.body.error.code);
  });
});

describe("the dev wallet", () => {
  it("is idempotent, refuses expired invoices, foreign invoices and garbage", async () => {
    const issued = await newInvoice();
    const first = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } });
    const second = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } });
    expect(second.body).toMatchObject({ preimage: first.body.preimage, alreadyPaid: true });

    const expiring = await newInvoice();
    await t.db.simulatedInvoice.update({ where: { paymentHash: expiring.paymentHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await call(app, "POST", "/api/dev/pay", { body: { invoice: expiring.invoice } });
    expect(expired.status).toBe(400);
    expect(expired.body.error.code).toBe("invoice_expired");

    // The BOLT 11 spec's own example: valid, but not ours.
    const foreign = await call(app, "POST", "/api/dev/pay", {
      body: {
        invoice:
          "lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql",
      },
    });
    expect([403, 404]).toContain(foreign.status);
    const garbage = await call(app, "POST", "/api/dev/pay", { body: { invoice: "hello" } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe("invalid_invoice");
  });

  it("never pays a live invoice", async () => {
    const live = await tenantWithKey(t.db, { mode: "live" });
    await createEndpoint(t.db, live.tenant.id, { method: "GET", path: "/live", priceSats: 5 });
    const issued = await call(app, "POST", "/api/v1/invoices", { key: live.key, body: { endpoint: "GET /live" } });
    expect(issued.status).toBe(201);
    expect(issued.body.invoice).toMatch(/^lnbc/);
    const refused = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.body.invoice } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("live_invoice");
    expect((await t.db.simulatedInvoice.findUniqueOrThrow({ where: { paymentHash: issued.body.paymentHash } })).settledAt).toBeNull();
  });
});

describe("OpenAPI", () => {
  it("documents the invoice API from the same schemas", async () => {
    const doc = (await call(app, "GET", "/api/v1/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/invoices",
        "/api/v1/invoices/{paymentHash}",
        "/api/v1/l402/verify",
        "/api/v1/endpoints",
        "/api/dev/pay",
      ]),
    );
    expect(doc.paths["/api/v1/l402/verify"].post.responses).toHaveProperty("402");
    expect(doc.components.schemas.CreateInvoiceRequest.required).toContain("endpoint");
  });
});
