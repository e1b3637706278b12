// The webhooks pages and server actions as a signed-in member (tests/helpers/dashboard-
// session.ts stands in for Next's request scope): owners and admins manage, viewers only
// look, and another workspace's (or the other mode's) endpoint and delivery ids are not found.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", async () => (await import("../helpers/next-request-mocks")).mockNextCache());

import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant } from "../helpers/factories";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import {
  createWebhookAction,
  deleteWebhookAction,
  redeliverAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookEnabledAction,
} from "../../app/dashboard/webhooks/actions";
import WebhooksPage from "../../app/dashboard/webhooks/page";
import WebhookEndpointPage from "../../app/dashboard/webhooks/[id]/page";
import WebhookDeliveryPage from "../../app/dashboard/webhooks/[id]/deliveries/[deliveryId]/page";
import { initialFormState } from "../../lib/forms/state";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof ownerWithTenant>>;
let b: Awaited<ReturnType<typeof ownerWithTenant>>;
let viewer: Awaited<ReturnType<typeof ownerWithTenant>>;

beforeAll(async () => {
  vi.stubEnv("WEBHOOK_ALLOW_PRIVATE", "1");
  t = await createTestDatabase();
  a = await ownerWithTenant(t.db, "Tenant A");
  b = await ownerWithTenant(t.db, "Tenant B");
  viewer = await ownerWithTenant(t.db, "Viewer's own");
  await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: viewer.user.id, role: "viewer" } });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t.drop();
});
beforeEach(() => signOut());

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
};
const isNotFound = (error: unknown) => String((error as { digest?: string })?.digest).endsWith(";404");

describe("webhook actions and pages", () => {
  it("an owner adds an endpoint (secret once), tests, rotates, disables and deletes it; all audited", async () => {
    signInAs(a.user.id, a.tenant.id);
    const bad = await createWebhookAction(initialFormState, form({ url: "nope", events: [] }));
    expect(bad.ok).toBe(false);
    expect(bad.values?.url).toBe("nope");
    const created = await createWebhookAction(
      initialFormState,
      form({ url: "http://127.0.0.1:9/h", events: ["payment.settled", "key.expiring"] }),
    );
    expect(created).toMatchObject({ ok: true });
    expect(created.secret).toMatch(/^whsec_/);
    const endpointId = created.endpointId!;
    expect(await sendTestEventAction(initialFormState, form({ endpointId, type: "key.expiring" }))).toMatchObject({ ok: true });
    const rotated = await rotateWebhookSecretAction(initialFormState, form({ endpointId, graceHours: "12" }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.previousSecretExpiresAt).toBeTruthy();
    expect(await setWebhookEnabledAction(initialFormState, form({ endpointId, enabled: "false" }))).toMatchObject({
      ok: true,
      message: "Endpoint disabled.",
    });
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    expect(await redeliverAction(initialFormState, form({ deliveryId: delivery.id }))).toMatchObject({ ok: true });

    await expect(WebhooksPage()).resolves.toBeTruthy();
    await expect(
      WebhookEndpointPage({ params: Promise.resolve({ id: endpointId }), searchParams: Promise.resolve({}) }),
    ).resolves.toBeTruthy();
    await expect(WebhookDeliveryPage({ params: Promise.resolve({ id: endpointId, deliveryId: delivery.id }) })).resolves.toBeTruthy();

    const deleted = await deleteWebhookAction(initialFormState, form({ endpointId })).catch((e) => e);
    expect(redirectTarget(deleted)).toBe("/dashboard/webhooks");
    expect(await t.db.webhookEndpoint.count({ where: { id: endpointId } })).toBe(0);
    const actions = (await t.db.auditEvent.findMany({ where: { tenantId: a.tenant.id, action: { startsWith: "webhook_" } } })).map(
      (e) => e.action,
    );
    expect(actions.sort()).toEqual(
      [
        "webhook_delivery.redelivered",
        "webhook_endpoint.created",
        "webhook_endpoint.deleted",
        "webhook_endpoint.disabled",
        "webhook_endpoint.secret_rotated",
        "webhook_endpoint.test_sent",
      ].sort(),
    );
  });

  it("a viewer sees the pages but every change is refused", async () => {
    signInAs(a.user.id, a.tenant.id);
    const { endpointId } = await createWebhookAction(initialFormState, form({ url: "http://127.0.0.1:9/v", events: ["payment.settled"] }));
    signInAs(viewer.user.id, a.tenant.id);
    await expect(
      WebhookEndpointPage({ params: Promise.resolve({ id: endpointId! }), searchParams: Promise.resolve({}) }),
    ).resolves.toBeTruthy();
    const refusals = [
      await createWebhookAction(initialFormState, form({ url: "http://127.0.0.1:9/x", events: ["payment.settled"] })),
      await sendTestEventAction(initialFormState, form({ endpointId: endpointId! })),
      await rotateWebhookSecretAction(initialFormState, form({ endpointId: endpointId! })),
      await setWebhookEnabledAction(initialFormState, form({ endpointId: endpointId!, enabled: "false" })),
      await deleteWebhookAction(initialFormState, form({ endpointId: endpointId! })),
    ];
    for (const refusal of refusals) expect(refusal).toMatchObject({ ok: false, message: expect.stringMatching(/viewer/) });
    expect(await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId! } })).toMatchObject({ enabled: true });
  });

  it("another workspace's endpoint and delivery ids are not found, on every page and action", async () => {
    signInAs(a.user.id, a.tenant.id);
    const { endpointId } = await createWebhookAction(initialFormState, form({ url: "http://127.0.0.1:9/i", events: ["payment.settled"] }));
    await sendTestEventAction(initialFormState, form({ endpointId: endpointId! }));
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    for (const [user, tenant, mode] of [
      [b.user.id, b.tenant.id, "test"],
      [b.user.id, a.tenant.id, "test"], // a forged workspace cookie
      [a.user.id, a.tenant.id, "live"],
    ] as const) {
      signInAs(user, tenant, mode);
      expect(
        isNotFound(
          await WebhookEndpointPage({ params: Promise.resolve({ id: endpointId! }), searchParams: Promise.resolve({}) }).catch((e) => e),
        ),
      ).toBe(true);
      expect(
        isNotFound(await WebhookDeliveryPage({ params: Promise.resolve({ id: endpointId!, deliveryId: delivery.id }) }).catch((e) => e)),
      ).toBe(true);
      for (const answer of [
        await sendTestEventAction(initialFormState, form({ endpointId: endpointId! })),
        await rotateWebhookSecretAction(initialFormState, form({ endpointId: endpointId! })),
        await setWebhookEnabledAction(initialFormState, form({ endpointId: endpointId!, enabled: "false" })),
        await deleteWebhookAction(initialFormState, form({ endpointId: endpointId! })),
        await redeliverAction(initialFormState, form({ deliveryId: delivery.id })),
      ]) {
        expect(answer.ok).toBe(false);
      }
    }
    expect(await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId! } })).toMatchObject({ enabled: true });
    expect(await t.db.webhookDelivery.count({ where: { endpointId } })).toBe(1);
  });
});
