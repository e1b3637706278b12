// Issue 8, item 1: the onboarding checklist ticks from real data, and the dashboard's test
// call is a real 402 → dev wallet → 200 round trip through the middleware and the service
// that settles a payment in the test book.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant } from "../helpers/factories";
import { createEndpoint, updateEndpoint } from "../../lib/endpoints/registry";
import { createApiKey, listApiKeys } from "../../lib/keys/api-keys";
import { getOnboardingChecklist } from "../../lib/onboarding/checklist";
import { runTestCall, samplePath } from "../../lib/onboarding/test-call";
import { deriveTestCallKey } from "../../lib/onboarding/test-call-key";
import { accountBalanceMsat } from "../../lib/ledger/balances";
import { accounts } from "../../lib/ledger/accounts";
import { listAuditEvents } from "../../lib/audit/list";
import { getKeyTable, parseKeyTableParams } from "../../lib/keys/queries/key-table";
import { getKeyDetail } from "../../lib/keys/queries/key-detail";
import { seedDemo } from "../../lib/seed/demo";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const done = async (tenantId: string, mode: "test" | "live" = "test") =>
  Object.fromEntries((await getOnboardingChecklist(t.db, { tenantId, mode })).steps.map((s) => [s.id, s.done]));

describe("the onboarding checklist", () => {
  it("ticks each step from the tenant's own data, and the test-call key is not the owner's key", async () => {
    const { user, tenant } = await ownerWithTenant(t.db);
    expect(await done(tenant.id)).toEqual({ lightning_address: false, endpoint: false, api_key: false, test_call: false, seen: false });

    await t.db.tenant.update({ where: { id: tenant.id }, data: { lightningAddress: "me@localhost:3000" } });
    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
    expect(await done(tenant.id)).toEqual({ lightning_address: true, endpoint: true, api_key: false, test_call: false, seen: false });

    // The test call makes the internal key; that is not "a key created" by the owner.
    await runTestCall(t.db, user.id, tenant.id);
    expect(await done(tenant.id)).toEqual({ lightning_address: true, endpoint: true, api_key: false, test_call: true, seen: true });
    // A live-mode overview has not seen a live payment yet.
    expect((await done(tenant.id, "live")).seen).toBe(false);

    await createApiKey(t.db, tenant.id, { name: "production" });
    const checklist = await getOnboardingChecklist(t.db, { tenantId: tenant.id, mode: "test" });
    expect(checklist).toMatchObject({ complete: true, doneCount: 5 });
    // Every step links somewhere.
    expect(checklist.steps.map((s) => s.href)).toEqual([
      "/dashboard/settings#lightning-address",
      "/dashboard/endpoints",
      "/dashboard/keys",
      "/dashboard#test-call",
      "/dashboard#recent-payments",
    ]);
    // Key lists (and a key's page) leave the internal key out.
    expect((await listApiKeys(t.db, tenant.id)).map((k) => k.name)).toEqual(["production"]);
    expect((await getKeyTable(t.db, tenant.id, "test", parseKeyTableParams({}))).map((k) => k.name)).toEqual(["production"]);
    const internal = await t.db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, internal: true } });
    expect(await getKeyDetail(t.db, tenant.id, "test", internal.id)).toBeNull();
  });

  it("one tenant's data never ticks another tenant's steps", async () => {
    const a = await ownerWithTenant(t.db, "Tenant A");
    const b = await ownerWithTenant(t.db, "Tenant B");
    await t.db.tenant.update({ where: { id: a.tenant.id }, data: { lightningAddress: "a@localhost:3000" } });
    await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/a", priceSats: 1 });
    await createApiKey(t.db, a.tenant.id, { name: "a" });
    await runTestCall(t.db, a.user.id, a.tenant.id);
    expect(Object.values(await done(b.tenant.id)).every((v) => v === false)).toBe(true);
  });
});

describe("the test call", () => {
  it("runs 402 → dev wallet → 200 through the middleware and the service, and settles a payment", async () => {
    const { user, tenant } = await ownerWithTenant(t.db);
    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/forecast/:city", priceSats: 21 });
    const before = await accountBalanceMsat(t.db, accounts.tenantAvailable("test", tenant.id));

    const result = await runTestCall(t.db, user.id, tenant.id, {}, { ip: "192.0.2.7", userAgent: "vitest" });
    expect(result.endpoint).toBe("GET /forecast/:city");
    expect(result.path).toBe("/forecast/test");
    expect(result.challenge).toMatchObject({ status: 402, amountSats: 21, invoice: expect.stringMatching(/^lntb210n1/) });
    expect(result.challenge.wwwAuthenticate).toMatch(/^L402 macaroon="[^"]+", invoice="lntb/);
    expect(result.payment).toMatchObject({
      paymentHash: result.challenge.paymentHash,
      amountSats: 21,
      preimage: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(result.answer).toMatchObject({ status: 200, body: { ok: true, endpoint: "GET /forecast/:city" } });

    // The ledger has the settlement: 21 sats, fee 0.3%, the rest the owner's (test book).
    const entry = await t.db.journalEntry.findUniqueOrThrow({
      where: { idempotencyKey: `settle:${result.payment.paymentHash}` },
      include: { postings: true },
    });
    expect(entry).toMatchObject({ mode: "test", tenantId: tenant.id, kind: "settlement" });
    expect(entry.postings.reduce((sum, p) => sum + p.amountMsat, 0n)).toBe(0n);
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { paymentHash: result.payment.paymentHash } });
    expect(invoice).toMatchObject({ state: "paid", mode: "test", tenantId: tenant.id });
    const token = await t.db.l402Token.findUniqueOrThrow({ where: { paymentHash: result.payment.paymentHash } });
    expect(token.usesConsumed).toBe(1);
    expect((await accountBalanceMsat(t.db, accounts.tenantAvailable("test", tenant.id))) - before).toBe(21_000n - 63n);
    // Nothing in the live book.
    expect(await accountBalanceMsat(t.db, accounts.tenantAvailable("live", tenant.id))).toBe(0n);

    const [event] = await listAuditEvents(t.db, tenant.id);
    expect(event).toMatchObject({ action: "test_call.made", actorUserId: user.id, target: "GET /forecast/:city", ip: "192.0.2.7" });

    // Again: a second payment, same key (created once).
    await runTestCall(t.db, user.id, tenant.id);
    expect(await t.db.invoice.count({ where: { tenantId: tenant.id, state: "paid" } })).toBe(2);
    expect(await t.db.apiKey.count({ where: { tenantId: tenant.id, internal: true } })).toBe(1);
  });

  it("works on the seeded demo tenant as it is", async () => {
    const demo = await seedDemo(t.db);
    const owner = await t.db.user.findUniqueOrThrow({ where: { email: demo.email } });
    const result = await runTestCall(t.db, owner.id, demo.tenantId);
    expect(result.answer.status).toBe(200);
    expect(await t.db.journalEntry.count({ where: { tenantId: demo.tenantId, mode: "test" } })).toBe(1);
  });

  it("pays for the endpoint asked for, and says what to do without one", async () => {
    const { user, tenant } = await ownerWithTenant(t.db);
    await expect(runTestCall(t.db, user.id, tenant.id)).rejects.toMatchObject({ code: "no_endpoint" });
    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/cheap", priceSats: 1 });
    const dear = await createEndpoint(t.db, tenant.id, { method: "POST", path: "/dear", priceSats: 50 });
    const result = await runTestCall(t.db, user.id, tenant.id, { endpointId: dear.id });
    expect(result).toMatchObject({ endpoint: "POST /dear", challenge: { amountSats: 50 } });
    await updateEndpoint(t.db, tenant.id, dear.id, { enabled: false });
    await expect(runTestCall(t.db, user.id, tenant.id, { endpointId: dear.id })).rejects.toMatchObject({ code: "endpoint_not_found" });
  });

  it("tenant isolation: another tenant's member cannot run it, nor pay for another tenant's endpoint; viewers cannot", async () => {
    const a = await ownerWithTenant(t.db, "Tenant A");
    const b = await ownerWithTenant(t.db, "Tenant B");
    const aEndpoint = await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/a-only", priceSats: 3 });
    await createEndpoint(t.db, b.tenant.id, { method: "GET", path: "/b", priceSats: 1 });
    // b's owner, on a's tenant: as if it did not exist.
    await expect(runTestCall(t.db, b.user.id, a.tenant.id)).rejects.toMatchObject({ code: "tenant_not_found" });
    // b's owner, on b's tenant, naming a's endpoint: not found, nothing paid.
    await expect(runTestCall(t.db, b.user.id, b.tenant.id, { endpointId: aEndpoint.id })).rejects.toMatchObject({
      code: "endpoint_not_found",
    });
    expect(await t.db.invoice.count({ where: { tenantId: a.tenant.id } })).toBe(0);
    // A viewer of a looks but does not change.
    await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: b.user.id, role: "viewer" } });
    await expect(runTestCall(t.db, b.user.id, a.tenant.id)).rejects.toMatchObject({ code: "forbidden" });
    expect(await t.db.invoice.count({ where: { tenantId: a.tenant.id } })).toBe(0);
  });

  it("derives one key per tenant, test mode and invoices:write only", async () => {
    const { user, tenant } = await ownerWithTenant(t.db);
    await createEndpoint(t.db, tenant.id, { method: "GET", path: "/x", priceSats: 1 });
    await runTestCall(t.db, user.id, tenant.id);
    const key = await t.db.apiKey.findFirstOrThrow({ where: { tenantId: tenant.id, internal: true } });
    expect(key).toMatchObject({ mode: "test", scopes: ["invoices:write"], revokedAt: null });
    expect(deriveTestCallKey(tenant.id)).toMatch(/^tb_test_[A-Za-z0-9_-]{43}$/);
    expect(deriveTestCallKey(tenant.id)).not.toBe(deriveTestCallKey("another-tenant"));
    expect(deriveTestCallKey(tenant.id, { NEXTAUTH_SECRET: "a" })).not.toBe(deriveTestCallKey(tenant.id, { NEXTAUTH_SECRET: "b" }));
    expect(samplePath("/files/*")).toBe("/files/test");
  });
});
