// What the middleware relies on besides invoices and verify: the discovery document (and
// its branding), QR codes for the payment page, and giving back a use after a failed call.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createApiApp } from "../../lib/api/app";
import { createEndpoint } from "../../lib/endpoints/registry";
import { updateTenantSettings } from "../../lib/tenants/settings";
import { createInvitation, acceptInvitation } from "../../lib/tenants/invitations";
import { MAX_QR_TEXT } from "../../lib/qr/svg";

let t: TestDatabase;
let app: Api;
let owner: Awaited<ReturnType<typeof tenantWithKey>>;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
  owner = await tenantWithKey(t.db);
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10, description: "Premium" });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/hidden", priceSats: 5, enabled: false });
});
afterAll(async () => {
  await t.drop();
});

describe("discovery", () => {
  it("lists the tenant's enabled priced endpoints and its branding, privately and publicly", async () => {
    await updateTenantSettings(t.db, owner.user.id, owner.tenant.id, {
      name: "Weather Co",
      logoUrl: "https://example.com/logo.svg",
      accentColor: "#123abc",
    });
    const own = await call(app, "GET", "/api/v1/discovery", { key: owner.key });
    expect(own.status).toBe(200);
    expect(own.body.tenant).toEqual({
      name: "Weather Co",
      slug: owner.tenant.slug,
      logoUrl: "https://example.com/logo.svg",
      accentColor: "#123abc",
    });
    expect(own.body.endpoints).toEqual([
      { method: "GET", path: "/premium", priceSats: 10, description: "Premium", usesPerPayment: 1, tokenLifetimeSeconds: 3600 },
    ]);
    const pub = await call(app, "GET", `/api/public/tenants/${owner.tenant.slug}/l402.json`);
    expect(pub.body).toEqual(own.body);
    expect(pub.headers.get("access-control-allow-origin")).toBe("*");
    expect((await call(app, "GET", "/api/public/tenants/no-such-tenant/l402.json")).status).toBe(404);
    expect((await call(app, "GET", "/api/public/tenants/BAD_SLUG!/l402.json")).status).toBe(400);
  });

  it("validates settings and keeps viewers out", async () => {
    await expect(
      updateTenantSettings(t.db, owner.user.id, owner.tenant.id, { name: "Ok", logoUrl: "http://insecure.example/logo.png" }),
    ).rejects.toMatchObject({ param: "logoUrl" });
    await expect(updateTenantSettings(t.db, owner.user.id, owner.tenant.id, { name: "Ok", accentColor: "red" })).rejects.toMatchObject({
      param: "accentColor",
    });
    const viewer = await tenantWithKey(t.db);
    const { token } = await createInvitation(t.db, owner.user.id, owner.tenant.id, { role: "viewer" });
    await acceptInvitation(t.db, viewer.user.id, token);
    await expect(updateTenantSettings(t.db, viewer.user.id, owner.tenant.id, { name: "Hijacked" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      updateTenantSettings(t.db, viewer.user.id, viewer.tenant.id, { name: "Mine", logoUrl: "", accentColor: "" }),
    ).resolves.toMatchObject({ name: "Mine", logoUrl: null });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: owner.tenant.id } })).name).toBe("Weather Co");
  });
});

describe("QR codes", () => {
  it("renders an SVG for an invoice and refuses empty or huge input", async () => {
    const response = await app.request("/api/v1/qr.svg?data=lightning:lntb100n1example");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    const svg = await response.text();
    expect(svg).toContain("<svg");
    expect(svg).toContain("<path");
    expect((await app.request("/api/v1/qr.svg?data=")).status).toBe(400);
    expect((await app.request(`/api/v1/qr.svg?data=${"x".repeat(MAX_QR_TEXT + 1)}`)).status).toBe(400);
  });
});

describe("paid but failed: release", () => {
  it("gives back exactly one use per failed redemption, and only for the key's tenant", async () => {
    const issued = (await call(app, "POST", "/api/v1/invoices", { key: owner.key, body: { endpoint: "GET /premium" } })).body;
    const { preimage } = (await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.invoice } })).body;
    const authorization = `L402 ${issued.macaroon}:${preimage}`;
    const verify = () =>
      call(app, "POST", "/api/v1/l402/verify", { key: owner.key, body: { authorization, method: "GET", path: "/premium" } });

    const first = await verify();
    expect(first.body).toMatchObject({ valid: true, redemption: 1 });
    const release = (key: string) =>
      call(app, "POST", "/api/v1/l402/release", {
        key,
        body: { paymentHash: issued.paymentHash, redemption: 1, status: 500, reason: "handler threw" },
      });

    const stranger = await tenantWithKey(t.db);
    expect((await release(stranger.key)).status).toBe(404);
    expect((await release(owner.key)).body).toEqual({ released: true, remainingUses: 1 });
    expect((await release(owner.key)).body).toEqual({ released: false, reason: "already_released" });

    // The payer retries with the same credential and is not charged twice. The retry is a
    // new redemption (numbers never go down), so if it fails too it can be released too.
    expect((await verify()).body).toMatchObject({ valid: true, redemption: 2, remainingUses: 0 });
    const releaseSecond = await call(app, "POST", "/api/v1/l402/release", {
      key: owner.key,
      body: { paymentHash: issued.paymentHash, redemption: 2, status: 503 },
    });
    expect(releaseSecond.body).toEqual({ released: true, remainingUses: 1 });
    expect((await verify()).body).toMatchObject({ valid: true, redemption: 3 });
    expect((await verify()).status).toBe(402);
    expect(await t.db.failedCall.count({ where: { paymentHash: issued.paymentHash } })).toBe(2);
    expect(await t.db.journalEntry.count({ where: { paymentHash: issued.paymentHash } })).toBe(1);

    const notRedeemed = await call(app, "POST", "/api/v1/l402/release", {
      key: owner.key,
      body: { paymentHash: issued.paymentHash, redemption: 5 },
    });
    expect(notRedeemed.status).toBe(404);
    const bad = await call(app, "POST", "/api/v1/l402/release", { key: owner.key, body: { paymentHash: "xyz", redemption: 0 } });
    expect(bad.status).toBe(400);
  });
});
