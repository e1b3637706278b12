// Issue 8, item 4 (endpoints page) and item 8 (tenant isolation): the dashboard's endpoint
// changes, each checked for its permission, written with an audit event, and unable to reach
// another tenant's endpoints.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { ownerWithTenant } from "../helpers/factories";
import { createApiApp } from "../../lib/api/app";
import { resetApiAuthState } from "../../lib/api/auth";
import { clearEndpointCache } from "../../lib/endpoints/registry";
import { addEndpoint, editEndpoint, pinEndpointPrice, removeEndpoint, switchEndpoint } from "../../lib/endpoints/manage";
import { getEndpointList } from "../../lib/endpoints/queries/endpoint-list";
import { listAuditEvents } from "../../lib/audit/list";
import type { Db } from "../../lib/db/client";

let t: TestDatabase;
let app: Api;
beforeAll(async () => {
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(() => {
  resetApiAuthState();
  clearEndpointCache();
});

async function viewerOf(db: Db, tenantId: string) {
  const viewer = await ownerWithTenant(db, "Viewer's own");
  await db.membership.create({ data: { tenantId, userId: viewer.user.id, role: "viewer" } });
  return viewer;
}

const invoice = (key: string, body: Record<string, unknown>) => call(app, "POST", "/api/v1/invoices", { key, body });

describe("endpoint changes on the dashboard", () => {
  it("adds, edits, disables, enables and deletes, each with an audit event", async () => {
    const a = await tenantWithKey(t.db);
    const ctx = { ip: "192.0.2.1", userAgent: "vitest" };
    const created = await addEndpoint(t.db, a.user.id, a.tenant.id, { method: "get", path: "/weather", priceSats: 7 }, ctx);
    expect(created).toMatchObject({ method: "GET", path: "/weather", priceSats: 7, tokenLifetimeSeconds: 3600, usesPerPayment: 1 });

    await editEndpoint(t.db, a.user.id, a.tenant.id, created.id, { priceSats: 12, tokenLifetimeSeconds: 600, usesPerPayment: 0 });
    expect((await invoice(a.key, { endpoint: "GET /weather" })).body.amountSats).toBe(12);

    await switchEndpoint(t.db, a.user.id, a.tenant.id, created.id, false);
    expect((await invoice(a.key, { endpoint: "GET /weather" })).body.error.code).toBe("endpoint_disabled");
    await switchEndpoint(t.db, a.user.id, a.tenant.id, created.id, true);
    expect((await invoice(a.key, { endpoint: "GET /weather" })).status).toBe(201);

    await removeEndpoint(t.db, a.user.id, a.tenant.id, created.id);
    expect(await getEndpointList(t.db, a.tenant.id)).toEqual([]);
    expect((await invoice(a.key, { endpoint: "GET /weather" })).body.error.code).toBe("unknown_endpoint");

    const events = (await listAuditEvents(t.db, a.tenant.id)).filter((e) => e.action.startsWith("endpoint."));
    const byAction = new Map(events.map((e) => [e.action, e]));
    expect([...byAction.keys()].sort()).toEqual([
      "endpoint.created",
      "endpoint.deleted",
      "endpoint.disabled",
      "endpoint.enabled",
      "endpoint.updated",
    ]);
    expect(events).toHaveLength(5);
    expect(byAction.get("endpoint.created")).toMatchObject({
      actorUserId: a.user.id,
      target: "GET /weather",
      ip: "192.0.2.1",
      userAgent: "vitest",
    });
    expect(byAction.get("endpoint.updated")?.metadata).toMatchObject({
      endpointId: created.id,
      priceSats: 12,
      tokenLifetimeSeconds: 600,
      usesPerPayment: 0,
    });
  });

  it("reports bad input and duplicates on the field they are about", async () => {
    const a = await ownerWithTenant(t.db);
    await expect(addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "no-slash", priceSats: 1 })).rejects.toMatchObject({
      param: "path",
    });
    await expect(addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/x", priceSats: 0 })).rejects.toMatchObject({
      param: "priceSats",
    });
    await addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/x", priceSats: 1 });
    await expect(addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/x", priceSats: 2 })).rejects.toMatchObject({
      code: "endpoint_exists",
      param: "path",
    });
    // Nothing half-done: the refused changes wrote no audit events.
    expect((await listAuditEvents(t.db, a.tenant.id)).filter((e) => e.action.startsWith("endpoint."))).toHaveLength(1);
  });
});

describe("discovered endpoints", () => {
  it("'pin this price' makes a discovered endpoint registered at its current price; the code's price no longer moves it", async () => {
    const a = await tenantWithKey(t.db);
    expect((await invoice(a.key, { endpoint: "GET /found", priceSats: 10 })).status).toBe(201);
    const [found] = await getEndpointList(t.db, a.tenant.id);
    expect(found).toMatchObject({ path: "/found", priceSats: 10, discovered: true });

    const pinned = await pinEndpointPrice(t.db, a.user.id, a.tenant.id, found.id);
    expect(pinned).toMatchObject({ priceSats: 10, discovered: false });
    clearEndpointCache();
    // The code now declares 25: a pinned (registered) endpoint keeps its own price.
    expect((await invoice(a.key, { endpoint: "GET /found", priceSats: 25 })).body.amountSats).toBe(10);
    expect((await listAuditEvents(t.db, a.tenant.id)).filter((e) => e.action === "endpoint.pinned")).toEqual([
      expect.objectContaining({ target: "GET /found", actorUserId: a.user.id }),
    ]);
  });

  it("disabling a discovered endpoint is not a price decision: it stays discovered", async () => {
    const a = await tenantWithKey(t.db);
    await invoice(a.key, { endpoint: "GET /auto", priceSats: 3 });
    const [found] = await getEndpointList(t.db, a.tenant.id);
    const disabled = await switchEndpoint(t.db, a.user.id, a.tenant.id, found.id, false);
    expect(disabled).toMatchObject({ enabled: false, discovered: true });
    await switchEndpoint(t.db, a.user.id, a.tenant.id, found.id, true);
    clearEndpointCache();
    // Still following the code's price.
    expect((await invoice(a.key, { endpoint: "GET /auto", priceSats: 4 })).body.amountSats).toBe(4);
  });

  it("lists discovered endpoints first", async () => {
    const a = await tenantWithKey(t.db);
    await addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/a", priceSats: 1 });
    await invoice(a.key, { endpoint: "GET /z", priceSats: 2 });
    expect((await getEndpointList(t.db, a.tenant.id)).map((e) => [e.path, e.discovered])).toEqual([
      ["/z", true],
      ["/a", false],
    ]);
  });
});

describe("who may change endpoints", () => {
  it("viewers can list but not change", async () => {
    const a = await ownerWithTenant(t.db);
    const endpoint = await addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/v", priceSats: 5 });
    const viewer = await viewerOf(t.db, a.tenant.id);
    const forbidden = { type: "permission_error", code: "forbidden" };
    await expect(addEndpoint(t.db, viewer.user.id, a.tenant.id, { method: "GET", path: "/w", priceSats: 1 })).rejects.toMatchObject(
      forbidden,
    );
    await expect(editEndpoint(t.db, viewer.user.id, a.tenant.id, endpoint.id, { priceSats: 1 })).rejects.toMatchObject(forbidden);
    await expect(pinEndpointPrice(t.db, viewer.user.id, a.tenant.id, endpoint.id)).rejects.toMatchObject(forbidden);
    await expect(switchEndpoint(t.db, viewer.user.id, a.tenant.id, endpoint.id, false)).rejects.toMatchObject(forbidden);
    await expect(removeEndpoint(t.db, viewer.user.id, a.tenant.id, endpoint.id)).rejects.toMatchObject(forbidden);
    expect(await getEndpointList(t.db, a.tenant.id)).toEqual([expect.objectContaining({ path: "/v", priceSats: 5, enabled: true })]);
  });

  it("an admin can change endpoints", async () => {
    const a = await ownerWithTenant(t.db);
    const admin = await ownerWithTenant(t.db);
    await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: admin.user.id, role: "admin" } });
    await expect(addEndpoint(t.db, admin.user.id, a.tenant.id, { method: "POST", path: "/jobs", priceSats: 2 })).resolves.toMatchObject({
      method: "POST",
    });
  });

  it("another tenant's owner can neither change nor delete an endpoint, by tenant or by id", async () => {
    const a = await ownerWithTenant(t.db);
    const b = await ownerWithTenant(t.db);
    const endpoint = await addEndpoint(t.db, a.user.id, a.tenant.id, { method: "GET", path: "/mine", priceSats: 5 });
    const notMember = { type: "not_found_error", code: "tenant_not_found" };
    // Naming tenant A: B is not a member.
    await expect(addEndpoint(t.db, b.user.id, a.tenant.id, { method: "GET", path: "/evil", priceSats: 1 })).rejects.toMatchObject(
      notMember,
    );
    await expect(editEndpoint(t.db, b.user.id, a.tenant.id, endpoint.id, { priceSats: 1 })).rejects.toMatchObject(notMember);
    await expect(removeEndpoint(t.db, b.user.id, a.tenant.id, endpoint.id)).rejects.toMatchObject(notMember);
    // Naming their own tenant with A's endpoint id: no such endpoint there.
    const notFound = { type: "not_found_error", code: "endpoint_not_found" };
    await expect(editEndpoint(t.db, b.user.id, b.tenant.id, endpoint.id, { priceSats: 1 })).rejects.toMatchObject(notFound);
    await expect(pinEndpointPrice(t.db, b.user.id, b.tenant.id, endpoint.id)).rejects.toMatchObject(notFound);
    await expect(switchEndpoint(t.db, b.user.id, b.tenant.id, endpoint.id, false)).rejects.toMatchObject(notFound);
    await expect(removeEndpoint(t.db, b.user.id, b.tenant.id, endpoint.id)).rejects.toMatchObject(notFound);

    expect(await getEndpointList(t.db, a.tenant.id)).toEqual([expect.objectContaining({ path: "/mine", priceSats: 5, enabled: true })]);
    expect(await getEndpointList(t.db, b.tenant.id)).toEqual([]);
    expect((await listAuditEvents(t.db, b.tenant.id)).filter((e) => e.action.startsWith("endpoint."))).toEqual([]);
  });
});
