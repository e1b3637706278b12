// Issue 9: the payouts page's server actions, as a signed-in member (Next's session and
// cookies mocked, everything else real): each acts on the member's own tenant only (a forged
// tenant cookie reaches nothing), viewers cannot pay out, a resent form makes one payout,
// and the threshold is never below what the address takes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../lib/api/app";
import { listPayouts } from "../../lib/payouts/queries/list";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { redirectTarget, signInAs, signOut } from "../helpers/dashboard-session";
import { ownerWithTenant } from "../helpers/factories";
import { balances, earn, earningTenant } from "../helpers/payouts";

vi.mock("next-auth", async (original) => (await import("../helpers/next-request-mocks")).mockNextAuth(await original()));
vi.mock("next/headers", async () => (await import("../helpers/next-request-mocks")).mockNextHeaders());
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let t: TestDatabase;
let actions: typeof import("../../app/dashboard/payouts/actions");

beforeAll(async () => {
  t = await createTestDatabase();
  actions = await import("../../app/dashboard/payouts/actions");
});
afterAll(async () => {
  signOut();
  await t?.drop();
});

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.set(key, value);
  return data;
};

describe("pay out now", () => {
  it("pays the member's own tenant only, once per form, and is audited", async () => {
    const app = createApiApp();
    const a = await earningTenant(t.db, "pagea");
    const b = await earningTenant(t.db, "pageb");
    await earn(app, a.key, 1);
    await earn(app, b.key, 1);
    // B signed in with A's tenant cookie: requireTenant falls back to B's own workspace.
    signInAs(b.user.id, a.tenant.id, "test");
    const answer = await actions.payOutNowAction({ ok: false }, form({ idempotencyKey: "form-1" }));
    expect(answer).toMatchObject({ ok: true, message: expect.stringMatching(/^Paying 498 sats to pageb@localhost:3000/) });
    const again = await actions.payOutNowAction({ ok: false }, form({ idempotencyKey: "form-1" }));
    expect(again.ok).toBe(true);
    expect(await t.db.payout.count({ where: { tenantId: b.tenant.id } })).toBe(1);
    expect(await t.db.payout.count({ where: { tenantId: a.tenant.id } })).toBe(0);
    expect((await balances(t.db, a.tenant.id)).pending).toBe(0n);
    expect((await listPayouts(t.db, { tenantId: a.tenant.id, mode: "test" })).data).toEqual([]);
    const audit = await t.db.auditEvent.findMany({ where: { action: "payout.requested" } });
    expect(audit.map((e) => [e.tenantId, e.actorUserId])).toEqual([[b.tenant.id, b.user.id]]);
    // Another payout while one is in progress: refused in the form.
    expect(await actions.payOutNowAction({ ok: false }, form({ idempotencyKey: "form-2" }))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/still in progress/),
    });
  });

  it("viewers cannot pay out or change settings; signed out goes to sign-in", async () => {
    const owner = await earningTenant(t.db, "viewed");
    const viewer = await ownerWithTenant(t.db, "Viewer's own");
    await t.db.membership.create({ data: { tenantId: owner.tenant.id, userId: viewer.user.id, role: "viewer" } });
    signInAs(viewer.user.id, owner.tenant.id, "test");
    expect(await actions.payOutNowAction({ ok: false }, form({}))).toMatchObject({ ok: false, message: expect.stringContaining("viewer") });
    expect(await actions.updatePayoutSettingsAction({ ok: false }, form({ thresholdSats: "5" }))).toMatchObject({ ok: false });
    expect((await t.db.tenant.findUniqueOrThrow({ where: { id: owner.tenant.id } })).payoutThresholdMsat).toBe(1_000_000n);
    signOut();
    expect(redirectTarget(await actions.payOutNowAction({ ok: false }, form({})).catch((e) => e))).toMatch(/sign-in/);
  });
});

describe("payout settings", () => {
  it("saves threshold and auto on/off, refuses a threshold below the address's minimum, and audits", async () => {
    const owner = await earningTenant(t.db, "settings");
    await t.db.tenant.update({ where: { id: owner.tenant.id }, data: { lightningAddressMinSendableMsat: 10_000n } });
    signInAs(owner.user.id, owner.tenant.id, "test");
    expect(await actions.updatePayoutSettingsAction({ ok: false }, form({ thresholdSats: "5", autoPayouts: "on" }))).toMatchObject({
      ok: false,
      fieldErrors: { thresholdSats: expect.stringMatching(/at least 10 sats/) },
    });
    for (const bad of ["", "abc", "1.5", "0", "-3"]) {
      expect((await actions.updatePayoutSettingsAction({ ok: false }, form({ thresholdSats: bad }))).ok, bad).toBe(false);
    }
    expect(await actions.updatePayoutSettingsAction({ ok: false }, form({ thresholdSats: "2500" }))).toMatchObject({ ok: true });
    const tenant = await t.db.tenant.findUniqueOrThrow({ where: { id: owner.tenant.id } });
    expect(tenant).toMatchObject({ payoutThresholdMsat: 2_500_000n, autoPayouts: false });
    const events = await t.db.auditEvent.findMany({ where: { tenantId: owner.tenant.id, action: "tenant.payout_settings_changed" } });
    expect(events).toHaveLength(1);
  });
});
