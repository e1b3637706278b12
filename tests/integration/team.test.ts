// Invitations, roles and, above all, tenant isolation: every team operation is tried
// across tenants and must behave as if the other tenant did not exist.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import {
  acceptInvitation,
  createInvitation,
  findOpenInvitation,
  listPendingInvitations,
  revokeInvitation,
} from "../../lib/tenants/invitations";
import { changeRole, listMembers } from "../../lib/tenants/members";
import { requireMembership } from "../../lib/tenants/permissions";
import { listAuditEvents } from "../../lib/audit/list";
import { ownerWithTenant } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("invitations", () => {
  it("an owner invites, a second user accepts with the invited role, and the link then stops working", async () => {
    const a = await ownerWithTenant(t.db, "Tenant A");
    const b = await ownerWithTenant(t.db, "Tenant B");
    const { token, path } = await createInvitation(
      t.db,
      a.user.id,
      a.tenant.id,
      { email: b.email, role: "admin" },
      { ip: "192.0.2.1", userAgent: "vitest" },
    );
    expect(path).toBe(`/invite/${token}`);
    const stored = await t.db.invitation.findFirstOrThrow({ where: { tenantId: a.tenant.id } });
    expect(stored.tokenHash).not.toContain(token);

    await acceptInvitation(t.db, b.user.id, token);
    expect((await requireMembership(t.db, b.user.id, a.tenant.id)).role).toBe("admin");
    await expect(acceptInvitation(t.db, b.user.id, token)).rejects.toMatchObject({ code: "invitation_used" });
    const actions = (await listAuditEvents(t.db, a.tenant.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted"]));
  });

  it("refuses an invitation meant for another email, an expired one and a revoked one", async () => {
    const a = await ownerWithTenant(t.db);
    const b = await ownerWithTenant(t.db);
    const forSomeoneElse = await createInvitation(t.db, a.user.id, a.tenant.id, { email: "someone@example.com", role: "viewer" });
    await expect(acceptInvitation(t.db, b.user.id, forSomeoneElse.token)).rejects.toMatchObject({ code: "invitation_email_mismatch" });

    const expired = await createInvitation(t.db, a.user.id, a.tenant.id, { role: "viewer" });
    await t.db.invitation.update({ where: { id: expired.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(acceptInvitation(t.db, b.user.id, expired.token)).rejects.toMatchObject({ code: "invitation_expired" });

    const revoked = await createInvitation(t.db, a.user.id, a.tenant.id, { role: "viewer" });
    await revokeInvitation(t.db, a.user.id, a.tenant.id, revoked.invitation.id);
    await expect(findOpenInvitation(t.db, revoked.token)).rejects.toMatchObject({ code: "invitation_not_found" });
    await expect(findOpenInvitation(t.db, "made-up-token")).rejects.toMatchObject({ code: "invitation_not_found" });
    await expect(requireMembership(t.db, b.user.id, a.tenant.id)).rejects.toMatchObject({ code: "tenant_not_found" });
  });

  it("two accepts of one link racing: exactly one wins", async () => {
    const a = await ownerWithTenant(t.db);
    const b = await ownerWithTenant(t.db);
    const c = await ownerWithTenant(t.db);
    const { token } = await createInvitation(t.db, a.user.id, a.tenant.id, { role: "viewer" });
    const results = await Promise.allSettled([acceptInvitation(t.db, b.user.id, token), acceptInvitation(t.db, c.user.id, token)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.membership.count({ where: { tenantId: a.tenant.id } })).toBe(2);
  });

  it("validates invitation input and roles", async () => {
    const a = await ownerWithTenant(t.db);
    await expect(createInvitation(t.db, a.user.id, a.tenant.id, { email: "nope", role: "viewer" })).rejects.toMatchObject({
      code: "invalid_invitation",
      param: "email",
    });
    await expect(createInvitation(t.db, a.user.id, a.tenant.id, { role: "god" })).rejects.toMatchObject({
      code: "invalid_invitation",
      param: "role",
    });
    await expect(createInvitation(t.db, a.user.id, a.tenant.id, { email: a.email, role: "viewer" })).rejects.toMatchObject({
      code: "already_member",
    });
  });
});

describe("roles", () => {
  async function teamOf3() {
    const a = await ownerWithTenant(t.db);
    const admin = await ownerWithTenant(t.db);
    const viewer = await ownerWithTenant(t.db);
    for (const [who, role] of [
      [admin, "admin"],
      [viewer, "viewer"],
    ] as const) {
      const { token } = await createInvitation(t.db, a.user.id, a.tenant.id, { role });
      await acceptInvitation(t.db, who.user.id, token);
    }
    return { a, admin, viewer };
  }

  it("viewers cannot invite; admins cannot invite owners or change roles; owners can", async () => {
    const { a, admin, viewer } = await teamOf3();
    await expect(createInvitation(t.db, viewer.user.id, a.tenant.id, { role: "viewer" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvitation(t.db, admin.user.id, a.tenant.id, { role: "owner" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvitation(t.db, admin.user.id, a.tenant.id, { role: "viewer" })).resolves.toBeTruthy();
    const viewerMembership = await requireMembership(t.db, viewer.user.id, a.tenant.id);
    await expect(changeRole(t.db, admin.user.id, a.tenant.id, { membershipId: viewerMembership.id, role: "admin" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await changeRole(t.db, a.user.id, a.tenant.id, { membershipId: viewerMembership.id, role: "admin" }, { ip: "192.0.2.7" });
    expect((await requireMembership(t.db, viewer.user.id, a.tenant.id)).role).toBe("admin");
    const event = (await listAuditEvents(t.db, a.tenant.id)).find((e) => e.action === "member.role_changed");
    expect(event).toMatchObject({
      actorUserId: a.user.id,
      target: viewer.email,
      ip: "192.0.2.7",
      metadata: { from: "viewer", to: "admin" },
    });
  });

  it("never leaves a tenant without an owner", async () => {
    const { a } = await teamOf3();
    const own = await requireMembership(t.db, a.user.id, a.tenant.id);
    await expect(changeRole(t.db, a.user.id, a.tenant.id, { membershipId: own.id, role: "viewer" })).rejects.toMatchObject({
      code: "last_owner",
    });
  });
});

describe("tenant isolation", () => {
  it("a member of tenant B reaches nothing of tenant A through any team operation", async () => {
    const a = await ownerWithTenant(t.db, "Victim");
    const b = await ownerWithTenant(t.db, "Attacker");
    const aInvitation = await createInvitation(t.db, a.user.id, a.tenant.id, { role: "viewer" });
    const aOwnerMembership = await requireMembership(t.db, a.user.id, a.tenant.id);

    const attempts = [
      listMembers(t.db, b.user.id, a.tenant.id),
      listPendingInvitations(t.db, b.user.id, a.tenant.id),
      createInvitation(t.db, b.user.id, a.tenant.id, { role: "owner" }),
      revokeInvitation(t.db, b.user.id, a.tenant.id, aInvitation.invitation.id),
      changeRole(t.db, b.user.id, a.tenant.id, { membershipId: aOwnerMembership.id, role: "viewer" }),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toMatchObject({ code: "tenant_not_found", status: 404 });

    // Ids from tenant A used inside B's own tenant match nothing either.
    await expect(revokeInvitation(t.db, b.user.id, b.tenant.id, aInvitation.invitation.id)).rejects.toMatchObject({
      code: "invitation_not_found",
    });
    await expect(changeRole(t.db, b.user.id, b.tenant.id, { membershipId: aOwnerMembership.id, role: "viewer" })).rejects.toMatchObject({
      code: "member_not_found",
    });

    expect((await requireMembership(t.db, a.user.id, a.tenant.id)).role).toBe("owner");
    expect(await findOpenInvitation(t.db, aInvitation.token)).toMatchObject({ id: aInvitation.invitation.id });
    expect((await listAuditEvents(t.db, b.tenant.id)).every((e) => e.tenantId === b.tenant.id)).toBe(true);
  });
});
