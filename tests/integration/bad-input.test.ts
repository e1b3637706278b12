// Bad input gets a clear 4xx, never a 500 (issue #7, item 9): NUL characters Postgres
// cannot store, descriptions too long for BOLT11 once UTF-8 encoded, numbers too big for
// a Postgres integer, QR text the encoder cannot hold, and PATCHes that change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { decodeInvoiceBasic } from "../../lib/lightning/bolt11";
import { MAX_DESCRIPTION_BYTES } from "../../lib/lightning/bolt11-tags";
import { clearEndpointCache } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { createAccount, createTenantForUser } from "../../lib/tenants/accounts";
import { updateTenantSettings } from "../../lib/tenants/settings";
import { createInvitation, revokeInvitation } from "../../lib/tenants/invitations";
import { changeRole } from "../../lib/tenants/members";
import { MAX_QR_TEXT } from "../../lib/qr/svg";
import { PASSWORD, uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
});
afterAll(async () => {
  await t.drop();
});

const NUL = "before\u0000after";
const EURO = "€"; // 3 bytes of UTF-8
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

function expectInvalid(
  response: { status: number; body: { error?: { type?: string; message?: string; param?: string } } },
  param: string,
  message: RegExp,
) {
  expect(response.status).toBe(400);
  expect(response.body.error).toMatchObject({ type: "invalid_request_error", param });
  expect(response.body.error!.message).toMatch(message);
}

async function newEndpoint(path: string, extra: Record<string, unknown> = {}) {
  const response = await call(app, "POST", "/api/v1/endpoints", { key: owner.key, body: { method: "GET", path, priceSats: 5, ...extra } });
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

describe("NUL characters", () => {
  it("are refused in endpoint and invoice descriptions and release reasons", async () => {
    expectInvalid(
      await call(app, "POST", "/api/v1/endpoints", {
        key: owner.key,
        body: { method: "GET", path: "/nul", priceSats: 1, description: NUL },
      }),
      "description",
      /NUL/,
    );
    const endpoint = await newEndpoint("/nul-patch");
    expectInvalid(
      await call(app, "PATCH", `/api/v1/endpoints/${endpoint.id}`, { key: owner.key, body: { description: NUL } }),
      "description",
      /NUL/,
    );
    expectInvalid(
      await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /nul-patch", description: NUL } }),
      "description",
      /NUL/,
    );
    expectInvalid(
      await call(app, "POST", "/api/v1/l402/release", {
        key: owner.key,
        body: { paymentHash: "a".repeat(64), redemption: 1, reason: NUL },
      }),
      "reason",
      /NUL/,
    );
    // In a path parameter too: Postgres refuses NUL even in a WHERE clause.
    expectInvalid(await call(app, "PATCH", "/api/v1/endpoints/%00", { key: owner.key, body: { priceSats: 2 } }), "id", /NUL/);
  });

  it("are refused in API-key, tenant, person and member input before Postgres sees them", async () => {
    const refusals = [
      () => createApiKey(t.db, owner.tenant.id, { name: NUL }),
      () => createAccount(t.db, { email: uniqueEmail(), password: PASSWORD, tenantName: NUL }),
      () => createAccount(t.db, { email: uniqueEmail(), password: PASSWORD, tenantName: "Fine", name: NUL }),
      () => createTenantForUser(t.db, owner.user.id, NUL),
      () => updateTenantSettings(t.db, owner.user.id, owner.tenant.id, { name: NUL }),
      () => updateTenantSettings(t.db, owner.user.id, owner.tenant.id, { name: "Fine", logoUrl: `https://example.com/${NUL}.png` }),
      () => changeRole(t.db, owner.user.id, owner.tenant.id, { membershipId: NUL, role: "viewer" }),
      () => revokeInvitation(t.db, owner.user.id, owner.tenant.id, NUL),
    ];
    for (const refused of refusals)
      await expect(refused()).rejects.toMatchObject({ type: "invalid_request_error", message: expect.stringMatching(/NUL/) });
    // The well-formed counterparts still work.
    const { invitation } = await createInvitation(t.db, owner.user.id, owner.tenant.id, { role: "viewer" });
    await expect(revokeInvitation(t.db, owner.user.id, owner.tenant.id, invitation.id)).resolves.toBeUndefined();
  });
});

describe("descriptions are measured in UTF-8 bytes, as BOLT11 holds them", () => {
  const fits = EURO.repeat(Math.floor(MAX_DESCRIPTION_BYTES / 3)); // 213 × 3 = 639 bytes
  const tooLong = EURO.repeat(500); // 500 characters, 1,500 bytes

  it("refuses at registration what no invoice could carry, and accepts what fits exactly", async () => {
    expect(MAX_DESCRIPTION_BYTES).toBe(639);
    expectInvalid(
      await call(app, "POST", "/api/v1/endpoints", {
        key: owner.key,
        body: { method: "GET", path: "/euro", priceSats: 1, description: tooLong },
      }),
      "description",
      /639 bytes.*1500/,
    );
    expectInvalid(
      await call(app, "POST", "/api/v1/endpoints", {
        key: owner.key,
        body: { method: "GET", path: "/euro", priceSats: 1, description: `${fits}x` },
      }),
      "description",
      /639 bytes/,
    );
    const endpoint = await newEndpoint("/euro", { description: fits });
    expectInvalid(
      await call(app, "PATCH", `/api/v1/endpoints/${endpoint.id}`, { key: owner.key, body: { description: tooLong } }),
      "description",
      /639 bytes/,
    );

    const invoice = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /euro" } });
    expect(invoice.status).toBe(201);
    expect(decodeInvoiceBasic(invoice.body.invoice).description).toBe(fits);
  });

  it("refuses an invoice description too long for the invoice", async () => {
    await newEndpoint("/euro-invoice");
    expectInvalid(
      await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /euro-invoice", description: tooLong } }),
      "description",
      /639 bytes/,
    );
    const ok = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /euro-invoice", description: fits } });
    expect(ok.status).toBe(201);
    expect(decodeInvoiceBasic(ok.body.invoice).description).toBe(fits);
  });

  it("still invoices an endpoint stored before the limit, cutting its description on a character boundary", async () => {
    const endpoint = await newEndpoint("/legacy");
    const legacy = `a${"😀".repeat(200)}`; // 1 + 800 bytes: a cut at 639 bytes would split an emoji
    await t.db.endpoint.update({ where: { id: endpoint.id }, data: { description: legacy } });
    clearEndpointCache(owner.tenant.id);
    const invoice = await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /legacy" } });
    expect(invoice.status).toBe(201);
    const description = decodeInvoiceBasic(invoice.body.invoice).description!;
    expect(description).toBe(`a${"😀".repeat(159)}`); // 1 + 636 bytes: the most whole emoji that fit
    expect(bytes(description)).toBeLessThanOrEqual(MAX_DESCRIPTION_BYTES);
  });
});

describe("numbers Postgres cannot hold", () => {
  it("refuses a release redemption of 2^31 or more, and answers a well-formed one", async () => {
    for (const redemption of [2 ** 31, 2 ** 53, 1e300]) {
      expectInvalid(
        await call(app, "POST", "/api/v1/l402/release", { key: owner.key, body: { paymentHash: "b".repeat(64), redemption } }),
        "redemption",
        /2147483647|integer|too big/i,
      );
    }
    const largest = await call(app, "POST", "/api/v1/l402/release", {
      key: owner.key,
      body: { paymentHash: "b".repeat(64), redemption: 2 ** 31 - 1 },
    });
    expect(largest.status).toBe(404);
  });
});

describe("QR codes", () => {
  const qr = (data: string) => app.request(`/api/v1/qr.svg?data=${data}`);

  it("take text up to what the encoder holds, and refuse more with a clear message", async () => {
    expect((await qr(`lightning:${"x".repeat(MAX_QR_TEXT - "lightning:".length)}`)).status).toBe(200);
    const tooLong = await qr("x".repeat(MAX_QR_TEXT + 1));
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error).toMatchObject({
      type: "invalid_request_error",
      param: "data",
      message: expect.stringContaining(`at most ${MAX_QR_TEXT} characters`),
    });
  });

  it("refuse text the encoder would overflow on or get wrong: non-ASCII and control characters", async () => {
    for (const data of ["%C3%A9".repeat(1500), "%F0%9F%98%80".repeat(100), "%00", "a%0Ab"]) {
      const response = await qr(data);
      expect(response.status, data.slice(0, 12)).toBe(400);
      expect((await response.json()).error.message).toMatch(/printable ASCII/);
    }
  });
});

describe("PATCH", () => {
  it("refuses a PATCH that changes nothing", async () => {
    const endpoint = await newEndpoint("/patch-empty");
    for (const body of [{}, { method: "POST" }, { unknown: 1 }]) {
      const response = await call(app, "PATCH", `/api/v1/endpoints/${endpoint.id}`, { key: owner.key, body });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/^Nothing to update/);
    }
  });

  it("changes only the fields it names (no defaults for the others)", async () => {
    const endpoint = await newEndpoint("/patch-one", { enabled: false, tokenLifetimeSeconds: 60, usesPerPayment: 3 });
    const response = await call(app, "PATCH", `/api/v1/endpoints/${endpoint.id}`, { key: owner.key, body: { priceSats: 7 } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ priceSats: 7, enabled: false, tokenLifetimeSeconds: 60, usesPerPayment: 3 });
  });
});
