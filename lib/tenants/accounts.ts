// Sign-up: a user, their first tenant, and the owner membership, all or nothing.
import { AppError, isUniqueViolation, parseInput } from "../errors";
import type { Db } from "../db/client";
import { recordAudit, type RequestContext } from "../audit/record";
import { hashPassword } from "../auth/password";
import { signUpSchema, tenantNameSchema } from "../auth/schemas";
import { slugFor } from "./slug";

export async function createAccount(db: Db, input: unknown, context: RequestContext = {}) {
  const { email, password, name, tenantName } = parseInput(signUpSchema, input, "invalid_sign_up");
  const passwordHash = await hashPassword(password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email, name: name || null, passwordHash } });
      const tenant = await tx.tenant.create({ data: { name: tenantName, slug: slugFor(tenantName) } });
      await tx.membership.create({ data: { tenantId: tenant.id, userId: user.id, role: "owner" } });
      await recordAudit(tx, {
        action: "auth.sign_up",
        tenantId: tenant.id,
        actorUserId: user.id,
        actorLabel: email,
        target: email,
        ...context,
      });
      return { user, tenant };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict_error", "email_taken", "An account with this email already exists. Sign in instead.", {
        param: "email",
      });
    }
    throw error;
  }
}

/** An existing user opens another tenant (the operator CLI and the workspace switcher). */
export async function createTenantForUser(db: Db, userId: string, tenantName: unknown, context: RequestContext = {}) {
  const name = parseInput(tenantNameSchema, tenantName, "invalid_tenant_name", "name");
  return db.$transaction(async (tx) => {
    const tenant = await tx.tenant.create({ data: { name, slug: slugFor(name) } });
    await tx.membership.create({ data: { tenantId: tenant.id, userId, role: "owner" } });
    await recordAudit(tx, { action: "tenant.created", tenantId: tenant.id, actorUserId: userId, target: tenant.slug, ...context });
    return tenant;
  });
}

export async function listMemberships(db: Db, userId: string) {
  return db.membership.findMany({
    where: { userId },
    include: { tenant: true },
    orderBy: { createdAt: "asc" },
  });
}
