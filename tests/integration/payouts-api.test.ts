// Issue 9: the payouts API. Idempotency-Key as Stripe does it, scopes, tenant and mode
// isolation on every route, the list shape, and the address cool-down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createApiKey } from "../../lib/keys/api-keys";
import { runPayout } from "../../lib/payouts/run";
import { sweepPayouts } from "../../lib/payouts/sweep";
import { setLightningAddress } from "../../lib/tenants/lightning-address";
import { seedDemo } from "../../lib/seed/demo";
import { createPayout } from "../../lib/payouts/create";
import { call } from "../helpers/api";
import { usingRealPostgres, createTestDatabase, type TestDatabase } from "../helpers/database";
import { PASSWORD } from "../helpers/factories";
import { balances, earn, earningTenant } from "../helpers/payouts";

let t: TestDatabase;
let app: ReturnType<typeof createApiApp>;

beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => t?.drop());

describe("POST /api/v1/payouts", () => {
  it("honours Idempotency-Key: same key and body → same payout, made once; another body → 422", async () => {
    const owner = await earningTenant(t.db, "idem");
    await earn(app, owner.key, 2);
    const headers = { "idempotency-key": "pay-2026-12-01" };
    const first = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body: { amountSats: 600 }, headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ object: "payout", state: "pending", trigger: "api", amountSats: 600, amountMsat: "600000" });
    const again = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body: { amountSats: 600 }, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.id).toBe(first.body.id);
    // Still the same answer once it has been paid (it reports the payout as it is now).
    await runPayout(t.db, first.body.id);
    const later = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body: { amountSats: 600 }, headers });
    expect(later.body).toMatchObject({ id: first.body.id, state: "succeeded" });
    expect(await t.db.payout.count({ where: { tenantId: owner.tenant.id } })).toBe(1);

    const other = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body: { amountSats: 1 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: "idempotency_key_reused" });
    const noBody = await call(app, "POST", "/api/v1/payouts", { key: owner.key, headers });
    expect(noBody.status).toBe(422);
    expect(await t.db.payout.count({ where: { tenantId: owner.tenant.id } })).toBe(1);
  });

  it.skipIf(!usingRealPostgres)("(real Postgres) concurrent requests with one key make one payout", async () => {
    const owner = await earningTenant(t.db, "race");
    await earn(app, owner.key, 2);
    const headers = { "idempotency-key": "same-for-all" };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call(app, "POST", "/api/v1/payouts", { key: owner.key, body: {}, headers })),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await t.db.payout.count({ where: { tenantId: owner.tenant.id } })).toBe(1);
  });

  it("refuses bad input and changes nothing", async () => {
    const owner = await earningTenant(t.db, "bad");
    await earn(app, owner.key, 1);
    for (const body of [{ amountSats: -1 }, { amountSats: 1.5 }, { amountSats: "10" }, { amount: 10 }, { amountSats: 10_000 }]) {
      const answer = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.type).toBe("invalid_request_error");
    }
    const badKey = await call(app, "POST", "/api/v1/payouts", {
      key: owner.key,
      body: {},
      headers: { "idempotency-key": "x".repeat(300) },
    });
    expect(badKey.status).toBe(400);
    expect(await t.db.payout.count({ where: { tenantId: owner.tenant.id } })).toBe(0);
    expect((await balances(t.db, owner.tenant.id)).pending).toBe(0n);
  });

  it("needs payouts:write (not a default scope), and the list needs payouts:read", async () => {
    const owner = await earningTenant(t.db, "scopes");
    const { key } = await createApiKey(t.db, owner.tenant.id, { name: "defaults" });
    const refused = await call(app, "POST", "/api/v1/payouts", { key, body: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("missing_scope");
    expect((await call(app, "GET", "/api/v1/payouts", { key })).status).toBe(200);
    const { key: invoicesOnly } = await createApiKey(t.db, owner.tenant.id, { name: "invoices", scopes: ["invoices:write"] });
    expect((await call(app, "GET", "/api/v1/payouts", { key: invoicesOnly })).status).toBe(403);
  });
});

describe("GET /api/v1/payouts", () => {
  it("lists the key's tenant and mode only, newest first, with cursors; another tenant's payout is 404", async () => {
    const a = await earningTenant(t.db, "lista");
    const b = await earningTenant(t.db, "listb");
    await earn(app, a.key, 3);
    for (let i = 0; i < 3; i++) {
      const { payout } = await createPayout(t.db, { tenantId: a.tenant.id, mode: "test", trigger: "manual", amountMsat: 10_000n });
      await runPayout(t.db, payout.id);
    }
    const page1 = await call(app, "GET", "/api/v1/payouts?limit=2", { key: a.key });
    expect(page1.body).toMatchObject({ object: "list", has_more: true });
    expect(page1.body.data).toHaveLength(2);
    const page2 = await call(app, "GET", `/api/v1/payouts?limit=2&cursor=${page1.body.next_cursor}`, { key: a.key });
    expect(page2.body).toMatchObject({ has_more: false, next_cursor: null });
    const ids = [...page1.body.data, ...page2.body.data].map((p: { id: string }) => p.id);
    expect(new Set(ids).size).toBe(3);
    expect(page1.body.data[0]).toMatchObject({ state: "succeeded", destination: "lista@localhost:3000", feeMsat: "0" });

    // B sees none of A's, by list or by id.
    expect((await call(app, "GET", "/api/v1/payouts", { key: b.key })).body.data).toEqual([]);
    const stolen = await call(app, "GET", `/api/v1/payouts/${ids[0]}`, { key: b.key });
    expect(stolen.status).toBe(404);
    expect((await call(app, "GET", `/api/v1/payouts/${ids[0]}`, { key: a.key })).body.id).toBe(ids[0]);
    // Nor does A's live key (another book).
    const { key: live } = await createApiKey(t.db, a.tenant.id, { name: "live", mode: "live", scopes: ["payouts:read", "payouts:write"] });
    expect((await call(app, "GET", "/api/v1/payouts", { key: live })).body.data).toEqual([]);
    expect((await call(app, "GET", `/api/v1/payouts/${ids[0]}`, { key: live })).status).toBe(404);
    expect((await call(app, "POST", "/api/v1/payouts", { key: live, body: {} })).body.error.code).toBe("amount_too_small");
    expect((await call(app, "GET", "/api/v1/payouts?cursor=nonsense", { key: a.key })).status).toBe(400);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await call(app, "GET", "/api/v1/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/payouts", "/api/v1/payouts/{id}"]));
    expect(doc.paths["/api/v1/payouts"].post).toBeDefined();
  });
});

describe("changing the Lightning address", () => {
  it("needs the password, is audited, and holds payouts to the new address for the cool-down", async () => {
    const owner = await earningTenant(t.db, "thief");
    await earn(app, owner.key, 3);
    await expect(
      setLightningAddress(t.db, owner.user.id, owner.tenant.id, { lightningAddress: "mallory@localhost:3000", password: "wrong" }),
    ).rejects.toMatchObject({ code: "wrong_password", param: "password" });
    await expect(
      setLightningAddress(t.db, owner.user.id, owner.tenant.id, { lightningAddress: "mallory@localhost:3000" }),
    ).rejects.toMatchObject({ code: "wrong_password" });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: owner.tenant.id } })).lightningAddress).toBe("thief@localhost:3000");

    const changed = await setLightningAddress(
      t.db,
      owner.user.id,
      owner.tenant.id,
      { lightningAddress: "mallory@localhost:3000", password: PASSWORD },
      { ip: "203.0.113.9", userAgent: "test" },
      {
        localHosts: ["localhost:3000"],
        fetch: async (input) => (await import("../../lib/payouts/destination")).simulatedLnurlFetch(t.db, "testnet")(input),
      },
    );
    expect(changed.payoutsHeldUntil!.getTime() - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    const [event] = await t.db.auditEvent.findMany({ where: { tenantId: owner.tenant.id, action: "tenant.lightning_address_changed" } });
    expect(event).toMatchObject({
      ip: "203.0.113.9",
      metadata: { lightningAddress: "mallory@localhost:3000", previous: "thief@localhost:3000", payoutsHeld: true },
    });

    // Held: the sweep skips it, by hand and by API it is refused with the time.
    await sweepPayouts(t.db, "sweep");
    expect(await t.db.payout.count({ where: { tenantId: owner.tenant.id } })).toBe(0);
    const held = await call(app, "POST", "/api/v1/payouts", { key: owner.key, body: {} });
    expect(held.status).toBe(409);
    expect(held.body.error).toMatchObject({ code: "payouts_held", message: expect.stringMatching(/on hold until \d{4}-/) });
    // After the cool-down it pays (to the new address).
    await t.db.tenant.update({
      where: { id: owner.tenant.id },
      data: { lightningAddressChangedAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    await sweepPayouts(t.db, "sweep");
    expect((await t.db.payout.findFirstOrThrow({ where: { tenantId: owner.tenant.id } })).destination).toBe("mallory@localhost:3000");
  });

  it("the demo seed is not held", async () => {
    const demo = await seedDemo(t.db, { lightningAddressHost: "localhost:3000" });
    const tenant = await t.db.tenant.findUniqueOrThrow({ where: { id: demo.tenantId } });
    expect(tenant.lightningAddressChangedAt).toBeNull();
  });
});
