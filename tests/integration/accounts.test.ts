import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createAccount, createTenantForUser, listMemberships } from "../../lib/tenants/accounts";
import { AppError } from "../../lib/errors";
import { PASSWORD, uniqueEmail } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function counts() {
  return { users: await t.db.user.count(), tenants: await t.db.tenant.count(), memberships: await t.db.membership.count() };
}

describe("sign-up", () => {
  it("creates the user, a tenant and the owner membership, and audits it", async () => {
    const email = uniqueEmail();
    const { user, tenant } = await createAccount(
      t.db,
      { email: email.toUpperCase(), password: PASSWORD, tenantName: "Acme Weather API" },
      { ip: "203.0.113.9", userAgent: "vitest" },
    );
    expect(user.email).toBe(email);
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(tenant.slug).toMatch(/^acme-weather-api-[0-9a-f]{4}$/);
    const memberships = await listMemberships(t.db, user.id);
    expect(memberships.map((m) => [m.tenantId, m.role])).toEqual([[tenant.id, "owner"]]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "auth.sign_up", actorUserId: user.id } });
    expect(audit).toMatchObject({ tenantId: tenant.id, ip: "203.0.113.9", userAgent: "vitest", target: email });
  });

  it("refuses a duplicate email (any case) and creates nothing", async () => {
    const email = uniqueEmail();
    await createAccount(t.db, { email, password: PASSWORD, tenantName: "First" });
    const before = await counts();
    const error = await createAccount(t.db, { email: email.toUpperCase(), password: PASSWORD, tenantName: "Second" }).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "email_taken", param: "email", status: 409 });
    expect(await counts()).toEqual(before);
  });

  it.each([
    [{}, "email"],
    [{ email: "", password: "", tenantName: "" }, "email"],
    [{ email: "ok@example.com", password: "short", tenantName: "Acme" }, "password"],
    [{ email: "ok@example.com", password: PASSWORD, tenantName: "x".repeat(500) }, "tenantName"],
    [{ email: ["a@b.co"], password: PASSWORD, tenantName: "Acme" }, "email"],
  ])("refuses bad input %j on %s and creates nothing", async (input, param) => {
    const before = await counts();
    await expect(createAccount(t.db, input)).rejects.toMatchObject({ code: "invalid_sign_up", param });
    expect(await counts()).toEqual(before);
  });

  it("lets a user own several tenants", async () => {
    const { user } = await createAccount(t.db, { email: uniqueEmail(), password: PASSWORD, tenantName: "One" });
    await createTenantForUser(t.db, user.id, "Two");
    expect((await listMemberships(t.db, user.id)).map((m) => m.tenant.name)).toEqual(["One", "Two"]);
    await expect(createTenantForUser(t.db, user.id, "")).rejects.toMatchObject({ code: "invalid_tenant_name" });
  });
});
