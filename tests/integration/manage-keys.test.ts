// Issue 8, item 4 (keys page), item 8 (tenant isolation) and item 9's rotation: the key
// table's status, usage, search, filter and sort; a key's page; creating, rotating and
// revoking from the dashboard, each checked for its permission and audited.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, usingRealPostgres, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { ownerWithTenant } from "../helpers/factories";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { issueApiKey, revokeKey, rotateKey } from "../../lib/keys/manage";
import { getKeyTable, keyTableParamsSchema, type KeyTableParams } from "../../lib/keys/queries/key-table";
import { getKeyDetail } from "../../lib/keys/queries/key-detail";
import { listAuditEvents } from "../../lib/audit/list";

let t: TestDatabase;
let app: Api;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => resetApiAuthState());
afterEach(() => vi.useRealTimers());

const params = (p: Partial<KeyTableParams> = {}) => keyTableParamsSchema.parse(p);
const invoice = (key: string, endpoint = "GET /premium") => call(app, "POST", "/api/v1/invoices", { key, body: { endpoint } });

/** A real paid call: invoice, dev-wallet payment, verify (which settles). */
async function paidCall(key: string, endpoint = "GET /premium") {
  const issued = await invoice(key, endpoint);
  expect(issued.status).toBe(201);
  const paid = await call(app, "POST", "/api/dev/pay", { body: { invoice: issued.body.invoice } });
  const [method, path] = endpoint.split(" ");
  const verified = await call(app, "POST", "/api/v1/l402/verify", {
    key,
    body: { authorization: `L402 ${issued.body.macaroon}:${paid.body.preimage}`, method, path },
  });
  expect(verified.body.valid).toBe(true);
  return issued.body.paymentHash as string;
}

async function tenantWithPremium() {
  const owner = await tenantWithKey(t.db, { name: "server" });
  await createEndpoint(t.db, owner.tenant.id, { method: "GET", path: "/premium", priceSats: 10 });
  return owner;
}

describe("the key table", () => {
  it("shows each key's status: active, rotating (old key within its grace), expired, revoked", async () => {
    const a = await tenantWithPremium();
    const rotated = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id, graceSeconds: 3600 });
    const revoked = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "leaked" });
    await revokeKey(t.db, a.user.id, a.tenant.id, revoked.record.id);
    const expired = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "old", expiresAt: new Date(Date.now() + 60_000) });
    await t.db.apiKey.update({ where: { id: expired.record.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "live one", mode: "live" });

    const rows = await getKeyTable(t.db, a.tenant.id, "test", params());
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [a.keyRecord.id]: "rotating",
      [rotated.record.id]: "active",
      [revoked.record.id]: "revoked",
      [expired.record.id]: "expired",
    });
    // The test table shows test keys only; the live key is in the live table.
    expect((await getKeyTable(t.db, a.tenant.id, "live", params())).map((r) => r.name)).toEqual(["live one"]);
    // Masked: prefix and last four, never the key.
    const row = rows.find((r) => r.id === a.keyRecord.id)!;
    expect(row.maskedKey).toBe(`${a.key.slice(0, 12)}…${a.key.slice(-4)}`);
    expect(JSON.stringify(rows)).not.toContain(a.key);

    // The status filter.
    expect((await getKeyTable(t.db, a.tenant.id, "test", params({ status: "rotating" }))).map((r) => r.id)).toEqual([a.keyRecord.id]);
    expect((await getKeyTable(t.db, a.tenant.id, "test", params({ status: "revoked" }))).map((r) => r.id)).toEqual([revoked.record.id]);
  });

  it("counts each key's paid calls and sats this month (UTC), and nothing else", async () => {
    const a = await tenantWithPremium();
    const other = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "other" });
    await paidCall(a.key);
    await paidCall(a.key);
    const lastMonth = await paidCall(a.key);
    await invoice(a.key); // issued, never paid: not a paid call
    await paidCall(other.key);
    const now = new Date();
    await t.db.invoice.update({
      where: { paymentHash: lastMonth },
      data: { settledAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 1000) },
    });
    // Another tenant's calls are not ours.
    const b = await tenantWithPremium();
    await paidCall(b.key);

    const rows = await getKeyTable(t.db, a.tenant.id, "test", params());
    const usage = Object.fromEntries(rows.map((r) => [r.name, [r.callsThisMonth, r.satsThisMonth]]));
    expect(usage).toEqual({ server: [2, 20], other: [1, 10] });
    expect(rows.find((r) => r.name === "server")!.lastUsedAt).not.toBeNull();
  });

  it("searches by name, prefix or last four (literally), and sorts", async () => {
    const a = await tenantWithPremium();
    const zeta = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "zeta 100%" });
    await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "alpha" });
    await paidCall(zeta.key);

    const names = async (p: Partial<KeyTableParams>) => (await getKeyTable(t.db, a.tenant.id, "test", params(p))).map((r) => r.name);
    expect(await names({ q: "ZETA" })).toEqual(["zeta 100%"]);
    expect(await names({ q: zeta.key.slice(-4) })).toContain("zeta 100%");
    expect(await names({ q: "%" })).toEqual(["zeta 100%"]);
    // "a_p" would match "alpha" if _ were a wildcard.
    expect(await names({ q: "a_p" })).toEqual([]);
    expect(await names({ sort: "name", dir: "asc" })).toEqual(["alpha", "server", "zeta 100%"]);
    expect((await names({ sort: "calls", dir: "desc" }))[0]).toBe("zeta 100%");
    // Unknown parameters fall back to the defaults rather than failing the page.
    expect(keyTableParamsSchema.parse({ sort: "DROP TABLE", dir: "sideways", status: "lost" })).toEqual({
      q: "",
      status: "all",
      sort: "created",
      dir: "desc",
    });
  });

  it("another tenant's keys never appear", async () => {
    const a = await tenantWithPremium();
    const b = await tenantWithPremium();
    expect((await getKeyTable(t.db, b.tenant.id, "test", params())).map((r) => r.id)).toEqual([b.keyRecord.id]);
    expect(await getKeyTable(t.db, b.tenant.id, "test", params({ q: a.keyRecord.id }))).toEqual([]);
  });
});

describe("a key's page", () => {
  it("has the key's paid calls and sats per day over 30 days and its recent calls", async () => {
    const a = await tenantWithPremium();
    await paidCall(a.key);
    await paidCall(a.key);
    await invoice(a.key);
    const detail = (await getKeyDetail(t.db, a.tenant.id, "test", a.keyRecord.id))!;
    expect(detail).toMatchObject({ name: "server", status: "active", inMode: true, mode: "test" });
    expect(detail.usage).toHaveLength(30);
    expect(detail.usage.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), calls: 2, sats: 20 });
    expect(detail.usage.slice(0, -1).every((d) => d.calls === 0 && d.sats === 0)).toBe(true);
    expect(detail.recentCalls.map((c) => [c.endpoint, c.amountSats, c.state])).toEqual([
      ["GET /premium", 10, "pending"],
      ["GET /premium", 10, "paid"],
      ["GET /premium", 10, "paid"],
    ]);
  });

  it("links a rotated key and its replacement", async () => {
    const a = await tenantWithPremium();
    const rotated = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id });
    expect((await getKeyDetail(t.db, a.tenant.id, "test", a.keyRecord.id))!.replacedBy?.id).toBe(rotated.record.id);
    expect((await getKeyDetail(t.db, a.tenant.id, "test", rotated.record.id))!.rotatedFrom?.id).toBe(a.keyRecord.id);
  });

  it("shows no usage of a key of the other mode, and nothing of another tenant's key", async () => {
    const a = await tenantWithPremium();
    await paidCall(a.key);
    const inLive = (await getKeyDetail(t.db, a.tenant.id, "live", a.keyRecord.id))!;
    expect(inLive).toMatchObject({ inMode: false, usage: [], recentCalls: [] });
    const b = await ownerWithTenant(t.db);
    expect(await getKeyDetail(t.db, b.tenant.id, "test", a.keyRecord.id)).toBeNull();
  });
});

describe("rotation with a chosen grace period", () => {
  it("the old key works until the grace period ends, then fails with api_key_expired; the new key works", async () => {
    const a = await tenantWithPremium();
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    const rotated = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id, graceSeconds: 120 });
    expect(rotated.oldKeyExpiresAt.getTime()).toBe(start + 120_000);
    expect((await invoice(a.key)).status).toBe(201);

    vi.setSystemTime(start + 119_000);
    expect((await invoice(a.key)).status).toBe(201);

    vi.setSystemTime(start + 121_000);
    const refused = await invoice(a.key);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({
      type: "authentication_error",
      code: "api_key_expired",
      message: `This API key expired at ${new Date(start + 120_000).toISOString()}. Use the key that replaced it.`,
    });
    expect((await invoice(rotated.key)).status).toBe(201);
  });

  it("defaults to 24 hours, keeps an earlier expiry, and refuses graces under a minute or over 30 days", async () => {
    const a = await tenantWithPremium();
    const rotated = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id });
    expect(Math.abs(rotated.oldKeyExpiresAt.getTime() - (Date.now() + 86_400_000))).toBeLessThan(5000);
    expect(rotated.record).toMatchObject({ name: "server", mode: "test", rotatedFromId: a.keyRecord.id });

    const soon = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "soon", expiresAt: new Date(Date.now() + 600_000) });
    const keptEarlier = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: soon.record.id, graceSeconds: 86_400 });
    expect(keptEarlier.oldKeyExpiresAt.getTime()).toBe(soon.record.expiresAt!.getTime());

    const fresh = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "fresh" });
    for (const graceSeconds of [30, 31 * 86_400, 90.5]) {
      await expect(rotateKey(t.db, a.user.id, a.tenant.id, { keyId: fresh.record.id, graceSeconds })).rejects.toMatchObject({
        code: "invalid_rotation",
        param: "graceSeconds",
      });
    }
    expect(await t.db.apiKey.count({ where: { rotatedFromId: fresh.record.id } })).toBe(0);
  });

  it("a key is rotated once: a second rotation, or one of an expired or revoked key, is refused", async () => {
    const a = await tenantWithPremium();
    await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id });
    await expect(rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id })).rejects.toMatchObject({
      code: "api_key_already_rotated",
    });
    const expired = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "expired" });
    await t.db.apiKey.update({ where: { id: expired.record.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(rotateKey(t.db, a.user.id, a.tenant.id, { keyId: expired.record.id })).rejects.toMatchObject({ code: "api_key_expired" });
    const revoked = await issueApiKey(t.db, a.user.id, a.tenant.id, { name: "revoked" });
    await revokeKey(t.db, a.user.id, a.tenant.id, revoked.record.id);
    await expect(rotateKey(t.db, a.user.id, a.tenant.id, { keyId: revoked.record.id })).rejects.toMatchObject({
      code: "api_key_not_found",
    });
    expect(await t.db.apiKey.count({ where: { tenantId: a.tenant.id, rotatedFromId: { not: null } } })).toBe(1);
  });

  it.skipIf(!usingRealPostgres)("two rotations of one key racing: exactly one wins (real Postgres)", async () => {
    const a = await tenantWithPremium();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => rotateKey(t.db, a.user.id, a.tenant.id, { keyId: a.keyRecord.id })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(4).fill("api_key_already_rotated"),
    );
    expect(await t.db.apiKey.count({ where: { rotatedFromId: a.keyRecord.id } })).toBe(1);
  });
});

describe("creating and revoking from the dashboard", () => {
  it("creates a key with mode, scopes, expiry and allow-list, and audits create, rotate and revoke without the key", async () => {
    const a = await tenantWithPremium();
    const ctx = { ip: "192.0.2.9", userAgent: "vitest" };
    const expiresAt = new Date(Date.now() + 7 * 86_400_000);
    const created = await issueApiKey(
      t.db,
      a.user.id,
      a.tenant.id,
      { name: "ci", mode: "live", scopes: ["stats:read"], allowedIps: ["203.0.113.0/24"], expiresAt },
      ctx,
    );
    expect(created.key).toMatch(/^tb_live_/);
    expect(created.record).toMatchObject({
      mode: "live",
      scopes: ["stats:read"],
      allowedIps: ["203.0.113.0/24"],
      expiresAt,
      createdByUserId: a.user.id,
    });
    const rotated = await rotateKey(t.db, a.user.id, a.tenant.id, { keyId: created.record.id, graceSeconds: 600 }, ctx);
    await revokeKey(t.db, a.user.id, a.tenant.id, rotated.record.id, ctx);
    const revokedCall = await call(app, "GET", "/api/v1/endpoints", { key: rotated.key });
    expect(revokedCall.body.error.code).toBe("api_key_revoked");

    const events = (await listAuditEvents(t.db, a.tenant.id)).filter((e) => e.action.startsWith("api_key."));
    expect(events.map((e) => e.action).sort()).toEqual(["api_key.created", "api_key.revoked", "api_key.rotated"]);
    for (const e of events) expect(e).toMatchObject({ actorUserId: a.user.id, ip: "192.0.2.9" });
    const text = JSON.stringify(events);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(rotated.key);
    expect(text).toContain(created.key.slice(-4));
  });

  it("refuses bad input on the field it is about", async () => {
    const a = await ownerWithTenant(t.db);
    const bad = (input: object) => issueApiKey(t.db, a.user.id, a.tenant.id, { name: "x", ...input });
    await expect(bad({ scopes: [] })).rejects.toMatchObject({ param: "scopes" });
    await expect(bad({ allowedIps: ["10.0.0.0/33"] })).rejects.toMatchObject({ param: "allowedIps.0" });
    await expect(bad({ expiresAt: "2001-01-01T23:59:59.999Z" })).rejects.toMatchObject({ param: "expiresAt" });
    await expect(bad({ mode: "prod" })).rejects.toMatchObject({ param: "mode" });
    expect(await t.db.apiKey.count({ where: { tenantId: a.tenant.id } })).toBe(0);
  });
});

describe("who may change keys", () => {
  it("viewers can look but not create, rotate or revoke", async () => {
    const a = await tenantWithPremium();
    const viewer = await ownerWithTenant(t.db);
    await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: viewer.user.id, role: "viewer" } });
    const forbidden = { type: "permission_error", code: "forbidden" };
    await expect(issueApiKey(t.db, viewer.user.id, a.tenant.id, { name: "mine now" })).rejects.toMatchObject(forbidden);
    await expect(rotateKey(t.db, viewer.user.id, a.tenant.id, { keyId: a.keyRecord.id })).rejects.toMatchObject(forbidden);
    await expect(revokeKey(t.db, viewer.user.id, a.tenant.id, a.keyRecord.id)).rejects.toMatchObject(forbidden);
    expect(await getKeyTable(t.db, a.tenant.id, "test", params())).toEqual([
      expect.objectContaining({ id: a.keyRecord.id, status: "active" }),
    ]);
  });

  it("another tenant's owner can neither rotate nor revoke a key, by tenant or by id", async () => {
    const a = await tenantWithPremium();
    const b = await ownerWithTenant(t.db);
    const notMember = { code: "tenant_not_found" };
    await expect(issueApiKey(t.db, b.user.id, a.tenant.id, { name: "intruder" })).rejects.toMatchObject(notMember);
    await expect(rotateKey(t.db, b.user.id, a.tenant.id, { keyId: a.keyRecord.id })).rejects.toMatchObject(notMember);
    await expect(revokeKey(t.db, b.user.id, a.tenant.id, a.keyRecord.id)).rejects.toMatchObject(notMember);
    await expect(rotateKey(t.db, b.user.id, b.tenant.id, { keyId: a.keyRecord.id })).rejects.toMatchObject({ code: "api_key_not_found" });
    await expect(revokeKey(t.db, b.user.id, b.tenant.id, a.keyRecord.id)).rejects.toMatchObject({ code: "api_key_not_found" });
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: a.keyRecord.id } })).toMatchObject({ revokedAt: null, expiresAt: null });
    expect(await t.db.apiKey.count({ where: { rotatedFromId: a.keyRecord.id } })).toBe(0);
    expect((await invoice(a.key)).status).toBe(201);
  });
});

// createApiKey stays usable without the dashboard (CLI, seed): no permission check there.
it("createApiKey (CLI path) still works outside a transaction", async () => {
  const a = await ownerWithTenant(t.db);
  await expect(createApiKey(t.db, a.tenant.id, { name: "cli" })).resolves.toMatchObject({ record: { name: "cli" } });
});
