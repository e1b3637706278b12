// The public routes a payment page uses to finish a call by itself once a phone wallet has
// paid: the invoice's state by payment hash (public, nothing secret in it) and the preimage
// for the holder of the invoice's macaroon only. Real Postgres (or PGlite), the simulated
// node, and tests/fakes/lnd-server.ts for a live-mode invoice on an LND backend.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER } from "../../lib/http/client-ip";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { addCaveats, macaroonFromBase64, macaroonToBase64, mintMacaroon } from "@tollbooth/l402/protocol";
import { startFakeLnd, type FakeLnd } from "../fakes/lnd-server";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
let lnd: FakeLnd;
const savedEnv = { ...process.env };

beforeAll(async () => {
  lnd = await startFakeLnd();
  // Live keys of this file use the LND fake; test keys always use the simulated node.
  Object.assign(process.env, { LIGHTNING_BACKEND: "lnd", LND_REST_URL: lnd.url, LND_MACAROON_HEX: lnd.macaroonHex });
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
});
afterAll(async () => {
  process.env = savedEnv;
  await t.drop();
  await lnd.close();
});

const sha256Hex = (hex: string) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
// In-process requests skip server.ts, which stamps the resolved client address for real ones.
const fromIp = (ip: string) => ({ headers: { [CLIENT_IP_HEADER]: ip } });

async function newInvoice(key = owner.key) {
  const response = await call(app, "POST", "/api/v1/invoices", { key, body: { endpoint: "GET /premium" } });
  expect(response.status).toBe(201);
  return response.body as { paymentHash: string; invoice: string; macaroon: string };
}

const pay = (invoice: string) => call(app, "POST", "/api/dev/pay", { body: { invoice } });
const status = (paymentHash: string, ip = "198.51.100.1") => call(app, "GET", `/api/public/invoices/${paymentHash}`, fromIp(ip));
const preimageFor = (macaroon: unknown, ip = "198.51.100.1") =>
  call(app, "POST", "/api/public/l402/preimage", { body: { macaroon }, ...fromIp(ip) });

describe("GET /api/public/invoices/{paymentHash}", () => {
  it("says pending, then paid as soon as the node is paid (before anyone redeems), with nothing else in it", async () => {
    const issued = await newInvoice();
    const before = await status(issued.paymentHash);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ paymentHash: issued.paymentHash, state: "pending" });
    expect(before.headers.get("access-control-allow-origin")).toBe("*");
    expect(before.headers.get("cache-control")).toBe("no-store");

    expect((await pay(issued.invoice)).status).toBe(200);
    const after = await status(issued.paymentHash.toUpperCase());
    expect(after.body).toEqual({ paymentHash: issued.paymentHash, state: "paid" });
    // Read-only: crediting is verify's and the watcher's job.
    expect((await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: issued.paymentHash } })).state).toBe("pending");
  });

  it("says expired when the invoice expired unpaid", async () => {
    const issued = await newInvoice();
    await t.db
      .$executeRaw`UPDATE simulated_invoices SET expires_at = now() - interval '1 minute' WHERE payment_hash = ${issued.paymentHash}`;
    await t.db.$executeRaw`UPDATE invoices SET expires_at = now() - interval '1 minute' WHERE payment_hash = ${issued.paymentHash}`;
    expect((await status(issued.paymentHash)).body).toEqual({ paymentHash: issued.paymentHash, state: "expired" });
  });

  it("refuses what is not a payment hash (400) and does not know other hashes (404)", async () => {
    const bad = await status("not-a-hash");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: "invalid_request_error", param: "paymentHash" });
    const unknown = await status(randomBytes(32).toString("hex"));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("invoice_not_found");
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("POST /api/public/l402/preimage", () => {
  it("gives the holder of the macaroon the preimage once the invoice is paid, and the credential works", async () => {
    const issued = await newInvoice();
    const early = await preimageFor(issued.macaroon);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe("invoice_not_paid");

    const paid = await pay(issued.invoice);
    const answer = await preimageFor(issued.macaroon);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ paymentHash: issued.paymentHash, preimage: paid.body.preimage });
    expect(sha256Hex(answer.body.preimage)).toBe(issued.paymentHash);
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");

    const verified = await call(app, "POST", "/api/v1/l402/verify", {
      key: owner.key,
      body: { authorization: `L402 ${issued.macaroon}:${answer.body.preimage}`, method: "GET", path: "/premium" },
    });
    expect(verified.body).toMatchObject({ valid: true, paymentHash: issued.paymentHash });
    // Still answered after redemption: a page reloaded after the call finds it again.
    expect((await preimageFor(issued.macaroon)).body.preimage).toBe(paid.body.preimage);
  });

  it("accepts a macaroon its holder narrowed with a caveat (still theirs)", async () => {
    const issued = await newInvoice();
    await pay(issued.invoice);
    const narrowed = macaroonToBase64(addCaveats(macaroonFromBase64(issued.macaroon), ["uses=1"]));
    expect((await preimageFor(narrowed)).status).toBe(200);
  });

  it("never gives the preimage without the invoice's own, intact macaroon", async () => {
    const issued = await newInvoice();
    await pay(issued.invoice);
    const genuine = macaroonFromBase64(issued.macaroon);

    // The signature altered, a caveat stripped, or the same identifier signed with a key of one's own.
    const flipped = { ...genuine, signature: genuine.signature.map((byte, i) => (i === 0 ? byte ^ 1 : byte)) };
    const stripped = { ...genuine, caveats: genuine.caveats.slice(0, -1) };
    const forged = mintMacaroon({ rootKey: randomBytes(32), identifier: genuine.identifier, caveats: genuine.caveats });
    for (const macaroon of [flipped, stripped, forged]) {
      const refused = await preimageFor(macaroonToBase64(macaroon));
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        error: { type: "permission_error", code: "macaroon_not_accepted", message: expect.any(String), param: "macaroon" },
      });
    }

    // Another invoice's macaroon gives that invoice's preimage, never this one's.
    const other = await newInvoice();
    await pay(other.invoice);
    const otherAnswer = await preimageFor(other.macaroon);
    expect(otherAnswer.body.paymentHash).toBe(other.paymentHash);
    expect(sha256Hex(otherAnswer.body.preimage)).toBe(other.paymentHash);

    // Nothing, or not a macaroon: 400 with the field named.
    for (const body of [undefined, "", "!!!", Buffer.from("hello").toString("base64"), 42]) {
      const refused = await preimageFor(body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.param).toBe("macaroon");
    }
  });

  it("says when the invoice expired unpaid", async () => {
    const issued = await newInvoice();
    await t.db
      .$executeRaw`UPDATE simulated_invoices SET expires_at = now() - interval '1 minute' WHERE payment_hash = ${issued.paymentHash}`;
    const refused = await preimageFor(issued.macaroon);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("invoice_expired");
  });

  it("answers a browser's CORS preflight from any origin", async () => {
    const response = await app.request("/api/public/l402/preimage", {
      method: "OPTIONS",
      headers: {
        origin: "http://shop.example:4000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
  });
});

describe("a live invoice on LND", () => {
  it("reads the state and the preimage from the node that issued it", async () => {
    const { key } = await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" });
    const issued = await newInvoice(key);
    expect((await status(issued.paymentHash)).body.state).toBe("pending");
    expect((await preimageFor(issued.macaroon)).status).toBe(409);

    lnd.settle(issued.paymentHash);
    expect((await status(issued.paymentHash)).body.state).toBe("paid");
    const answer = await preimageFor(issued.macaroon);
    expect(answer.status).toBe(200);
    expect(sha256Hex(answer.body.preimage)).toBe(issued.paymentHash);
    expect(lnd.requests.at(-1)).toMatchObject({ method: "GET", path: `/v1/invoice/${issued.paymentHash}` });
  });

  it("answers 503 (retry) when the node cannot be reached", async () => {
    const { key } = await createApiKey(t.db, owner.tenant.id, { name: "live 2", mode: "live" });
    const issued = await newInvoice(key);
    await lnd.close();
    try {
      const response = await status(issued.paymentHash);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe("lightning_unavailable");
    } finally {
      lnd = await startFakeLnd(); // afterAll closes it
    }
  });
});

describe("limits and the API document", () => {
  it("rate-limits per client address, with Retry-After and CORS on the 429", async () => {
    Object.assign(process.env, { PUBLIC_RATE_LIMIT_PER_SECOND: "1", PUBLIC_RATE_LIMIT_BURST: "3" });
    const limited = createApiApp();
    delete process.env.PUBLIC_RATE_LIMIT_PER_SECOND;
    delete process.env.PUBLIC_RATE_LIMIT_BURST;
    const hash = randomBytes(32).toString("hex");
    const get = (ip: string) => limited.request(`/api/public/invoices/${hash}`, fromIp(ip));
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get("203.0.113.9")).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const refused = await get("203.0.113.9");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    expect((await get("203.0.113.10")).status).toBe(404); // another address has its own budget
  });

  it("is in the OpenAPI document, without an API key", async () => {
    const doc = (await call(app, "GET", "/api/v1/openapi.json")).body;
    expect(doc.paths["/api/public/invoices/{paymentHash}"].get.security).toBeUndefined();
    expect(doc.paths["/api/public/l402/preimage"].post.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas.PublicInvoiceStatus.properties)).toEqual(["paymentHash", "state"]);
  });
});
