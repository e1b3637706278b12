// The endpoints and keys pages' server actions and the key table's CSV export, run as a
// signed-in member (tests/helpers/dashboard-session.ts stands in for Next's request scope; the
// membership checks, queries and changes are the real ones). Item 8: another tenant's
// session can neither read nor change; viewers cannot change; errors come back as form state.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());

import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant } from "../helpers/factories";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import {
  createEndpointAction,
  deleteEndpointAction,
  pinEndpointAction,
  toggleEndpointAction,
  updateEndpointAction,
} from "../../app/dashboard/endpoints/actions";
import { createKeyAction, revokeKeyAction, rotateKeyAction } from "../../app/dashboard/keys/actions";
import { GET as exportKeys } from "../../app/dashboard/keys/export/route";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiKey } from "../../lib/keys/api-keys";
import { listAuditEvents } from "../../lib/audit/list";
import { initialFormState } from "../../lib/forms/state";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof ownerWithTenant>>;
let b: Awaited<ReturnType<typeof ownerWithTenant>>;
let viewer: Awaited<ReturnType<typeof ownerWithTenant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await ownerWithTenant(t.db, "Tenant A");
  b = await ownerWithTenant(t.db, "Tenant B");
  viewer = await ownerWithTenant(t.db, "Viewer's own");
  await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: viewer.user.id, role: "viewer" } });
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => signOut());

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
};

const exportCsv = async (query = "") => {
  const response = await exportKeys(new Request(`http://tollbooth.test/dashboard/keys/export${query}`));
  return { response, text: await response.text() };
};

describe("endpoint actions", () => {
  it("an owner adds and edits an endpoint; bad input comes back on its field with what was typed", async () => {
    signInAs(a.user.id, a.tenant.id);
    const created = await createEndpointAction(
      initialFormState,
      form({ method: "GET", path: "/weather", priceSats: "21", usesPerPayment: "3" }),
    );
    expect(created).toMatchObject({ ok: true, message: "GET /weather added at 21 sats." });
    const endpoint = await t.db.endpoint.findFirstOrThrow({ where: { tenantId: a.tenant.id, path: "/weather" } });
    expect(endpoint).toMatchObject({ priceSats: 21, usesPerPayment: 3, tokenLifetimeSeconds: 3600, discovered: false });

    const bad = await createEndpointAction(initialFormState, form({ method: "GET", path: "weather", priceSats: "lots" }));
    expect(bad.ok).toBe(false);
    expect(bad.fieldErrors?.path).toMatch(/must start with \//);
    expect(bad.values).toMatchObject({ path: "weather", priceSats: "lots" });
    const missingPrice = await createEndpointAction(initialFormState, form({ method: "GET", path: "/x" }));
    expect(missingPrice.fieldErrors?.priceSats).toBe("priceSats must be a whole number of sats.");

    const edited = await updateEndpointAction(
      initialFormState,
      form({ endpointId: endpoint.id, priceSats: "30", tokenLifetimeSeconds: "600" }),
    );
    expect(edited.ok).toBe(true);
    expect(await t.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({
      priceSats: 30,
      tokenLifetimeSeconds: 600,
    });
    const audit = await listAuditEvents(t.db, a.tenant.id);
    expect(audit.find((e) => e.action === "endpoint.updated")).toMatchObject({
      actorUserId: a.user.id,
      ip: "192.0.2.10",
      userAgent: "vitest",
    });
  });

  it("a viewer gets a form error, not a 500, and nothing changes", async () => {
    const endpoint = await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/viewed", priceSats: 5 });
    signInAs(viewer.user.id, a.tenant.id);
    const refused = { ok: false, message: "Your role (viewer) cannot do this." };
    expect(await createEndpointAction(initialFormState, form({ method: "GET", path: "/new", priceSats: "1" }))).toMatchObject(refused);
    expect(await updateEndpointAction(initialFormState, form({ endpointId: endpoint.id, priceSats: "1" }))).toMatchObject(refused);
    expect(await pinEndpointAction(initialFormState, form({ endpointId: endpoint.id }))).toMatchObject(refused);
    expect(await toggleEndpointAction(initialFormState, form({ endpointId: endpoint.id, enabled: "false" }))).toMatchObject(refused);
    expect(await deleteEndpointAction(initialFormState, form({ endpointId: endpoint.id }))).toMatchObject(refused);
    expect(await t.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ priceSats: 5, enabled: true });
    expect(await t.db.endpoint.count({ where: { path: "/new" } })).toBe(0);
  });

  it("another tenant's owner, even choosing tenant A in the workspace cookie, cannot touch A's endpoints", async () => {
    const endpoint = await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/guarded", priceSats: 5 });
    // The cookie names A, but B is no member of A: the session falls back to B's own workspace.
    signInAs(b.user.id, a.tenant.id);
    const notFound = { ok: false, message: "Endpoint not found." };
    expect(await updateEndpointAction(initialFormState, form({ endpointId: endpoint.id, priceSats: "1" }))).toMatchObject(notFound);
    expect(await pinEndpointAction(initialFormState, form({ endpointId: endpoint.id }))).toMatchObject(notFound);
    expect(await toggleEndpointAction(initialFormState, form({ endpointId: endpoint.id, enabled: "false" }))).toMatchObject(notFound);
    expect(await deleteEndpointAction(initialFormState, form({ endpointId: endpoint.id }))).toMatchObject(notFound);
    expect(await t.db.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ priceSats: 5, enabled: true });
    // What B creates lands in B's tenant.
    await createEndpointAction(initialFormState, form({ method: "GET", path: "/guarded", priceSats: "9" }));
    expect(await t.db.endpoint.findFirstOrThrow({ where: { path: "/guarded", priceSats: 9 } })).toMatchObject({ tenantId: b.tenant.id });
  });

  it("a signed-out visitor is sent to sign in", async () => {
    const thrown = await createEndpointAction(initialFormState, form({ method: "GET", path: "/x", priceSats: "1" })).catch((e) => e);
    expect(redirectTarget(thrown)).toBe("/sign-in?callbackUrl=%2Fdashboard");
  });
});

describe("key actions", () => {
  it("creates a key shown once in the answer, in the chosen mode, scopes, allow-list and end-of-day expiry", async () => {
    signInAs(a.user.id, a.tenant.id);
    const state = await createKeyAction(
      initialFormState,
      form({
        name: "prod",
        mode: "live",
        scopes: ["invoices:write", "stats:read"],
        allowedIps: "203.0.113.7\n2001:db8::/32",
        expiresAt: "2099-06-30",
      }),
    );
    expect(state).toMatchObject({ ok: true, mode: "live", serviceUrl: "http://tollbooth.test" });
    expect(state.key).toMatch(/^tb_live_[A-Za-z0-9_-]{43}$/);
    const record = await t.db.apiKey.findUniqueOrThrow({ where: { id: state.keyId } });
    expect(record).toMatchObject({
      tenantId: a.tenant.id,
      scopes: ["invoices:write", "stats:read"],
      allowedIps: ["203.0.113.7", "2001:db8::/32"],
      expiresAt: new Date("2099-06-30T23:59:59.999Z"),
    });
    expect(record.hash).not.toContain(state.key!);
  });

  it("sends bad key input back on its field, with the ticked scopes kept", async () => {
    signInAs(a.user.id, a.tenant.id);
    const badIp = await createKeyAction(initialFormState, form({ name: "x", scopes: ["stats:read"], allowedIps: "10.0.0.1\nnot-an-ip" }));
    expect(badIp).toMatchObject({ ok: false, fieldErrors: { allowedIps: "Use an IP address or CIDR range, like 203.0.113.0/24." } });
    expect(badIp.values).toMatchObject({ scopes: "stats:read", allowedIps: "10.0.0.1\nnot-an-ip" });
    const noScopes = await createKeyAction(initialFormState, form({ name: "x" }));
    expect(noScopes.fieldErrors).toEqual({ scopes: "Give the key at least one scope." });
    const past = await createKeyAction(initialFormState, form({ name: "x", scopes: "stats:read", expiresAt: "2001-01-01" }));
    expect(past.fieldErrors).toEqual({ expiresAt: "The expiry must be in the future." });
  });

  it("rotates with the chosen grace period and revokes", async () => {
    const { record } = await createApiKey(t.db, a.tenant.id, { name: "to rotate" });
    signInAs(a.user.id, a.tenant.id);
    const before = Date.now();
    const rotated = await rotateKeyAction(initialFormState, form({ keyId: record.id, graceAmount: "5", graceUnit: "minutes" }));
    expect(rotated).toMatchObject({ ok: true, mode: "test" });
    expect(rotated.key).toMatch(/^tb_test_/);
    const expiry = new Date(rotated.oldKeyExpiresAt!).getTime();
    expect(expiry).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiry).toBeLessThan(Date.now() + 300_000 + 1);

    const tooShort = await rotateKeyAction(initialFormState, form({ keyId: rotated.keyId!, graceAmount: "0", graceUnit: "minutes" }));
    expect(tooShort.fieldErrors).toEqual({ graceSeconds: "The old key keeps working at least 1 minute." });
    const again = await rotateKeyAction(initialFormState, form({ keyId: record.id, graceAmount: "1", graceUnit: "hours" }));
    expect(again).toMatchObject({ ok: false, message: expect.stringContaining("already been rotated") });

    expect(await revokeKeyAction(initialFormState, form({ keyId: rotated.keyId! }))).toMatchObject({ ok: true });
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: rotated.keyId } })).revokedAt).not.toBeNull();
  });

  it("viewers and other tenants get form errors and change nothing", async () => {
    const { record } = await createApiKey(t.db, a.tenant.id, { name: "precious" });
    signInAs(viewer.user.id, a.tenant.id);
    const refused = { ok: false, message: "Your role (viewer) cannot do this." };
    expect(await createKeyAction(initialFormState, form({ name: "v", scopes: "stats:read" }))).toMatchObject(refused);
    expect(await rotateKeyAction(initialFormState, form({ keyId: record.id, graceAmount: "1", graceUnit: "hours" }))).toMatchObject(
      refused,
    );
    expect(await revokeKeyAction(initialFormState, form({ keyId: record.id }))).toMatchObject(refused);

    signInAs(b.user.id, a.tenant.id);
    const notFound = { ok: false, message: "API key not found." };
    expect(await rotateKeyAction(initialFormState, form({ keyId: record.id, graceAmount: "1", graceUnit: "hours" }))).toMatchObject(
      notFound,
    );
    expect(await revokeKeyAction(initialFormState, form({ keyId: record.id }))).toMatchObject(notFound);
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ revokedAt: null, expiresAt: null });
    expect(await t.db.apiKey.count({ where: { rotatedFromId: record.id } })).toBe(0);
  });
});

describe("the key table's CSV export", () => {
  it("has the dashboard mode's keys of the member's tenant, masked, with spreadsheet formulas neutralised", async () => {
    const evil = await createApiKey(t.db, a.tenant.id, { name: '=HYPERLINK("http://evil.example","x")' });
    const live = await createApiKey(t.db, a.tenant.id, { name: "live key", mode: "live" });
    await createApiKey(t.db, b.tenant.id, { name: "B's key" });

    signInAs(viewer.user.id, a.tenant.id);
    const { response, text } = await exportCsv();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="tollbooth-keys-.+-test-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "name,key,mode,status,scopes,allowed_ips,created_at,last_used_at,expires_at,revoked_at,calls_this_month,sats_this_month",
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",${evil.key.slice(0, 12)}…${evil.key.slice(-4)},test,active,`);
    expect(text).not.toContain(evil.key);
    expect(text).not.toContain("live key");
    expect(text).not.toContain("B's key");
    const testKeys = await t.db.apiKey.count({ where: { tenantId: a.tenant.id, mode: "test" } });
    expect(lines).toHaveLength(testKeys + 1);

    // The page's filters apply; in live mode only the live key.
    expect((await exportCsv("?status=revoked")).text.trimEnd().split("\r\n").length - 1).toBe(
      await t.db.apiKey.count({ where: { tenantId: a.tenant.id, mode: "test", revokedAt: { not: null } } }),
    );
    signInAs(a.user.id, a.tenant.id, "live");
    expect((await exportCsv()).text).toContain(`live key,${live.key.slice(0, 12)}…${live.key.slice(-4)},live,active`);

    // Tenant B's owner, even naming tenant A in the cookie, gets B's keys only.
    signInAs(b.user.id, a.tenant.id);
    const other = (await exportCsv()).text;
    expect(other).toContain("B's key");
    expect(other).not.toContain("HYPERLINK");
  });

  it("sends a signed-out visitor to sign in", async () => {
    expect(redirectTarget(await exportCsv().catch((e) => e))).toBe("/sign-in?callbackUrl=%2Fdashboard");
  });
});
