// The webhook endpoints API: CRUD, rotation, test events, deliveries and redelivery under
// the webhooks:write scope, in the key's tenant and mode only (another tenant's ids 404).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { createApiKey } from "../../lib/keys/api-keys";
import { call, tenantWithKey, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
let app: Api;
beforeAll(async () => {
  vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
  t = await createTestDatabase();
  app = createApiApp();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.drop();
});

describe("/api/v1/webhook-endpoints", () => {
  it("creates (secret once), lists, changes, rotates, tests, lists deliveries, redelivers and deletes", async () => {
    const { key, tenant } = await tenantWithKey(t.db);
    const created = await call(app, "POST", "/api/v1/webhook-endpoints", {
      key,
      body: { url: "http://127.0.0.1:9/hooks", events: ["payment.settled", "payout.failed"], description: "orders" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: "http://127.0.0.1:9/hooks",
      mode: "test",
      enabled: true,
      events: ["payment.settled", "payout.failed"],
    });
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body.id as string;

    const listed = await call(app, "GET", "/api/v1/webhook-endpoints", { key });
    expect(listed.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].secret).toBeUndefined();

    const patched = await call(app, "PATCH", `/api/v1/webhook-endpoints/${id}`, {
      key,
      body: { events: ["key.expiring"], enabled: false },
    });
    expect(patched.body).toMatchObject({ events: ["key.expiring"], enabled: false, disabledReason: "Disabled by a team member." });

    const rotated = await call(app, "POST", `/api/v1/webhook-endpoints/${id}/rotate-secret`, { key, body: { graceHours: 2 } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(new Date(rotated.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 3_500_000);

    const tested = await call(app, "POST", `/api/v1/webhook-endpoints/${id}/test`, { key, body: { type: "key.expiring" } });
    expect(tested.status).toBe(202);
    expect(tested.body).toMatchObject({ eventType: "key.expiring", state: "pending" });

    const deliveries = await call(app, "GET", `/api/v1/webhook-endpoints/${id}/deliveries?limit=1`, { key });
    expect(deliveries.body).toMatchObject({ object: "list", has_more: false, data: [{ id: tested.body.id }] });
    const redelivered = await call(app, "POST", `/api/v1/webhook-deliveries/${tested.body.id}/redeliver`, { key });
    expect(redelivered).toMatchObject({ status: 202, body: { id: tested.body.id, queued: true } });

    const audit = await t.db.auditEvent.findMany({
      where: { tenantId: tenant.id, action: { startsWith: "webhook_" } },
      select: { action: true, actorLabel: true },
    });
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.disabled",
        "webhook_endpoint.secret_rotated",
      ]),
    );
    expect(audit.every((a) => a.actorLabel?.startsWith("API key "))).toBe(true);

    const deleted = await call(app, "DELETE", `/api/v1/webhook-endpoints/${id}`, { key });
    expect(deleted.body).toEqual({ id, deleted: true });
    expect((await call(app, "GET", `/api/v1/webhook-endpoints/${id}`, { key })).status).toBe(404);
  });

  it("another tenant's key, or the other mode's, gets 404 for every id; bad input 400; no scope 403", async () => {
    const owner = await tenantWithKey(t.db);
    const { body: endpoint } = await call(app, "POST", "/api/v1/webhook-endpoints", {
      key: owner.key,
      body: { url: "https://example.com/h", events: ["payment.settled"] },
    });
    const { body: delivery } = await call(app, "POST", `/api/v1/webhook-endpoints/${endpoint.id}/test`, { key: owner.key });
    const stranger = (await tenantWithKey(t.db)).key;
    const live = (await createApiKey(t.db, owner.tenant.id, { name: "live", mode: "live" })).key;
    for (const key of [stranger, live]) {
      for (const [method, path, body] of [
        ["GET", `/api/v1/webhook-endpoints/${endpoint.id}`],
        ["PATCH", `/api/v1/webhook-endpoints/${endpoint.id}`, { enabled: false }],
        ["DELETE", `/api/v1/webhook-endpoints/${endpoint.id}`],
        ["POST", `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {}],
        ["POST", `/api/v1/webhook-endpoints/${endpoint.id}/test`, {}],
        ["GET", `/api/v1/webhook-endpoints/${endpoint.id}/deliveries`],
        ["POST", `/api/v1/webhook-deliveries/${delivery.id}/redeliver`],
      ] as const) {
        const answer = await call(app, method, path, { key, body });
        expect(answer.status, `${method} ${path}`).toBe(404);
        expect(answer.body.error.type).toBe("not_found_error");
      }
      expect((await call(app, "GET", "/api/v1/webhook-endpoints", { key })).body.data).toEqual([]);
    }
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(true);

    const bad = await call(app, "POST", "/api/v1/webhook-endpoints", {
      key: owner.key,
      body: { url: "https://example.com/h", events: ["nope"] },
    });
    expect(bad.status).toBe(400);
    const privateUrl = await call(app, "POST", "/api/v1/webhook-endpoints", {
      key: owner.key,
      body: { url: "ftp://example.com/h", events: ["payment.settled"] },
    });
    expect(privateUrl.body.error).toMatchObject({ code: "invalid_webhook_url", param: "url" });
    const narrow = (await createApiKey(t.db, owner.tenant.id, { name: "narrow", scopes: ["invoices:write"] })).key;
    expect((await call(app, "GET", "/api/v1/webhook-endpoints", { key: narrow })).status).toBe(403);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await call(app, "GET", "/api/v1/openapi.json");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/webhook-endpoints",
        "/api/v1/webhook-endpoints/{id}/deliveries",
        "/api/v1/webhook-deliveries/{id}/redeliver",
      ]),
    );
  });
});
