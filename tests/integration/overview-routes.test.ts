// Issue 8, items 1, 3 and 8: the overview's live route and its server actions, called as a
// signed-in member (Next's session and cookies mocked, everything else real): each acts only
// on the member's own tenant, a forged tenant cookie reaches nothing, viewers cannot change.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { ownerWithTenant, PASSWORD } from "../helpers/factories";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createEndpoint } from "../../lib/endpoints/registry";
import { createApiApp } from "../../lib/api/app";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let t: TestDatabase;
let GET: () => Promise<Response>;
let runTestCallAction: typeof import("../../app/dashboard/test-call-actions").runTestCallAction;
let setLightningAddressAction: typeof import("../../app/dashboard/settings/actions").setLightningAddressAction;
let a: Awaited<ReturnType<typeof ownerWithTenant>>;
let b: Awaited<ReturnType<typeof ownerWithTenant>>;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ GET } = await import("../../app/dashboard/live/route"));
  ({ runTestCallAction } = await import("../../app/dashboard/test-call-actions"));
  ({ setLightningAddressAction } = await import("../../app/dashboard/settings/actions"));
  a = await ownerWithTenant(t.db, "Tenant A");
  b = await ownerWithTenant(t.db, "Tenant B");
  await createEndpoint(t.db, a.tenant.id, { method: "GET", path: "/a", priceSats: 3 });
});
afterAll(async () => {
  signOut();
  await t?.drop();
});

async function live() {
  const response = await GET();
  return { status: response.status, body: await response.json() };
}
const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
};

describe("the test-call action and the live route", () => {
  it("a test call from the dashboard settles a payment that the live list then shows", async () => {
    signInAs(a.user.id, a.tenant.id, "test");
    expect((await live()).body.recent).toEqual([]);
    const outcome = await runTestCallAction({});
    expect(outcome).toMatchObject({ ok: true, result: { endpoint: "GET /a", answer: { status: 200 } } });
    const hash = outcome.ok ? outcome.result.payment.paymentHash : "";
    expect(await t.db.journalEntry.count({ where: { idempotencyKey: `settle:${hash}` } })).toBe(1);
    const { status, body } = await live();
    expect(status).toBe(200);
    expect(body.recent).toMatchObject([{ paymentHash: hash, endpoint: "GET /a", amountMsat: "3000", mode: "test" }]);
    // The live-mode list is the live book: empty.
    signInAs(a.user.id, a.tenant.id, "live");
    expect((await live()).body.recent).toEqual([]);
    // And no test calls in live mode.
    expect(await runTestCallAction({})).toEqual({ ok: false, message: expect.stringMatching(/test mode/) });
  });

  it("tenant isolation: another owner with A's tenant id in the cookie sees and pays nothing of A's", async () => {
    signInAs(b.user.id, a.tenant.id, "test");
    expect((await live()).body.recent).toEqual([]);
    const before = await t.db.invoice.count({ where: { tenantId: a.tenant.id } });
    // The cookie is only a choice: the action runs on B's own tenant, which has no endpoint.
    expect(await runTestCallAction({})).toEqual({ ok: false, message: expect.stringMatching(/Add an enabled endpoint first/) });
    const aEndpoint = await t.db.endpoint.findFirstOrThrow({ where: { tenantId: a.tenant.id } });
    expect(await runTestCallAction({ endpointId: aEndpoint.id })).toMatchObject({ ok: false });
    expect(await t.db.invoice.count({ where: { tenantId: a.tenant.id } })).toBe(before);
    expect(await t.db.invoice.count({ where: { tenantId: b.tenant.id } })).toBe(0);
  });

  it("viewers look but do not change; signed out gets 401 or the sign-in page", async () => {
    const viewer = await ownerWithTenant(t.db, "Viewer Home");
    await t.db.membership.create({ data: { tenantId: a.tenant.id, userId: viewer.user.id, role: "viewer" } });
    signInAs(viewer.user.id, a.tenant.id, "test");
    expect((await live()).body.recent).toHaveLength(1);
    await expect(runTestCallAction({})).rejects.toMatchObject({ code: "forbidden" });
    // A form action answers its form: the refusal is a message there, not a thrown error.
    expect(await setLightningAddressAction({ ok: false }, form({ lightningAddress: "x@localhost:3000" }))).toMatchObject({
      ok: false,
      message: expect.stringContaining("viewer"),
    });
    signOut();
    expect((await live()).status).toBe(401);
    expect(redirectTarget(await runTestCallAction({}).catch((e) => e))).toMatch(/sign-in/);
  });
});

describe("the Lightning address action", () => {
  it("resolves against the simulated LNURL-pay server and saves on the member's own tenant only", async () => {
    // The app's own host: a real HTTP server running the Hono app, on PORT.
    const server = createServer(getRequestListener(createApiApp().fetch));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const previousPort = process.env.PORT;
    process.env.PORT = String(port);
    try {
      signInAs(b.user.id, a.tenant.id, "test");
      const refused = await setLightningAddressAction({ ok: false }, form({ lightningAddress: "not an address", password: PASSWORD }));
      expect(refused).toMatchObject({ ok: false, fieldErrors: { lightningAddress: expect.stringMatching(/name@domain/) } });
      const saved = await setLightningAddressAction({ ok: false }, form({ lightningAddress: `B@localhost:${port}`, password: PASSWORD }));
      expect(saved).toMatchObject({ ok: true, message: expect.stringMatching(`Saved: b@localhost:${port} resolved`) });
      // B's action (with A's cookie) set B's address, never A's.
      expect((await t.db.tenant.findUniqueOrThrow({ where: { id: b.tenant.id } })).lightningAddress).toBe(`b@localhost:${port}`);
      expect((await t.db.tenant.findUniqueOrThrow({ where: { id: a.tenant.id } })).lightningAddress).toBeNull();
      const events = await t.db.auditEvent.findMany({ where: { action: "tenant.lightning_address_changed" } });
      expect(events.map((e) => e.tenantId)).toEqual([b.tenant.id]);
      const removed = await setLightningAddressAction({ ok: false }, form({ lightningAddress: "", password: PASSWORD }));
      // Removing a set address starts the payout cool-down, and says so.
      expect(removed).toMatchObject({
        ok: true,
        message: expect.stringMatching(/^Lightning address removed\. Payouts are on hold until /),
      });
    } finally {
      if (previousPort === undefined) delete process.env.PORT;
      else process.env.PORT = previousPort;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
